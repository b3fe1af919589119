#pragma once
// ResourceStore: every R4 resource type, current version + full history, over sql::Database.
// Reads hand back the stored JSON bytes unchanged; writes stamp id, meta.versionId and
// meta.lastUpdated and store the compact serialisation.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.hpp"
#include "base/result.hpp"
#include "sql/database.hpp"

namespace store {

struct StoredResource {
  std::string type;
  std::string id;
  std::int64_t version = 0;
  std::int64_t last_updated_us = 0;
  bool deleted = false;
  std::string json;  // the stored bytes; empty for a deletion
};

struct WriteResult {
  StoredResource resource;
  bool created = false;  // this write created the resource (HTTP 201)
  bool changed = true;   // false when a delete found nothing to delete
};

struct HistoryEntry {
  StoredResource resource;
  std::int64_t seq = 0;
  std::string method;  // POST | PUT | DELETE
};

struct HistoryQuery {
  std::optional<std::string> type;        // type-level history
  std::vector<std::string> types;         // system-level history: only these types (empty: every type)
  std::optional<std::string> id;          // instance-level history (needs type)
  std::optional<std::int64_t> since_us;   // _since: versions written at or after this time
  std::optional<std::int64_t> before_seq; // paging cursor: entries older than this seq
  int count = 50;
};

struct HistoryPage {
  std::vector<HistoryEntry> entries;       // newest first
  std::optional<std::int64_t> next_cursor; // before_seq for the next page, when there is one
  std::int64_t total = 0;                  // matching versions in all pages
};

// Runs inside the write transaction after every create/update/delete (search indexing, Group
// maintenance, ...). An error aborts the whole transaction.
class WriteTx;

// What a hook computed from a resource before its write (WriteHook::prepare), handed back to
// WriteHook::on_prepared_write. Each hook defines its own subclass.
class HookData {
 public:
  virtual ~HookData() = default;
};

class WriteHook {
 public:
  virtual ~WriteHook() = default;
  // Bulk loads (store::Importer) split a write in two. prepare() runs on a worker thread, before
  // the write, on the stamped resource (id and meta set as for version 1): the work that needs
  // only the resource (e.g. evaluating search expressions). It must be thread-safe and must not
  // touch the database. on_prepared_write() then runs inside the transaction instead of on_write,
  // with what prepare() returned; together they must have exactly the effect of on_write.
  // The defaults: prepare nothing; on_prepared_write parses resource.json and calls on_write.
  virtual std::unique_ptr<HookData> prepare(const std::string& /*type*/, const std::string& /*id*/,
                                            const base::Json& /*stamped*/) const {
    return nullptr;
  }
  virtual base::Status on_prepared_write(sql::Connection& conn, std::int64_t rid, const StoredResource& resource,
                                         const HookData* data);
  // Runs once per transaction after the caller's writes and before COMMIT; may write more
  // resources through `tx` (e.g. derived Groups), which run the hooks' on_write again.
  virtual base::Status before_commit(WriteTx& /*tx*/) { return {}; }
  // Runs after every transaction, committed or rolled back, to drop per-transaction state.
  // Writes are serialised (one writer), so per-transaction state needs no lock.
  virtual void end_transaction() {}
  // `parsed` is the stored JSON already parsed (nullptr for a deletion), so hooks need not parse
  // resource.json again.
  virtual base::Status on_write(sql::Connection& conn, std::int64_t rid, const StoredResource& resource,
                                const base::Json* parsed) = 0;
};

// A resource made ready for writing off the writer thread (ResourceStore::prepare): stamped and
// serialised as version 1, with each hook's prepared data. WriteTx::put_prepared writes it.
struct PreparedResource {
  std::string type;
  std::string id;
  std::string json;                 // the stored bytes if this becomes version 1
  std::size_t version_at = 0;       // offset of the versionId digits ("1") in json
  std::int64_t last_updated_us = 0;
  const char* method = "PUT";       // PUT (the input had an id) or POST (a new id was given)
  std::vector<std::unique_ptr<HookData>> hook_data;  // one per store hook, in order
};

// Writes inside one SQL transaction (see ResourceStore::write). Errors:
// not_found / gone for reads; precondition_failed when if_match differs from the current
// version; conflict when the database refuses (e.g. a concurrent unique id).
class WriteTx {
 public:
  WriteTx(sql::Connection& conn, const std::vector<WriteHook*>& hooks, std::int64_t now_us)
      : conn_(conn), hooks_(hooks), now_us_(now_us) {}

  // Creates with `id`, or a new UUID when `id` is empty (any id in `resource` is replaced).
  // Errors: conflict when a resource with that id already exists.
  base::Result<WriteResult> create(std::string_view type, base::Json resource, std::string_view id = {});
  // Updates, or creates with the client's id when it does not exist (created=true).
  base::Result<WriteResult> update(std::string_view type, std::string_view id, base::Json resource,
                                   std::optional<std::int64_t> if_match = std::nullopt);
  // Deletes (a new version marked deleted). Deleting a missing or deleted resource changes nothing.
  base::Result<WriteResult> remove(std::string_view type, std::string_view id,
                                   std::optional<std::int64_t> if_match = std::nullopt);
  // Writes a prepared resource: as update(type, id, resource) with the prepared bytes (the
  // versionId is rewritten when the resource already exists), running the hooks'
  // on_prepared_write. Returns whether it was created. `p` is left as it was, so a failed
  // transaction can be retried with it, and must stay alive until the transaction has ended:
  // hooks may keep pointers to its hook data until before_commit.
  base::Result<bool> put_prepared(PreparedResource& p);
  // Reads the current version as this transaction sees it.
  base::Result<StoredResource> read(std::string_view type, std::string_view id);
  // Writes the history rows put_prepared keeps back (it writes them many to an INSERT). Called
  // by ResourceStore::write before the hooks' before_commit, and before any other write or read
  // of this transaction, so history keeps the write order. Errors: the database's.
  base::Status flush_history();
  // The transaction's connection, for hooks that query inside it.
  sql::Connection& connection() { return conn_; }

 private:
  base::Result<WriteResult> put_version(std::string_view type, std::string_view id,
                                        base::Json* resource, const char* method);
  sql::Connection& conn_;
  const std::vector<WriteHook*>& hooks_;
  std::int64_t now_us_;
  std::int64_t next_rid_ = 0;  // put_prepared's next rid; 0: read it from the table
  struct PendingHistory {
    std::int64_t rid = 0, version = 0, last_updated_us = 0;
    const PreparedResource* source = nullptr;  // its type and id (the json is the current one)
    const char* method = "PUT";
  };
  std::vector<PendingHistory> history_;  // put_prepared's rows not yet inserted
};

class ResourceStore {
 public:
  explicit ResourceStore(sql::Database& db) : db_(db) {}

  // Adds a hook run inside every write transaction. Call before serving; not thread-safe.
  void add_hook(WriteHook* hook) { hooks_.push_back(hook); }

  // Current version. Errors: not_found (never existed), gone (deleted; the message says when).
  base::Result<StoredResource> read(std::string_view type, std::string_view id) const;
  // One version. Errors: not_found (no such resource or version), gone (that version is a delete).
  base::Result<StoredResource> vread(std::string_view type, std::string_view id,
                                     std::int64_t version) const;
  // History, newest first. Instance history of an unknown resource is not_found.
  base::Result<HistoryPage> history(const HistoryQuery& query) const;

  // Single writes, each its own transaction.
  base::Result<WriteResult> create(std::string_view type, base::Json resource);
  base::Result<WriteResult> update(std::string_view type, std::string_view id, base::Json resource,
                                   std::optional<std::int64_t> if_match = std::nullopt);
  base::Result<WriteResult> remove(std::string_view type, std::string_view id,
                                   std::optional<std::int64_t> if_match = std::nullopt);

  // Stamps `resource` for writing as version 1 at `now_us` (id set, meta.versionId and
  // meta.lastUpdated set, members ordered resourceType, id, meta, the rest as given), serialises
  // it exactly as a write through WriteTx would, and runs every hook's prepare(). `id` empty:
  // a new UUID (a create). Thread-safe; touches no database. `resource` must be a JSON object
  // whose resourceType is `type` (callers validate first); it is modified in place.
  PreparedResource prepare(const std::string& type, std::string id, base::Json& resource,
                           std::int64_t now_us) const;
  const std::vector<WriteHook*>& hooks() const { return hooks_; }

  // Runs `fn` in one transaction: all of its writes commit together or none do (fn's error, or a
  // database error, rolls back). Durable when this returns ok.
  base::Status write(const std::function<base::Status(WriteTx&)>& fn);

  sql::Database& database() const { return db_; }

 private:
  sql::Database& db_;
  std::vector<WriteHook*> hooks_;
};

}  // namespace store
