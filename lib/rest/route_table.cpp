#include "rest/route_table.hpp"

#include <array>

#include "rest/interactions/interactions.hpp"

namespace rest {
namespace {

namespace h = interactions;

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
};

}  // namespace

std::span<const Route> route_table() { return kRoutes; }

}  // namespace rest
