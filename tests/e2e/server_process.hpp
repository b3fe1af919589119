#pragma once
// Runs the real fhir-serve binary for end-to-end tests: a fresh data dir, a kernel-chosen port on
// loopback, stderr captured to a file, SIGTERM on destruction.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace e2e {

// Runs a command to completion; returns its exit code and captures stdout/stderr.
struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CommandResult run_command(const std::vector<std::string>& argv);

class ServerProcess {
 public:
  // Starts fhir-serve with `extra_args` (e.g. {"--dev"}) and waits until it logs its port.
  // data_dir empty: a new temporary directory (removed on destruction).
  explicit ServerProcess(std::vector<std::string> extra_args, std::filesystem::path data_dir = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  bool started() const { return port_ > 0; }
  int port() const { return port_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::string log() const;  // everything the server wrote to stderr so far
  // Sends SIGTERM and waits; returns the exit code (or -1 when killed by a signal / timeout).
  int stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  bool own_dir_ = false;
  std::filesystem::path data_dir_;
  std::filesystem::path log_path_;
};

}  // namespace e2e
