#include "demo_logins.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/json.hpp"
#include "search/engine.hpp"

namespace serve {
namespace {

// Ids of the first `n` resources of `type`, in the search engine's order.
base::Result<std::vector<store::StoredResource>> first(rest::Backend& b, const char* type, int n) {
  FHIR_TRY(auto request, search::parse_search(*b.search.registry, type, {{"_count", std::to_string(n)}}, false, ""));
  FHIR_TRY(auto page, b.search.engine->search(request));
  return std::move(page.matches);
}

// The Practitioner the first patient names as generalPractitioner, else the first Practitioner.
std::string demo_practitioner(rest::Backend& b, const std::vector<store::StoredResource>& patients) {
  if (!patients.empty()) {
    if (auto j = base::parse_json(patients.front().json); j && j->contains("generalPractitioner")) {
      const auto& gp = (*j)["generalPractitioner"];
      if (gp.is_array() && !gp.empty() && gp[0].contains("reference") && gp[0]["reference"].is_string()) {
        const std::string ref = gp[0]["reference"].get<std::string>();
        if (ref.rfind("Practitioner/", 0) == 0) return ref.substr(13);
      }
    }
  }
  if (auto p = first(b, "Practitioner", 1); p && !p->empty()) return p->front().id;
  return {};
}

base::Status write_private_file(const std::filesystem::path& path, const std::string& text) {
  const std::string tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return base::internal_error("cannot write " + tmp);
  bool ok = ::fchmod(fd, 0600) == 0;
  std::size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) ok = false;
    else done += static_cast<std::size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return base::internal_error("cannot write " + path.string());
  }
  return {};
}

}  // namespace

base::Result<auth::DemoCredentials> create_demo_logins(rest::Backend& backend, auth::AuthService& auth,
                                                       const std::filesystem::path& data_dir, int patients) {
  FHIR_TRY(auto found, first(backend, "Patient", patients));
  std::vector<std::string> ids;
  for (const auto& p : found) ids.push_back(p.id);
  FHIR_TRY(auto credentials, auth::create_demo_logins(*auth.users, demo_practitioner(backend, found), ids));
  FHIR_CHECK(write_private_file(data_dir / "demo-credentials.json", credentials.to_json() + "\n"));
  return credentials;
}

std::string describe_demo_logins(const auth::DemoCredentials& c, const std::filesystem::path& file,
                                 std::string_view fhir_base) {
  std::string out = "Demo logins (also in " + file.string() + "):\n";
  out += "  clinician  " + c.clinician.username + "  " + c.clinician.password + "\n";
  out += "  admin      " + c.admin.username + "  " + c.admin.password + "\n";
  for (const auto& p : c.patients) {
    out += "  patient    " + p.username + "  " + p.password + "   (Patient/" + p.patient + ")\n";
  }
  out += "SMART discovery: " + std::string(fhir_base) + "/.well-known/smart-configuration\n";
  out += "Register an app at the registration_endpoint, then launch it against " + std::string(fhir_base) +
         " (README.md: \"Try a SMART launch\").\n";
  return out;
}

}  // namespace serve
