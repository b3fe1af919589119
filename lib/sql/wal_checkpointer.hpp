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
  // Stops the thread once the copy in progress ends; the connection stays open for sync().
  void stop();
  // Flushes the database file to stable storage (fsync through SQLite's own file handle: a
  // separate open and close of the file would drop this process's SQLite locks on it). For the
  // end of a load whose copies were not synced: a final checkpoint that finds nothing left to
  // copy syncs nothing. Errors: internal.
  base::Status sync();
  // CPU time of the thread so far, in seconds.
  double cpu_seconds() const;

 private:
  struct Impl;
  explicit WalCheckpointer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sql
