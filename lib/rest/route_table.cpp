#include "rest/route_table.hpp"

#include <array>

#include "rest/interactions/interactions.hpp"
#include "rest/oauth/oauth.hpp"

namespace rest {
namespace {

namespace h = interactions;
namespace o = oauth;

// Order matters only where patterns overlap: literal segments are listed before {id}.
constexpr std::array kRoutes = {
    //     method          pattern                          interaction         level            mount        handler                needs_token
    Route{Method::GET,    "/metadata",                     "capabilities",     Level::none,     Mount::both, h::capabilities,      false},
    Route{Method::GET,    "/healthz",                      "healthz",          Level::none,     Mount::root, h::healthz,           false},
    Route{Method::POST,   "/",                             "transaction",      Level::system,   Mount::fhir, h::batch_transaction, true},
    Route{Method::GET,    "/",                             "search-system",    Level::system,   Mount::fhir, h::search_system,     true},
    Route{Method::POST,   "/_search",                      "search-system",    Level::system,   Mount::fhir, h::search_system,     true},
    Route{Method::GET,    "/_history",                     "history-system",   Level::system,   Mount::fhir, h::history_system,    true},
    Route{Method::GET,    "/{type}/_history",              "history-type",     Level::type,     Mount::fhir, h::history_type,      true},
    Route{Method::POST,   "/{type}",                       "create",           Level::type,     Mount::fhir, h::create,            true},
    Route{Method::GET,    "/{type}",                       "search-type",      Level::type,     Mount::fhir, h::search_type,       true},
    Route{Method::POST,   "/{type}/_search",               "search-type",      Level::type,     Mount::fhir, h::search_type,       true},
    Route{Method::GET,    "/{type}/{id}",                  "read",             Level::instance, Mount::fhir, h::read,              true},
    Route{Method::PUT,    "/{type}/{id}",                  "update",           Level::instance, Mount::fhir, h::update,            true},
    Route{Method::DELETE, "/{type}/{id}",                  "delete",           Level::instance, Mount::fhir, h::remove,            true},
    Route{Method::GET,    "/{type}/{id}/_history",         "history-instance", Level::instance, Mount::fhir, h::history_instance,  true},
    Route{Method::GET,    "/{type}/{id}/_history/{vid}",   "vread",            Level::instance, Mount::fhir, h::vread,             true},
    // SMART on FHIR authorization server (rest/oauth/): public, or authenticated by lib/auth itself.
    Route{Method::GET,    "/.well-known/smart-configuration", "smart-configuration", Level::none, Mount::fhir, o::smart_configuration, false},
    Route{Method::GET,    "/.well-known/openid-configuration", "openid-configuration", Level::none, Mount::fhir, o::openid_configuration, false},
    Route{Method::GET,    "/oauth2/.well-known/openid-configuration", "openid-configuration", Level::none, Mount::root, o::openid_configuration, false},
    Route{Method::GET,    "/oauth2/authorize",             "oauth-authorize",  Level::none,     Mount::root, o::authorize,         false},
    Route{Method::POST,   "/oauth2/authorize",             "oauth-authorize",  Level::none,     Mount::root, o::authorize,         false},
    Route{Method::POST,   "/oauth2/token",                 "oauth-token",      Level::none,     Mount::root, o::token,             false},
    Route{Method::POST,   "/oauth2/register",              "oauth-register",   Level::none,     Mount::root, o::register_client,   false},
    Route{Method::POST,   "/oauth2/introspect",            "oauth-introspect", Level::none,     Mount::root, o::introspect,        false},
    Route{Method::POST,   "/oauth2/revoke",                "oauth-revoke",     Level::none,     Mount::root, o::revoke,            false},
    Route{Method::GET,    "/oauth2/userinfo",              "oauth-userinfo",   Level::none,     Mount::root, o::userinfo,          false},
    Route{Method::POST,   "/oauth2/userinfo",              "oauth-userinfo",   Level::none,     Mount::root, o::userinfo,          false},
    Route{Method::GET,    "/oauth2/jwks",                  "oauth-jwks",       Level::none,     Mount::root, o::jwks,              false},
    Route{Method::GET,    "/oauth2/smart-style.json",      "smart-style",      Level::none,     Mount::root, o::smart_style,       false},
    Route{Method::GET,    "/oauth2/pages.css",             "oauth-pages-css",  Level::none,     Mount::root, o::pages_stylesheet,  false},
};

}  // namespace

std::span<const Route> route_table() { return kRoutes; }

}  // namespace rest
