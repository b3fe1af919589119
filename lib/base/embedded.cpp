#include "base/embedded.hpp"

namespace base {

std::optional<std::string_view> embedded_file(std::string_view name) {
  for (const auto& f : embedded_files()) {
    if (name == f.name) return std::string_view(f.bytes.data, f.bytes.size);
  }
  return std::nullopt;
}

}  // namespace base
