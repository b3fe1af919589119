#include "output.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ccdgen {

base::Status write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) return base::internal_error("cannot create " + tmp.string() + ": " + std::strerror(errno));
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  const int saved = errno;
  if (std::fclose(f) != 0 || !written) {
    std::remove(tmp.c_str());
    return base::internal_error("cannot write " + path.string() + ": " + std::strerror(written ? errno : saved));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    std::remove(tmp.c_str());
    return base::internal_error("cannot write " + path.string() + ": " + std::strerror(e));
  }
  return {};
}

base::Status write_stdout(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
    return base::internal_error(std::string("cannot write to stdout: ") + std::strerror(errno));
  }
  return {};
}

base::Status make_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return base::internal_error("cannot create directory " + dir.string() + ": " + ec.message());
  if (!std::filesystem::is_directory(dir, ec)) return base::internal_error(dir.string() + " is not a directory");
  return {};
}

base::Result<std::string> document_file_name(std::string_view id, bool html) {
  const bool ok = !id.empty() && id.size() <= 64 && id != "." && id != ".." &&
                  std::all_of(id.begin(), id.end(), [](char c) {
                    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                           c == '.';
                  });
  if (!ok) return base::invalid("patient id '" + std::string(id) + "' cannot be a file name");
  return std::string(id) + (html ? ".html" : ".xml");
}

}  // namespace ccdgen
