#pragma once
// The serialisation of a resource as the store keeps it: resourceType, id and meta first, then the
// other members in the order given; compact, byte for byte what base::dump_compact gives for the
// object WriteTx builds. Used by ResourceStore::prepare (bulk loads) so that the prepared bytes
// equal those of an ordinary write (tests/lib/store/stamped_json_test.cpp checks).
#include <cstddef>
#include <string>

#include "base/json.hpp"

namespace store {

// Serialises `resource` (a JSON object) with "resourceType": type and "id": id first, then its
// "meta" member (which must be an object holding "versionId"), then every other member except
// resourceType, id and meta. Sets *version_at to the offset of the first character of the
// versionId value (inside its quotes). Invalid UTF-8 is replaced, as base::dump_compact does.
std::string serialize_stamped(const std::string& type, const std::string& id, const base::Json& resource,
                              std::size_t* version_at);

}  // namespace store
