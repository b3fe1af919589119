#include "model/operation_outcome.hpp"

#include <nlohmann/json.hpp>

#include "base/json.hpp"

namespace model {
namespace {

base::Json issue_json(std::string_view severity, std::string_view code, std::string_view diagnostics,
                      std::string_view expression) {
  base::Json issue = base::Json::object();
  issue["severity"] = severity;
  issue["code"] = code.empty() ? std::string_view("processing") : code;
  if (!diagnostics.empty()) issue["diagnostics"] = diagnostics;
  if (!expression.empty()) issue["expression"] = base::Json::array({expression});
  return issue;
}

}  // namespace

std::string operation_outcome(const base::Error& error) {
  base::Json oo = base::Json::object();
  oo["resourceType"] = "OperationOutcome";
  base::Json issues = base::Json::array();
  if (error.issues.empty()) {
    issues.push_back(issue_json("error", base::issue_type_for(error.code), error.message, ""));
  } else {
    for (const auto& i : error.issues) {
      issues.push_back(issue_json(i.severity, i.code.empty() ? base::issue_type_for(error.code) : i.code,
                                  i.diagnostics, i.expression));
    }
  }
  oo["issue"] = std::move(issues);
  return base::dump_compact(oo);
}

std::string operation_outcome(std::string_view severity, std::string_view code,
                              std::string_view diagnostics) {
  base::Json oo = base::Json::object();
  oo["resourceType"] = "OperationOutcome";
  oo["issue"] = base::Json::array({issue_json(severity, code, diagnostics, "")});
  return base::dump_compact(oo);
}

}  // namespace model
