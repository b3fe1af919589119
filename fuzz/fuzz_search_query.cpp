// libFuzzer harness: FHIR search query strings, from the URL to the SQL.
//
// Input: one selector byte, then a query string as it follows `?` in a URL.
//   selector & 0x07  resource type: "" (system level), Patient, Observation, Condition, Encounter,
//                    Practitioner, DiagnosticReport, MedicationRequest
//   selector & 0x08  strict handling (Prefer: handling=strict)
//   selector & 0x10  restricted to Patient/p1's compartment (as for a patient-scoped token)
// Printable selectors: '@' system, 'A' Patient, 'B' Observation, 'C' Condition, 'D' Encounter,
// 'E' Practitioner, 'F' DiagnosticReport, 'G' MedicationRequest; +8 ('H'..'O') strict; +16
// ('P'..'W') patient-restricted. So "Bpatient=Patient/p1&_count=1" is an Observation search.
//
// The query is decoded with rest::parse_query_string, parsed by search::parse_search and, when it
// parses, run by the real SearchEngine over a small SQLite database created at startup (a few
// indexed resources). Properties checked (abort() = a finding):
//   - nothing crashes, hangs, leaks or trips ASan/UBSan;
//   - parse_search fails only with ErrorCode::invalid;
//   - a parsed request never makes search() fail other than with invalid (no SQL error, no 500);
//   - at most _count matches; following the next link (built as rest/search_output.cpp does)
//     parses and succeeds, and so does that page's previous link.
// With FUZZ_VERBOSE=1 in the environment each input's outcome is printed (to check seeds or
// reproduce: build/fuzz/fuzz/fuzz_search_query FILE...).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include "base/json.hpp"
#include "rest/http.hpp"
#include "search/access.hpp"
#include "search/query.hpp"
#include "search/setup.hpp"
#include "store/data_dir.hpp"
#include "store/resource_store.hpp"

namespace {

constexpr std::string_view kBaseUrl = "https://fhir.test/r4";
constexpr const char* kTypes[8] = {"",           "Patient",      "Observation",      "Condition",
                                   "Encounter", "Practitioner", "DiagnosticReport", "MedicationRequest"};

// A few linked resources, so that chains, _has, _include and paging have something to find.
constexpr struct {
  const char* type;
  const char* id;
  const char* json;
} kSeed[] = {
    {"Patient", "p1",
     R"({"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.36.146.595.217.0.1","value":"12345"}],)"
     R"("active":true,"name":[{"use":"official","family":"Chalmers","given":["Peter","James"]}],)"
     R"("gender":"male","birthDate":"1974-12-25","telecom":[{"system":"phone","value":"(03) 5555 6473"}],)"
     R"("address":[{"city":"PleasantVille","state":"Vic","postalCode":"3999"}],)"
     R"("generalPractitioner":[{"reference":"Practitioner/pr1"}]})"},
    {"Patient", "p2",
     R"({"resourceType":"Patient","name":[{"family":"Ch\u00e2lmers","given":["Peter"]}],"gender":"female",)"
     R"("birthDate":"2001-03"})"},
    {"Practitioner", "pr1",
     R"({"resourceType":"Practitioner","identifier":[{"system":"http://hl7.org/fhir/sid/us-npi","value":"9941339108"}],)"
     R"("name":[{"family":"Careful","given":["Adam"],"prefix":["Dr"]}]})"},
    {"Encounter", "e1",
     R"({"resourceType":"Encounter","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},)"
     R"("subject":{"reference":"Patient/p1"},"participant":[{"individual":{"reference":"Practitioner/pr1"}}],)"
     R"("period":{"start":"2020-01-01T10:00:00Z","end":"2020-01-01T11:00:00Z"}})"},
    {"Observation", "o1",
     R"({"resourceType":"Observation","status":"final","category":[{"coding":[{"system":)"
     R"("http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],)"
     R"("code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},)"
     R"("subject":{"reference":"Patient/p1"},"encounter":{"reference":"Encounter/e1"},)"
     R"("performer":[{"reference":"Practitioner/pr1"}],"effectiveDateTime":"2020-01-01T10:30:00Z",)"
     R"("valueQuantity":{"value":72,"unit":"beats/minute","system":"http://unitsofmeasure.org","code":"/min"}})"},
    {"Observation", "o2",
     R"({"resourceType":"Observation","status":"amended","code":{"coding":[{"system":"http://loinc.org","code":"1234"}],)"
     R"("text":"Glucose"},"subject":{"reference":"https://fhir.test/r4/Patient/p1"},)"
     R"("effectivePeriod":{"start":"2021-06-01","end":"2021-06-02"},"valueString":"normal",)"
     R"("component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},)"
     R"("valueQuantity":{"value":120.5,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]})"},
    {"Condition", "c1",
     R"({"resourceType":"Condition","clinicalStatus":{"coding":[{"system":)"
     R"("http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},)"
     R"("code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006","display":"Diabetes"}]},)"
     R"("subject":{"reference":"Patient/p1"},"onsetDateTime":"2015-03-01","recordedDate":"2015-03-02"})"},
};

[[noreturn]] void fail(const char* what, const base::Error& e) {
  std::fprintf(stderr, "fuzz_search_query: %s: %s: %s\n", what, base::to_string(e.code), e.message.c_str());
  std::abort();
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_search_query: %s\n", what);
  std::abort();
}

struct World {
  std::filesystem::path dir;
  std::unique_ptr<sql::Database> db;
  search::SearchComponents search;
  std::shared_ptr<const search::Access> p1_access;  // what a patient/*.read token for p1 sees
};

World* g_world = nullptr;
bool g_verbose = false;

void remove_data_dir() {
  if (!g_world) return;
  std::error_code ec;
  std::filesystem::remove_all(g_world->dir, ec);
}

World* make_world() {
  auto* w = new World();  // lives for the whole process
  std::string tmpl = (std::filesystem::temp_directory_path() / "fuzz_search_query.XXXXXX").string();
  if (!mkdtemp(tmpl.data())) fail("mkdtemp failed");
  w->dir = tmpl;
  g_world = w;
  std::atexit(remove_data_dir);
  auto db = store::open_data_dir(w->dir / "data");
  if (!db) fail("open_data_dir", db.error());
  w->db = std::move(*db);
  auto components = search::open_search(*w->db);
  if (!components) fail("open_search", components.error());
  w->search = std::move(*components);
  store::ResourceStore resources(*w->db);
  resources.add_hook(w->search.indexer.get());
  for (const auto& s : kSeed) {
    auto json = base::parse_json(s.json);
    if (!json) fail("seed resource JSON", json.error());
    auto written = resources.update(s.type, s.id, std::move(*json));
    if (!written) fail("seeding the database", written.error());
  }
  // As the guard builds it for patient/*.read with patient p1 in context.
  std::vector<search::Grant> grants;
  for (const char* t : {"Patient", "Observation", "Condition", "Encounter", "Practitioner", "DiagnosticReport",
                        "MedicationRequest", "Organization", "Provenance", "Device", "Group"}) {
    grants.push_back(search::Grant{t, true, {}});
  }
  auto access = search::make_access(*w->search.registry, "p1", grants, kBaseUrl);
  if (!access) fail("make_access", access.error());
  w->p1_access = std::make_shared<const search::Access>(std::move(*access));
  return w;
}

// The query string of a paging link, exactly as rest/search_output.cpp builds it.
std::string link_query(const search::SearchRequest& req, const std::string& cursor) {
  std::string q;
  bool has_count = false;
  for (const auto& [k, v] : req.echo) {
    if (!q.empty()) q += "&";
    q += rest::url_encode(k) + "=" + rest::url_encode(v);
    has_count = has_count || k == "_count";
  }
  if (!has_count) q += std::string(q.empty() ? "" : "&") + "_count=" + std::to_string(req.count);
  q += std::string(q.empty() ? "" : "&") + "_cursor=" + rest::url_encode(cursor);
  return q;
}

base::Result<search::SearchRequest> parse(const World& w, std::string_view type, const rest::Params& params,
                                          bool strict, const std::shared_ptr<const search::Access>& access) {
  auto req = search::parse_search(*w.search.registry, type, params, strict, kBaseUrl);
  if (!req) {
    if (req.error().code != base::ErrorCode::invalid) fail("parse_search: not invalid", req.error());
    return req;
  }
  req->access = access;
  req->include_access = access;
  return req;
}

void check_page(const search::SearchRequest& req, const search::SearchPage& page) {
  if (static_cast<int>(page.matches.size()) > req.count) fail("more matches than _count");
  if (req.summary == search::SummaryMode::count && !page.matches.empty()) fail("_summary=count returned matches");
}

// Follows a paging link of a page: it must parse and run without any error.
std::optional<search::SearchPage> follow(const World& w, std::string_view type, const search::SearchRequest& req,
                                         const std::string& cursor, bool strict, const char* which,
                                         search::SearchRequest* out_req) {
  const auto params = rest::parse_query_string(link_query(req, cursor));
  auto next_req = parse(w, type, params, strict, req.access);
  if (!next_req) fail(which, next_req.error());
  auto page = w.search.engine->search(*next_req);
  if (!page) fail(which, page.error());
  check_page(*next_req, *page);
  if (out_req) *out_req = std::move(*next_req);
  return std::move(*page);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (!g_world) make_world();
  const char* verbose = std::getenv("FUZZ_VERBOSE");
  g_verbose = verbose && *verbose && std::string_view(verbose) != "0";
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const World& w = *g_world;
  const std::uint8_t selector = data[0];
  const std::string_view type = kTypes[selector & 0x07];
  const bool strict = (selector & 0x08) != 0;
  const bool patient = (selector & 0x10) != 0;
  const std::string_view query(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto params = rest::parse_query_string(query);
  auto req = parse(w, type, params, strict, patient ? w.p1_access : nullptr);
  if (g_verbose) {
    std::fprintf(stderr, "[%s%s%s] %zu params: %s\n", std::string(type).c_str(), strict ? " strict" : "",
                 patient ? " patient=p1" : "", params.size(), req ? "parsed" : req.error().message.c_str());
  }
  if (!req) return 0;

  auto page = w.search.engine->search(*req);
  if (g_verbose) {
    if (page) {
      std::fprintf(stderr, "  search: %zu matches, %zu included, total %lld%s\n", page->matches.size(),
                   page->included.size(), page->total ? static_cast<long long>(*page->total) : -1LL,
                   page->next_cursor ? ", next link" : "");
    } else {
      std::fprintf(stderr, "  search: %s: %s\n", base::to_string(page.error().code), page.error().message.c_str());
    }
  }
  if (!page) {
    // A request parse_search accepted may still be one the engine refuses (e.g. a cursor from
    // elsewhere, :missing on _id): that is a 400. Anything else would be a 500.
    if (page.error().code != base::ErrorCode::invalid) fail("search", page.error());
    return 0;
  }
  check_page(*req, *page);

  // Paging: the next link works, and from there the previous link works.
  if (page->next_cursor && req->cursor.empty()) {
    search::SearchRequest next_req;
    auto next = follow(w, type, *req, *page->next_cursor, strict, "following the next link", &next_req);
    if (!next->prev_cursor) fail("a page reached through a next link has no previous link");
    follow(w, type, next_req, *next->prev_cursor, strict, "following the previous link", nullptr);
  }
  return 0;
}
