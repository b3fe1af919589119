#include "e2e/server_process.hpp"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace e2e {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::filesystem::path make_temp_dir() {
  char tmpl[] = "/tmp/fhir-e2e-XXXXXX";
  return mkdtemp(tmpl) ? std::filesystem::path(tmpl) : std::filesystem::path();
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& out_path, const std::string& err_path) {
  const pid_t pid = fork();
  if (pid != 0) return pid;
  if (!out_path.empty()) (void)!freopen(out_path.c_str(), "w", stdout);
  (void)!freopen(err_path.c_str(), "w", stderr);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv) {
  const auto dir = make_temp_dir();
  const auto out = dir / "out", err = dir / "err";
  CommandResult r;
  const pid_t pid = spawn(argv, out.string(), err.string());
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return r;
}

ServerProcess::ServerProcess(std::vector<std::string> extra_args, std::filesystem::path data_dir) {
  if (data_dir.empty()) {
    data_dir_ = make_temp_dir();
    own_dir_ = true;
  } else {
    data_dir_ = std::move(data_dir);
  }
  log_path_ = data_dir_.string() + ".serve.log";
  std::vector<std::string> argv = {FHIR_SERVE_BIN, "--data-dir", data_dir_.string(), "--listen", "127.0.0.1:0",
                                   "--threads", "16"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  pid_ = spawn(argv, "", log_path_.string());
  static const std::regex port_re(R"(listening on https?://[^ ]+:(\d+))");
  // --demo loads ~25,000 resources before listening: 20 s on a busy 2-core machine.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    const std::string text = log();
    if (std::regex_search(text, m, port_re)) {
      port_ = std::stoi(m[1]);
      return;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string ServerProcess::log() const { return read_file(log_path_); }

int ServerProcess::stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

ServerProcess::~ServerProcess() {
  stop();
  std::error_code ec;
  std::filesystem::remove(log_path_, ec);
  if (own_dir_) std::filesystem::remove_all(data_dir_, ec);
}

}  // namespace e2e
