#pragma once
// Writing documents: whole files replaced atomically (a reader never sees half a CCD), or stdout.
#include <filesystem>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace ccdgen {

// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
// Errors: internal naming the path and the system's reason.
base::Status write_file(const std::filesystem::path& path, std::string_view bytes);

// Writes `bytes` to stdout. Errors: internal (e.g. a closed pipe).
base::Status write_stdout(std::string_view bytes);

// Creates `dir` (and parents) when missing. Errors: internal when it cannot, or exists as a file.
base::Status make_directory(const std::filesystem::path& dir);

// The file name of patient `id`'s document ("<id>.xml" or "<id>.html"), or an error for an id
// that cannot be a file name (FHIR ids are [A-Za-z0-9.-]{1,64}; "." and ".." are refused).
base::Result<std::string> document_file_name(std::string_view id, bool html);

}  // namespace ccdgen
