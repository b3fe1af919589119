// fhirctl runs on mimalloc when the build found it (see CMakeLists.txt): its malloc/free replace
// glibc's by symbol interposition. Linking uses --as-needed, which drops a library nothing
// refers to; this reference keeps it.
#ifdef FHIRCTL_MIMALLOC
#include <mimalloc.h>

namespace fhirctl {
[[maybe_unused]] extern const int kMimallocVersion;
const int kMimallocVersion = mi_version();
}  // namespace fhirctl
#endif
