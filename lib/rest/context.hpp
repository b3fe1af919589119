#pragma once
// What one handler call sees: the request, the services, the settings snapshot, the route's
// path parameters, and (with authentication on) who is calling and what they may touch.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.hpp"
#include "auth/scopes.hpp"
#include "rest/http.hpp"
#include "rest/services.hpp"
#include "store/settings.hpp"

namespace rest {

struct Route;

// What the caller's scopes let one interaction touch of one type (rest/guard.hpp decides it).
struct AccessRestriction {
  bool restricted = false;  // false: every resource of the type (authentication off, or a
                            // user/system grant without filters)
  std::string patient;      // set when only this patient's compartment may be touched (patient/ scopes)
  std::vector<std::vector<auth::Filter>> filters;  // SMART v2 filters: alternatives (ORed) of ANDed filters
};

struct Context {
  const Request& req;
  const Services& services;
  const store::SiteSettings& settings;
  const Route& route;
  std::string base_url;  // public FHIR base, e.g. "https://ehr.example.org:8443/r4" (no trailing /)
  std::string type;      // {type}
  std::string id;        // {id}
  std::string vid;       // {vid}
  // Authentication on (Services::tokens set) and the route needs a token: the verified caller and
  // the parsed scopes; otherwise null / nullopt and nothing is restricted.
  const auth::Principal* principal = nullptr;
  std::shared_ptr<const auth::ScopeSet> scopes;
  AccessRestriction access;  // for {type} and the route's op (type and instance routes)
};

}  // namespace rest
