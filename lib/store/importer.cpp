#include "store/importer.hpp"

#include <nlohmann/json.hpp>

#include "model/resource_validator.hpp"

namespace store {

void Importer::reject(std::string_view source, std::int64_t line, const std::string& message) {
  ++stats_.rejected;
  if (stats_.errors.size() < 1000) {
    stats_.errors.push_back(std::string(source) + ":" + std::to_string(line) + ": " + message);
  }
}

base::Status Importer::add(std::string_view source, std::int64_t line, std::string_view json_text) {
  auto parsed = base::parse_json(json_text);
  if (!parsed) {
    reject(source, line, parsed.error().message);
    return {};
  }
  return queue(source, line, std::move(*parsed), std::string(json_text));
}

base::Status Importer::add_resource(std::string_view source, std::int64_t line, base::Json resource) {
  std::string text = resource.is_object() ? base::dump_compact(resource) : std::string();
  return queue(source, line, std::move(resource), std::move(text));
}

base::Status Importer::queue(std::string_view source, std::int64_t line, base::Json resource, std::string text) {
  if (!resource.is_object()) {
    reject(source, line, "not a JSON object");
    return {};
  }
  if (auto s = model::validate_resource(resource); !s.ok()) {
    std::string msg = s.error().message;
    reject(source, line, msg);
    return {};
  }
  pending_.push_back({std::string(source), line, std::move(resource), std::move(text)});
  if (static_cast<int>(pending_.size()) >= batch_size_) return flush();
  return {};
}

base::Status Importer::write_one(Pending& p, WriteTx& tx) {
  const std::string type = p.resource["resourceType"].get<std::string>();
  std::string id;
  if (auto it = p.resource.find("id"); it != p.resource.end() && it->is_string()) id = it->get<std::string>();
  if (id.empty()) {
    FHIR_TRY(auto w, tx.create(type, std::move(p.resource)));
    (void)w;
    ++stats_.created;
    return {};
  }
  FHIR_TRY(auto w, tx.update(type, id, std::move(p.resource)));
  ++(w.created ? stats_.created : stats_.updated);
  return {};
}

base::Status Importer::flush() {
  if (pending_.empty()) return {};
  const ImportStats before = stats_;
  auto s = store_.write([&](WriteTx& tx) -> base::Status {
    for (auto& p : pending_) FHIR_CHECK(write_one(p, tx));
    return {};
  });
  if (s.ok()) {
    pending_.clear();
    return {};
  }
  // The batch rolled back: retry one resource at a time (from the kept text) to find the bad one.
  stats_ = before;
  for (auto& p : pending_) {
    auto reparsed = base::parse_json(p.text);
    if (!reparsed) {
      reject(p.source, p.line, reparsed.error().message);
      continue;
    }
    p.resource = std::move(*reparsed);
    auto one = store_.write([&](WriteTx& tx) { return write_one(p, tx); });
    if (!one.ok()) {
      if (one.error().code == base::ErrorCode::internal) {
        pending_.clear();
        return one;
      }
      reject(p.source, p.line, one.error().message);
    }
  }
  pending_.clear();
  return {};
}

}  // namespace store
