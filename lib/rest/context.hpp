#pragma once
// What one handler call sees: the request, the services, the settings snapshot, and the route's
// path parameters.
#include <string>
#include <string_view>

#include "rest/http.hpp"
#include "rest/services.hpp"
#include "store/settings.hpp"

namespace rest {

struct Route;

struct Context {
  const Request& req;
  const Services& services;
  const store::SiteSettings& settings;
  const Route& route;
  std::string base_url;  // public FHIR base, e.g. "https://ehr.example.org:8443/r4" (no trailing /)
  std::string type;      // {type}
  std::string id;        // {id}
  std::string vid;       // {vid}
};

}  // namespace rest
