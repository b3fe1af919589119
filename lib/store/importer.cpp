#include "store/importer.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include <sys/resource.h>
#include <unistd.h>

#include "base/fhir_time.hpp"
#include "model/resource_validator.hpp"
#include "sql/wal_checkpointer.hpp"

namespace store {
namespace {

constexpr std::size_t kMaxErrors = 1000;
constexpr std::size_t kChunkItems = 256;        // inputs per unit of work handed to a worker...
constexpr std::size_t kChunkBytes = 8u << 20;   // ...or fewer when their text is this large

// While importing, the writer connection trades per-commit fsyncs for one at the end, keeps more
// pages in memory and checkpoints the WAL less often. Into a database that holds data,
// synchronous=NORMAL: in WAL mode it never corrupts the database, and it syncs only at
// checkpoints. Into an empty one, synchronous=OFF: no sync at all until the final checkpoint (a
// power failure in the middle can leave that database unusable; it had nothing to lose).
constexpr const char* kBulkPragmas = "PRAGMA cache_size=-262144; PRAGMA wal_autocheckpoint=16384;";

struct Input {
  std::uint32_t source = 0;             // index into Chunk::sources
  std::int64_t line = 0;
  std::size_t offset = 0, size = 0;     // the JSON text in Chunk::text
  std::unique_ptr<base::Json> parsed;   // add_resource(): parsed already
  std::string error;                    // reject(): refused before it got here
};

struct Output {
  std::uint32_t source = 0;
  std::int64_t line = 0;
  std::optional<PreparedResource> resource;
  std::string error;  // why it was rejected, when there is no resource
};

struct Chunk {
  std::uint64_t seq = 0;
  std::vector<std::string> sources;
  std::string text;
  std::vector<Input> inputs;
  std::vector<Output> outputs;  // filled by a worker, one per input
};

// CPU time (user + system) of the calling thread.
double thread_cpu_seconds() {
  rusage u{};
  if (getrusage(RUSAGE_THREAD, &u) != 0) return 0;
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

// Lowers the calling worker thread's priority by kWorkerNiceness (per-thread nice on Linux).
// The single writer is the pipeline's bottleneck, and with the WAL checkpointer there are more
// busy threads than cores on a small machine: the workers then take the time the writer leaves,
// instead of an equal share of it (bench/README.md, "Import (issue 4)": +7.5 % at N = 10,000).
constexpr int kWorkerNiceness = 5;
void yield_to_writer() {
  const auto tid = static_cast<id_t>(::gettid());
  errno = 0;
  const int now = ::getpriority(PRIO_PROCESS, tid);
  if (errno != 0) return;
  (void)::setpriority(PRIO_PROCESS, tid, std::min(19, now + kWorkerNiceness));  // best effort
}

std::string where(const Chunk& c, const Output& o) {
  return c.sources[o.source] + ":" + std::to_string(o.line) + ": ";
}

}  // namespace

struct Importer::Impl {
  Impl(ResourceStore& s, ImportOptions o) : store(s), options(o) {
    if (options.batch_size < 1) options.batch_size = 1;
    int n = options.workers;
    if (n <= 0) n = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
    // Room for a whole next batch besides what the workers hold: the writer takes chunks until it
    // has batch_size resources, then writes them; with less room the workers stalled while it
    // wrote, and it then waited for them chunk by chunk (writer and workers took turns).
    max_in_flight = static_cast<std::uint64_t>(2 * n + 2) +
                    (static_cast<std::uint64_t>(options.batch_size) + kChunkItems - 1) / kChunkItems;
    for (int i = 0; i < n; ++i) workers.emplace_back([this] { work(); });
    writer = std::thread([this] { write_loop(); });
  }

  ~Impl() {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv_work.notify_all();
    cv_ready.notify_all();
    cv_progress.notify_all();
    for (auto& t : workers) t.join();
    writer.join();
    if (bulk) (void)end_bulk();
  }

  // --- caller side -------------------------------------------------------------------------

  Input& next_input(std::string_view source, std::int64_t line) {
    if (!current) current = std::make_unique<Chunk>();
    Chunk& c = *current;
    if (c.sources.empty() || c.sources.back() != source) c.sources.emplace_back(source);
    Input& in = c.inputs.emplace_back();
    in.source = static_cast<std::uint32_t>(c.sources.size() - 1);
    in.line = line;
    return in;
  }

  base::Status maybe_submit() {
    if (current->inputs.size() >= kChunkItems || current->text.size() >= kChunkBytes) return submit();
    return {};
  }

  base::Status submit() {
    if (!current || current->inputs.empty()) return fatal_status();
    std::unique_lock lock(mu);
    cv_progress.wait(lock, [&] { return stop || !fatal.ok() || submitted - consumed < max_in_flight; });
    if (!fatal.ok()) return fatal;
    current->seq = submitted++;
    queue.push_back(std::move(current));
    lock.unlock();
    cv_work.notify_one();
    return {};
  }

  base::Status fatal_status() {
    std::lock_guard lock(mu);
    return fatal;
  }

  base::Status flush() {
    FHIR_CHECK(submit());
    {
      std::unique_lock lock(mu);
      flush_requested = true;
      flush_done = false;
      cv_ready.notify_all();
      cv_progress.wait(lock, [&] { return flush_done || !fatal.ok(); });
      flush_requested = false;
      if (!fatal.ok()) return fatal;
    }
    if (bulk) FHIR_CHECK(end_bulk());
    return {};
  }

  // --- workers -----------------------------------------------------------------------------

  void work() {
    yield_to_writer();
    double cpu_seen = 0;  // this thread's CPU time already added to stats
    while (true) {
      std::unique_ptr<Chunk> c;
      std::int64_t now = 0;
      {
        std::unique_lock lock(mu);
        cv_work.wait(lock, [&] { return stop || !queue.empty() || !trash.empty(); });
        if (stop) return;
        if (!trash.empty()) {
          // Freeing what the writer is done with here keeps that work off the writer thread.
          std::unique_ptr<Chunk> done = std::move(trash.front());
          trash.pop_front();
          lock.unlock();
          done.reset();
          continue;
        }
        c = std::move(queue.front());
        queue.pop_front();
        // Chunks are taken in order, so lastUpdated never goes backwards along the input.
        now = std::max(base::now_us(), last_stamp);
        last_stamp = now;
      }
      prepare(*c, now);
      const double cpu = thread_cpu_seconds();
      {
        std::lock_guard lock(mu);
        ready.emplace(c->seq, std::move(c));
        stats.worker_cpu_seconds += cpu - cpu_seen;
        cpu_seen = cpu;
      }
      cv_ready.notify_one();
    }
  }

  void prepare(Chunk& c, std::int64_t now) {
    c.outputs.resize(c.inputs.size());
    for (std::size_t i = 0; i < c.inputs.size(); ++i) {
      Input& in = c.inputs[i];
      Output& out = c.outputs[i];
      out.source = in.source;
      out.line = in.line;
      if (!in.error.empty()) {
        out.error = std::move(in.error);
        continue;
      }
      try {
        base::Json resource;
        if (in.parsed) {
          resource = std::move(*in.parsed);
        } else {
          auto parsed = base::parse_json(std::string_view(c.text).substr(in.offset, in.size));
          if (!parsed) {
            out.error = parsed.error().message;
            continue;
          }
          resource = std::move(*parsed);
        }
        if (!resource.is_object()) {
          out.error = "not a JSON object";
          continue;
        }
        if (auto s = model::validate_resource(resource); !s.ok()) {
          out.error = s.error().message;
          continue;
        }
        const std::string type = resource["resourceType"].get<std::string>();
        std::string id;
        if (auto it = resource.find("id"); it != resource.end() && it->is_string()) id = it->get<std::string>();
        out.resource = store.prepare(type, std::move(id), resource, now);
      } catch (const std::exception& e) {
        out.error = std::string("cannot prepare this resource: ") + e.what();
      }
    }
    // The text and parsed inputs are no longer needed; free them before the chunk waits its turn.
    std::vector<Input>().swap(c.inputs);
    std::string().swap(c.text);
  }

  // --- writer ------------------------------------------------------------------------------

  void write_loop() {
    std::vector<std::unique_ptr<Chunk>> pending;
    std::size_t pending_items = 0;
    while (true) {
      std::unique_ptr<Chunk> c;
      bool write_now = false;
      {
        std::unique_lock lock(mu);
        cv_ready.wait(lock, [&] {
          return stop || ready.count(consumed) != 0 || (flush_requested && !flush_done && consumed == submitted);
        });
        if (stop) return;
        if (auto it = ready.find(consumed); it != ready.end()) {
          c = std::move(it->second);
          ready.erase(it);
          ++consumed;
        } else {
          write_now = true;  // a flush, and every submitted chunk has arrived
        }
      }
      cv_progress.notify_all();
      if (c) {
        pending_items += c->outputs.size();
        pending.push_back(std::move(c));
        if (pending_items >= static_cast<std::size_t>(options.batch_size)) write_now = true;
      }
      if (!write_now) continue;
      base::Status s;
      if (fatal_status().ok()) s = write_batch(pending);
      pending_items = 0;
      {
        std::lock_guard lock(mu);
        for (auto& done : pending) trash.push_back(std::move(done));
        stats.writer_cpu_seconds = thread_cpu_seconds();
        if (!s.ok() && fatal.ok()) fatal = s;
        if (flush_requested && consumed == submitted) flush_done = true;
      }
      pending.clear();
      cv_work.notify_one();
      cv_progress.notify_all();
    }
  }

  // Writes the prepared resources of `chunks` in one transaction. When that fails, writes them
  // one at a time to find and reject the bad ones. Errors: a database failure.
  base::Status write_batch(std::vector<std::unique_ptr<Chunk>>& chunks) {
    if (!bulk) FHIR_CHECK(begin_bulk());
    std::int64_t created = 0, updated = 0;
    auto s = store.write([&](WriteTx& tx) -> base::Status {
      for (auto& c : chunks) {
        for (auto& o : c->outputs) {
          if (!o.resource) continue;
          FHIR_TRY(bool was_created, tx.put_prepared(*o.resource));
          ++(was_created ? created : updated);
        }
      }
      return {};
    });
    if (s.ok()) {
      if (checkpointer) checkpointer->poke();
      std::lock_guard lock(mu);
      stats.created += created;
      stats.updated += updated;
      for (auto& c : chunks) {
        for (auto& o : c->outputs) {
          if (!o.resource) add_rejection(where(*c, o) + o.error);
        }
      }
      return {};
    }
    for (auto& c : chunks) {
      for (auto& o : c->outputs) {
        if (!o.resource) {
          std::lock_guard lock(mu);
          add_rejection(where(*c, o) + o.error);
          continue;
        }
        bool was_created = false;
        auto one = store.write([&](WriteTx& tx) -> base::Status {
          FHIR_TRY(was_created, tx.put_prepared(*o.resource));
          return {};
        });
        std::lock_guard lock(mu);
        if (one.ok()) {
          ++(was_created ? stats.created : stats.updated);
        } else if (one.error().code == base::ErrorCode::internal) {
          return one;
        } else {
          add_rejection(where(*c, o) + one.error().message);
        }
      }
    }
    return {};
  }

  void add_rejection(std::string message) {  // mu held
    ++stats.rejected;
    if (stats.errors.size() < kMaxErrors) stats.errors.push_back(std::move(message));
  }

  struct Saved {
    std::int64_t synchronous = 2, cache_size = -16000, wal_autocheckpoint = 1000, foreign_keys = 1;
  };

  base::Status begin_bulk() {
    FHIR_TRY(auto conn, store.database().writer());
    auto read = [&](const char* pragma, std::int64_t& out) -> base::Status {
      sql::Query q(*conn, pragma);
      FHIR_TRY(bool row, q.step());
      if (row) out = q.int_at(0);
      return {};
    };
    FHIR_CHECK(read("PRAGMA synchronous", saved.synchronous));
    FHIR_CHECK(read("PRAGMA cache_size", saved.cache_size));
    FHIR_CHECK(read("PRAGMA wal_autocheckpoint", saved.wal_autocheckpoint));
    FHIR_CHECK(read("PRAGMA foreign_keys", saved.foreign_keys));
    bool empty = false;
    {
      sql::Query q(*conn, "SELECT NOT EXISTS (SELECT 1 FROM resources)");
      FHIR_TRY(bool row, q.step());
      empty = row && q.int_at(0) != 0;
    }
    FHIR_CHECK(conn->exec(kBulkPragmas));
    FHIR_CHECK(conn->exec("PRAGMA foreign_keys=OFF"));
    FHIR_CHECK(conn->exec(empty ? "PRAGMA synchronous=OFF" : "PRAGMA synchronous=NORMAL"));
    bulk = true;
    std::string db_file;
    {
      sql::Query q(*conn, "SELECT file FROM pragma_database_list WHERE name = 'main'");
      FHIR_TRY(bool row, q.step());
      if (row && !q.null_at(0)) db_file = q.string_at(0);
    }
    // (An in-memory database has no file, and no WAL to copy.)
    if (!db_file.empty()) {
      FHIR_TRY(checkpointer, sql::WalCheckpointer::start(db_file, !empty));
    }
    return {};
  }

  // Makes everything written durable and restores the connection's settings: stops the
  // checkpoint helper, copies what is left of the WAL into the database file with synchronous
  // back to its setting, then syncs that file (which also flushes the pages earlier checkpoints
  // wrote unsynced).
  base::Status end_bulk() {
    bulk = false;
    if (checkpointer) {
      checkpointer->stop();
      std::lock_guard lock(mu);
      stats.checkpoint_cpu_seconds += checkpointer->cpu_seconds();
    }
    // Whatever happens below, the helper's connection closes at the end.
    struct Close {
      std::unique_ptr<sql::WalCheckpointer>& c;
      ~Close() { c.reset(); }
    } close{checkpointer};
    FHIR_TRY(auto conn, store.database().writer());
    FHIR_CHECK(conn->exec("PRAGMA synchronous=" + std::to_string(saved.synchronous) +
                          "; PRAGMA cache_size=" + std::to_string(saved.cache_size) +
                          "; PRAGMA wal_autocheckpoint=" + std::to_string(saved.wal_autocheckpoint) +
                          "; PRAGMA foreign_keys=" + std::to_string(saved.foreign_keys) + ";"));
    sql::Query q(*conn, "PRAGMA wal_checkpoint(TRUNCATE)");
    FHIR_TRY(bool row, q.step());
    if (row && q.int_at(0) != 0) {
      // Readers kept part of the log from being copied; it was synced all the same.
      FHIR_CHECK(conn->exec("PRAGMA wal_checkpoint(PASSIVE)"));
    }
    // A checkpoint that finds nothing left to copy syncs nothing, and the copies made while
    // loading into an empty database were not synced: sync the file itself.
    if (checkpointer) FHIR_CHECK(checkpointer->sync());
    return {};
  }

  ResourceStore& store;
  ImportOptions options;
  std::uint64_t max_in_flight = 4;
  std::unique_ptr<Chunk> current;  // the chunk being filled by the caller

  mutable std::mutex mu;
  std::condition_variable cv_work;      // workers: a chunk to prepare, or stop
  std::condition_variable cv_ready;     // writer: the next chunk is prepared, a flush, or stop
  std::condition_variable cv_progress;  // caller: room in the pipeline, or the flush is done
  std::deque<std::unique_ptr<Chunk>> queue;                // submitted, not yet taken by a worker
  std::map<std::uint64_t, std::unique_ptr<Chunk>> ready;   // prepared, waiting for their turn
  std::deque<std::unique_ptr<Chunk>> trash;                // written, to be freed by a worker
  std::uint64_t submitted = 0;  // chunks submitted; the next one gets this seq
  std::uint64_t consumed = 0;   // chunks the writer has taken; it wants this seq next
  bool flush_requested = false;
  bool flush_done = false;
  bool stop = false;
  base::Status fatal;
  std::int64_t last_stamp = 0;
  ImportStats stats;

  bool bulk = false;  // writer thread (or the caller once the writer is idle in flush)
  Saved saved;
  std::unique_ptr<sql::WalCheckpointer> checkpointer;  // while bulk

  std::vector<std::thread> workers;
  std::thread writer;
};

Importer::Importer(ResourceStore& store, ImportOptions options) : impl_(std::make_unique<Impl>(store, options)) {}

Importer::~Importer() = default;

base::Status Importer::add(std::string_view source, std::int64_t line, std::string_view json_text) {
  Input& in = impl_->next_input(source, line);
  std::string& text = impl_->current->text;
  in.offset = text.size();
  in.size = json_text.size();
  text.append(json_text);
  return impl_->maybe_submit();
}

base::Status Importer::add_resource(std::string_view source, std::int64_t line, base::Json resource) {
  Input& in = impl_->next_input(source, line);
  in.parsed = std::make_unique<base::Json>(std::move(resource));
  return impl_->maybe_submit();
}

void Importer::reject(std::string_view source, std::int64_t line, const std::string& message) {
  Input& in = impl_->next_input(source, line);
  in.error = message.empty() ? "rejected" : message;
  (void)impl_->maybe_submit();
}

base::Status Importer::flush() { return impl_->flush(); }

ImportStats Importer::counts() const {
  std::lock_guard lock(impl_->mu);
  ImportStats s;
  s.created = impl_->stats.created;
  s.updated = impl_->stats.updated;
  s.rejected = impl_->stats.rejected;
  return s;
}

ImportStats Importer::stats() const {
  std::lock_guard lock(impl_->mu);
  return impl_->stats;
}

}  // namespace store
