#pragma once
// R4 (4.0.1) knowledge with no I/O: resource type names and id syntax.
#include <span>
#include <string_view>

namespace model {

// Every R4 resource type name, sorted.
std::span<const std::string_view> resource_types();

// True when name is an R4 resource type (case-sensitive, e.g. "Patient").
bool is_resource_type(std::string_view name);

// FHIR id syntax: [A-Za-z0-9\-\.]{1,64}.
bool is_valid_id(std::string_view id);

}  // namespace model
