#include "rest/oauth/authorize_pages.hpp"

#include <nlohmann/json.hpp>

#include "auth/auth_service.hpp"
#include "base/json.hpp"
#include "rest/oauth/pages.hpp"
#include "rest/oauth/scope_labels.hpp"
#include "search/engine.hpp"
#include "store/resource_store.hpp"

namespace rest::oauth {
namespace {

constexpr int kPickerRows = 20;

// "scheme://host[:port]" of a URL, for showing where the app returns to.
std::string url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto end = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, end));
}

std::vector<std::string> split_spaces(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const auto j = s.find(' ', i);
    const auto end = j == std::string_view::npos ? s.size() : j;
    if (end > i) out.emplace_back(s.substr(i, end - i));
    i = end;
  }
  return out;
}

struct PatientSummary {
  std::string id, name, birth_date, gender;
};

// Display fields of a stored Patient (name "Given Family", or name.text).
PatientSummary summarize_patient(const store::StoredResource& r) {
  PatientSummary p;
  p.id = r.id;
  auto j = base::parse_json(r.json);
  if (!j || !j->is_object()) return p;
  if (auto names = j->find("name"); names != j->end() && names->is_array() && !names->empty()) {
    const auto& n = names->front();
    if (n.contains("text") && n["text"].is_string()) {
      p.name = n["text"].get<std::string>();
    } else {
      if (auto g = n.find("given"); g != n.end() && g->is_array()) {
        for (const auto& given : *g) {
          if (given.is_string()) p.name += given.get<std::string>() + " ";
        }
      }
      if (auto f = n.find("family"); f != n.end() && f->is_string()) p.name += f->get<std::string>();
    }
  }
  while (!p.name.empty() && p.name.back() == ' ') p.name.pop_back();
  if (p.name.empty()) p.name = "(no name)";
  if (auto b = j->find("birthDate"); b != j->end() && b->is_string()) p.birth_date = b->get<std::string>();
  if (auto g = j->find("gender"); g != j->end() && g->is_string()) p.gender = g->get<std::string>();
  if (p.birth_date.empty()) p.birth_date = "?";
  if (p.gender.empty()) p.gender = "unknown";
  return p;
}

// Patients whose name matches `query` (every patient when empty), first kPickerRows.
base::Result<std::vector<PatientSummary>> find_patients(const Context& ctx, std::string_view query) {
  if (!ctx.services.search) return base::make_error(base::ErrorCode::unavailable, "search is not available");
  search::ParamList params;
  if (!query.empty()) params.emplace_back("name", std::string(query));
  params.emplace_back("_count", std::to_string(kPickerRows));
  FHIR_TRY(auto request, search::parse_search(ctx.services.search->registry(), "Patient", params, false, ctx.base_url));
  FHIR_TRY(auto page, ctx.services.search->search(request));
  std::vector<PatientSummary> out;
  for (const auto& r : page.matches) out.push_back(summarize_patient(r));
  return out;
}

std::string client_label(const auth::PendingRequest& r) {
  return r.client_name.empty() ? r.client_id : r.client_name;
}

base::Result<Html> login_content(const auth::PendingRequest& r, const StepOptions& o) {
  return render("login", {{"client_name", client_label(r)}, {"error", o.error}, {"request_id", r.id}});
}

base::Result<Html> picker_content(const Context& ctx, const auth::PendingRequest& r, const StepOptions& o) {
  std::string username = r.user_id;
  if (auto u = ctx.services.auth->users->get(r.user_id)) username = u->username;
  FHIR_TRY(auto patients, find_patients(ctx, o.query));
  Html rows;
  for (const auto& p : patients) {
    FHIR_TRY(auto row, render("picker_row", {{"id", p.id}, {"name", p.name}, {"birth_date", p.birth_date},
                                             {"gender", p.gender}}));
    rows += row;
  }
  if (patients.empty()) {
    FHIR_TRY(auto empty, render("picker_empty", {{"query", o.query}}));
    rows += empty;
  }
  return render("picker", {{"client_name", client_label(r)}, {"username", username}, {"error", o.error},
                           {"request_id", r.id}, {"query", o.query}, {"rows", rows}});
}

base::Result<Html> consent_content(const Context& ctx, const auth::PendingRequest& r, const StepOptions& o) {
  Html rows;
  for (const auto& scope : split_spaces(r.scope)) {
    FHIR_TRY(auto row, render("consent_scope", {{"scope", scope}, {"label", scope_label(scope)}}));
    rows += row;
  }
  Html notice;
  if (r.offline_access_requested()) {
    FHIR_TRY(notice, render("offline_notice", {}));
  }
  std::string patient_line;
  if (!r.patient.empty()) {
    patient_line = " for Patient/" + r.patient;
    if (auto p = ctx.services.resources->read("Patient", r.patient)) {
      patient_line = " for " + summarize_patient(*p).name + " (Patient/" + r.patient + ")";
    }
  }
  (void)o;
  return render("consent", {{"client_name", client_label(r)}, {"redirect_host", url_host(r.redirect_uri)},
                            {"patient_line", patient_line}, {"request_id", r.id}, {"rows", rows},
                            {"offline_notice", notice}});
}

Response page_or_500(const Context* ctx, std::string_view title, base::Result<Html> content, int status) {
  if (!content) {
    if (ctx) return internal_error_page(*ctx, content.error());
    return Response{500, "text/plain; charset=utf-8", "internal error", {}};
  }
  auto page = render_page(title, *content);
  if (!page) {
    if (ctx) return internal_error_page(*ctx, page.error());
    return Response{500, "text/plain; charset=utf-8", "internal error", {}};
  }
  return html_response(status, *page);
}

}  // namespace

Response step_page(const Context& ctx, const auth::PendingRequest& request, const StepOptions& options) {
  switch (auth::AuthorizationFlow::next_step(request)) {
    case auth::Step::login:
      return page_or_500(&ctx, "Sign in", login_content(request, options), options.status);
    case auth::Step::pick_patient:
      return page_or_500(&ctx, "Choose a patient", picker_content(ctx, request, options), options.status);
    case auth::Step::consent:
      return page_or_500(&ctx, "Allow access?", consent_content(ctx, request, options), options.status);
  }
  return error_page(500, "server_error", "unknown step");
}

Response error_page(int status, std::string_view error, std::string_view message) {
  const std::string heading = status >= 500 ? "Something went wrong" : "This sign-in request cannot continue";
  return page_or_500(nullptr, heading,
                     render("error", {{"heading", heading}, {"message", std::string(message)}, {"error", std::string(error)}}),
                     status);
}

Response expired_page() {
  return error_page(400, "invalid_request",
                    "This sign-in request is unknown or has expired (requests last 10 minutes and can be used once).");
}

Response internal_error_page(const Context& ctx, const base::Error& e) {
  if (ctx.services.log_error) ctx.services.log_error("authorize: " + e.message);
  return error_page(500, "server_error", "The server could not complete this step.");
}

Response redirect(std::string url) {
  Response r;
  r.status = 302;
  r.set_header("Location", std::move(url));
  r.set_header("Cache-Control", "no-store");
  r.set_header("Pragma", "no-cache");
  return r;
}

Response authorize_error(const auth::AuthorizeError& e, std::string_view issuer) {
  if (e.kind == auth::AuthorizeError::Kind::redirect) {
    const std::string url = e.redirect_url(issuer);
    if (!url.empty()) return redirect(url);
  }
  const int status = e.error.http_status >= 500 ? 500 : 400;
  return error_page(status, e.error.error, e.error.description);
}

}  // namespace rest::oauth
