#pragma once
// Transport-neutral router: matches a Request against THE route table, applies the cross-cutting
// rules (API switch, content negotiation, body limit, _pretty, API log) and calls the handler.
#include <vector>

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
  const Services& services_;
  std::vector<Compiled> routes_;
};

}  // namespace rest
