#pragma once
// Plain-language text for a scope on the consent page ("Read and search the patient's Observation
// records"). Presentation only: what a scope grants is decided by auth::decide.
#include <string>
#include <string_view>

namespace rest::oauth {

// A sentence for `scope`; the scope itself for one we cannot describe.
std::string scope_label(std::string_view scope);

}  // namespace rest::oauth
