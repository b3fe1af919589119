#pragma once
// Files from share/ compiled into the binaries (see cmake/Embed.cmake and lib/CMakeLists.txt),
// looked up by name, e.g. embedded_file("fhir/us-core-profiles.json").
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace base {

struct EmbeddedFile {
  const char* name;
  struct {
    const char* data;
    std::size_t size;
  } bytes;
};

// Every embedded file (defined by the generated source).
std::span<const EmbeddedFile> embedded_files();

// The bytes of an embedded file, or nullopt when no file of that name was embedded.
std::optional<std::string_view> embedded_file(std::string_view name);

}  // namespace base
