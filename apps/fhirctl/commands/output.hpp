#pragma once
// Output shared by fhirctl's commands: aligned text tables, JSON on stdout, errors on stderr with
// the exit code they mean, times as FHIR instants, and secrets read from stdin.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "base/json.hpp"
#include "commands/common.hpp"

namespace fhirctl {

// Prints rows under a header as columns separated by two spaces (the last column is not padded).
// On a terminal the header is bold. Cells containing newlines or tabs are flattened to spaces.
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

// Prints "label: value" lines with the labels aligned (for `show` commands).
void print_fields(const std::vector<std::pair<std::string, std::string>>& fields);

// Prints JSON on stdout, indented by two spaces, then a newline.
void print_json(const base::Json& value);

// Prints "fhirctl: <message>" on stderr and returns kFailure.
int fail(const base::Error& error);
int fail(std::string_view message);
// Prints "fhirctl: <message>" on stderr and returns kUsage.
int usage(std::string_view message);

// An instant "2025-01-31T12:00:00Z" for seconds since the epoch; "-" for 0.
std::string format_time_s(std::int64_t seconds);

// Reads one line from standard input (without the line end) for --password-stdin and friends; a
// missing final newline is fine. On a terminal it prompts with `what` on stderr and does not echo.
// Errors: invalid when stdin is empty.
base::Result<std::string> read_stdin_line(std::string_view what);

// Reads a whole file, or standard input for "-". Errors: invalid naming the file when unreadable.
base::Result<std::string> read_file_or_stdin(const std::string& path);

}  // namespace fhirctl
