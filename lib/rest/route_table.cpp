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
    //     method          pattern                          interaction         level            mount        handler                needs_token  op
    Route{Method::GET,    "/metadata",                     "capabilities",     Level::none,     Mount::both, h::capabilities,      false,       kNoOp},
    Route{Method::GET,    "/healthz",                      "healthz",          Level::none,     Mount::root, h::healthz,           false,       kNoOp},
    Route{Method::POST,   "/",                             "transaction",      Level::system,   Mount::fhir, h::batch_transaction, true,        kNoOp},
    Route{Method::GET,    "/",                             "search-system",    Level::system,   Mount::fhir, h::search_system,     true,        auth::kSearch},
    Route{Method::POST,   "/_search",                      "search-system",    Level::system,   Mount::fhir, h::search_system,     true,        auth::kSearch},
    Route{Method::GET,    "/_history",                     "history-system",   Level::system,   Mount::fhir, h::history_system,    true,        auth::kRead},
    Route{Method::GET,    "/{type}/_history",              "history-type",     Level::type,     Mount::fhir, h::history_type,      true,        auth::kRead},
    Route{Method::POST,   "/{type}",                       "create",           Level::type,     Mount::fhir, h::create,            true,        auth::kCreate},
    Route{Method::GET,    "/{type}",                       "search-type",      Level::type,     Mount::fhir, h::search_type,       true,        auth::kSearch},
    Route{Method::POST,   "/{type}/_search",               "search-type",      Level::type,     Mount::fhir, h::search_type,       true,        auth::kSearch},
    Route{Method::GET,    "/{type}/{id}",                  "read",             Level::instance, Mount::fhir, h::read,              true,        auth::kRead},
    Route{Method::PUT,    "/{type}/{id}",                  "update",           Level::instance, Mount::fhir, h::update,            true,        auth::kUpdate},
    Route{Method::DELETE, "/{type}/{id}",                  "delete",           Level::instance, Mount::fhir, h::remove,            true,        auth::kRemove},
    Route{Method::GET,    "/{type}/{id}/_history",         "history-instance", Level::instance, Mount::fhir, h::history_instance,  true,        auth::kRead},
    Route{Method::GET,    "/{type}/{id}/_history/{vid}",   "vread",            Level::instance, Mount::fhir, h::vread,             true,        auth::kRead},
    // SMART on FHIR authorization server (rest/oauth/): public, or authenticated by lib/auth itself.
    Route{Method::GET,    "/.well-known/smart-configuration", "smart-configuration", Level::none, Mount::fhir, o::smart_configuration, false,       kNoOp},
    Route{Method::GET,    "/.well-known/openid-configuration", "openid-configuration", Level::none, Mount::fhir, o::openid_configuration, false,       kNoOp},
    Route{Method::GET,    "/oauth2/.well-known/openid-configuration", "openid-configuration", Level::none, Mount::root, o::openid_configuration, false,       kNoOp},
    Route{Method::GET,    "/oauth2/authorize",             "oauth-authorize",  Level::none,     Mount::root, o::authorize,         false,       kNoOp},
    Route{Method::POST,   "/oauth2/authorize",             "oauth-authorize",  Level::none,     Mount::root, o::authorize,         false,       kNoOp},
    Route{Method::POST,   "/oauth2/token",                 "oauth-token",      Level::none,     Mount::root, o::token,             false,       kNoOp},
    Route{Method::POST,   "/oauth2/register",              "oauth-register",   Level::none,     Mount::root, o::register_client,   false,       kNoOp},
    Route{Method::POST,   "/oauth2/introspect",            "oauth-introspect", Level::none,     Mount::root, o::introspect,        false,       kNoOp},
    Route{Method::POST,   "/oauth2/revoke",                "oauth-revoke",     Level::none,     Mount::root, o::revoke,            false,       kNoOp},
    Route{Method::GET,    "/oauth2/userinfo",              "oauth-userinfo",   Level::none,     Mount::root, o::userinfo,          false,       kNoOp},
    Route{Method::POST,   "/oauth2/userinfo",              "oauth-userinfo",   Level::none,     Mount::root, o::userinfo,          false,       kNoOp},
    Route{Method::GET,    "/oauth2/jwks",                  "oauth-jwks",       Level::none,     Mount::root, o::jwks,              false,       kNoOp},
    Route{Method::GET,    "/oauth2/smart-style.json",      "smart-style",      Level::none,     Mount::root, o::smart_style,       false,       kNoOp},
    Route{Method::GET,    "/oauth2/pages.css",             "oauth-pages-css",  Level::none,     Mount::root, o::pages_stylesheet,  false,       kNoOp},
};

}  // namespace

std::span<const Route> route_table() { return kRoutes; }

}  // namespace rest
