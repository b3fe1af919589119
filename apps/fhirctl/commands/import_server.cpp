#include "commands/import_server.hpp"

#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "base/uuid.hpp"
#include "model/resource_validator.hpp"

namespace fhirctl {
namespace {

constexpr std::size_t kMaxErrors = 1000;
constexpr std::size_t kMaxRanges = 4;  // line ranges named in one error before "and N more"

// Splits http(s)://host[:port][/path] into "scheme://host:port" and the path ("" for none).
base::Result<std::pair<std::string, std::string>> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return base::invalid("--server needs a URL such as https://host:8443/r4");
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "https" && scheme != "http") {
    return base::invalid("--server URL must start with https:// (or http://), not " + scheme + "://");
  }
  const auto path_start = url.find('/', scheme_end + 3);
  std::string host_port = url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "" : url.substr(path_start);
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (host_port.size() <= scheme_end + 3) return base::invalid("--server URL has no host: " + url);
  return std::make_pair(host_port, path);
}

// The diagnostics of an OperationOutcome body, or the start of the body when it is not one.
std::string outcome_text(const std::string& body) {
  auto parsed = base::parse_json(body);
  if (parsed && parsed->is_object() && parsed->value("resourceType", std::string()) == "OperationOutcome") {
    std::string text;
    if (auto issues = parsed->find("issue"); issues != parsed->end() && issues->is_array()) {
      for (const auto& issue : *issues) {
        if (!issue.is_object()) continue;
        std::string one = issue.value("diagnostics", std::string());
        if (one.empty()) {
          if (auto d = issue.find("details"); d != issue.end() && d->is_object()) one = d->value("text", std::string());
        }
        if (one.empty()) one = issue.value("code", std::string());
        if (one.empty()) continue;
        if (!text.empty()) text += "; ";
        text += one;
      }
    }
    if (!text.empty()) return text;
  }
  std::string start = body.substr(0, 300);
  for (char& c : start) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return start.empty() ? "(empty body)" : start;
}

class ServerSink final : public ImportSink {
 public:
  ServerSink(const ServerImportOptions& o, std::string host_port, std::string path)
      : options_(o), path_(path.empty() ? "/" : path), client_(host_port) {
    client_.enable_server_certificate_verification(!o.insecure);
    if (!o.ca_file.empty()) client_.set_ca_cert_path(o.ca_file.c_str());
    if (!o.token.empty()) client_.set_bearer_token_auth(o.token.c_str());
    client_.set_keep_alive(true);
    client_.set_connection_timeout(10);
    client_.set_read_timeout(o.timeout_seconds);
    client_.set_write_timeout(o.timeout_seconds);
  }

  base::Status add(std::string_view source, std::int64_t line, std::string_view json_text) override {
    auto parsed = base::parse_json(json_text);
    if (!parsed) {
      reject(source, line, parsed.error().message);
      return {};
    }
    return queue(source, line, *parsed, json_text);
  }

  base::Status add_resource(std::string_view source, std::int64_t line, base::Json resource) override {
    const std::string text = resource.is_object() ? base::dump_compact(resource) : std::string();
    return queue(source, line, resource, text);
  }

  void reject(std::string_view source, std::int64_t line, const std::string& message) override {
    ++stats_.rejected;
    note_error(std::string(source) + ":" + std::to_string(line) + ": " + message);
  }

  base::Status flush() override { return send(); }

  store::ImportStats counts() const override {
    store::ImportStats s;
    s.created = stats_.created;
    s.updated = stats_.updated;
    s.rejected = stats_.rejected;
    return s;
  }
  store::ImportStats stats() const override { return stats_; }

 private:
  struct Pending {
    std::size_t source;  // index into sources_
    std::int64_t line;
  };

  base::Status queue(std::string_view source, std::int64_t line, const base::Json& resource,
                     std::string_view text) {
    if (!resource.is_object()) {
      reject(source, line, "not a JSON object");
      return {};
    }
    if (auto s = model::validate_resource(resource); !s.ok()) {
      reject(source, line, s.error().message);
      return {};
    }
    const std::string type = resource["resourceType"].get<std::string>();
    std::string id;
    if (auto it = resource.find("id"); it != resource.end() && it->is_string()) id = it->get<std::string>();
    // Type and id passed validation (a known type, id syntax [A-Za-z0-9-.]{1,64}): nothing to escape.
    if (!pending_.empty()) body_ += ',';
    if (id.empty()) {
      body_ += R"({"fullUrl":"urn:uuid:)" + base::new_uuid() + R"(","request":{"method":"POST","url":")" + type +
               R"("},"resource":)";
    } else {
      body_ += R"({"request":{"method":"PUT","url":")" + type + "/" + id + R"("},"resource":)";
    }
    body_.append(text);
    body_ += '}';
    if (sources_.empty() || sources_.back() != source) sources_.emplace_back(source);
    pending_.push_back({sources_.size() - 1, line});
    if (static_cast<int>(pending_.size()) >= options_.batch) return send();
    return {};
  }

  // Sends the pending entries as one transaction Bundle. A Bundle the server refuses is counted
  // and reported, and the import goes on; an authentication failure (401: no token, or one the
  // server does not accept) stops it, since every later Bundle would fail the same way.
  base::Status send() {
    if (pending_.empty()) return {};
    const std::string bundle = R"({"resourceType":"Bundle","type":"transaction","entry":[)" + body_ + "]}";
    auto res = client_.Post(path_.c_str(), bundle, "application/fhir+json");
    if (!res) {
      fail("the request failed: " + httplib::to_string(res.error()) + tls_hint(res.error()));
    } else if (res->status == 401) {
      fail("the server answered 401: " + outcome_text(res->body));
      const std::string why = options_.token.empty()
                                  ? "no token was sent: give one with --token or FHIRCTL_TOKEN (fhirctl token get)"
                                  : "the server did not accept the token (expired, revoked or not its own?)";
      body_.clear();
      pending_.clear();
      return base::make_error(base::ErrorCode::unauthorized, "the server refused the request (401): " + why);
    } else if (res->status != 200) {
      fail("the server answered " + std::to_string(res->status) + ": " + outcome_text(res->body));
    } else {
      count_response(res->body);
    }
    body_.clear();
    pending_.clear();
    // Keep only the source of the last entry (a file goes on in the next Bundle).
    if (sources_.size() > 1) sources_.erase(sources_.begin(), sources_.end() - 1);
    return {};
  }

  std::string tls_hint(httplib::Error e) const {
    if (e == httplib::Error::SSLServerVerification) {
      return " (the certificate is not trusted: --ca FILE names the CA, --insecure skips the check)";
    }
    return "";
  }

  void count_response(const std::string& body) {
    auto parsed = base::parse_json(body);
    std::size_t seen = 0;
    if (parsed && parsed->is_object()) {
      if (auto entries = parsed->find("entry"); entries != parsed->end() && entries->is_array()) {
        for (const auto& e : *entries) {
          ++seen;
          std::string status;
          if (auto r = e.find("response"); r != e.end() && r->is_object()) status = r->value("status", std::string());
          ++(status.rfind("201", 0) == 0 ? stats_.created : stats_.updated);
        }
      }
    }
    if (seen != pending_.size()) {
      note_error(ranges() + ": the server's transaction-response has " + std::to_string(seen) + " entries for " +
                 std::to_string(pending_.size()) + " sent");
    }
  }

  void fail(const std::string& message) {
    stats_.rejected += static_cast<std::int64_t>(pending_.size());
    note_error(ranges() + ": " + std::to_string(pending_.size()) + " resources not loaded: " + message);
  }

  // "a.ndjson:1-500" / "a.ndjson:990-1000, b.ndjson:1-20" for the pending entries.
  std::string ranges() const {
    std::vector<std::string> parts;
    std::size_t i = 0;
    while (i < pending_.size()) {
      std::size_t j = i;
      while (j + 1 < pending_.size() && pending_[j + 1].source == pending_[i].source &&
             pending_[j + 1].line == pending_[j].line + 1) {
        ++j;
      }
      std::string part = sources_[pending_[i].source] + ":" + std::to_string(pending_[i].line);
      if (j > i) part += "-" + std::to_string(pending_[j].line);
      parts.push_back(std::move(part));
      i = j + 1;
    }
    std::string out;
    for (std::size_t k = 0; k < parts.size() && k < kMaxRanges; ++k) out += (k ? ", " : "") + parts[k];
    if (parts.size() > kMaxRanges) out += " and " + std::to_string(parts.size() - kMaxRanges) + " more";
    return out;
  }

  void note_error(std::string e) {
    if (stats_.errors.size() < kMaxErrors) stats_.errors.push_back(std::move(e));
  }

  ServerImportOptions options_;
  std::string path_;
  httplib::Client client_;
  std::string body_;                  // the entries of the next Bundle, comma-separated
  std::vector<Pending> pending_;      // where each of them came from
  std::vector<std::string> sources_;
  store::ImportStats stats_;
};

}  // namespace

base::Result<std::unique_ptr<ImportSink>> make_server_sink(const ServerImportOptions& options) {
  FHIR_TRY(auto parts, split_url(options.url));
  if (!options.ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.ca_file, ec)) {
      return base::invalid("--ca " + options.ca_file + ": no such file");
    }
  }
  return std::unique_ptr<ImportSink>(std::make_unique<ServerSink>(options, parts.first, parts.second));
}

}  // namespace fhirctl
