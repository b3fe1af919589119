#pragma once
// Transport-neutral router: matches a Request against THE route table, applies the cross-cutting
// rules (API switch, authentication and scope checks via rest/guard, body limit, content
// negotiation, _pretty, API log) and calls the handler.
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.hpp"

#include "rest/http.hpp"
#include "rest/route_table.hpp"
#include "rest/services.hpp"

namespace rest {

class Router {
 public:
  explicit Router(const Services& services);
  // Never throws; every failure becomes an OperationOutcome response with the right status.
  Response handle(const Request& req) const;

 private:
  struct Compiled {
    const Route* route;
    std::vector<std::string_view> segments;
  };
  // Authenticates when the route needs a token and authentication is on; on failure fills `res`
  // with the 401 and returns false.
  bool authorize(const Request& req, const Route& route, const std::string& realm,
                 std::optional<auth::Principal>& principal, Response& res) const;

  const Services& services_;
  std::vector<Compiled> routes_;
};

}  // namespace rest
