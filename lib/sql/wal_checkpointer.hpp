#pragma once
// A helper thread for SQLite bulk loads: while the writer goes on inserting, it copies the WAL
// frames the writer has committed into the database file (a PASSIVE checkpoint on a connection
// of its own), work that would otherwise stop the writer after its commits. The writer's own
// automatic checkpoint (its wal_autocheckpoint) still runs; it then finds little left to copy and
// lets the log start over from its beginning, so the WAL stays the size it was.
#include <filesystem>
#include <memory>

#include "base/result.hpp"

namespace sql {

class WalCheckpointer {
 public:
  // Starts the thread on its own connection to the database file `db_file` (in WAL mode).
  // `sync`: whether each copy is synced (synchronous=NORMAL), or left to the operating system
  // (OFF, for a load that syncs once at its end). Errors: internal (the file cannot be opened).
  static base::Result<std::unique_ptr<WalCheckpointer>> start(const std::filesystem::path& db_file, bool sync);
  // Stops the thread once the copy in progress ends.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // The writer committed: copy what is new. (Without a poke it also looks every 100 ms.)
  void poke();
  // CPU time of the thread so far, in seconds.
  double cpu_seconds() const;

 private:
  struct Impl;
  explicit WalCheckpointer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Flushes the file's written data to stable storage (fsync). Errors: internal.
base::Status sync_file(const std::filesystem::path& file);

}  // namespace sql
