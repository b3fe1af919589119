#pragma once
// fhirctl import --server URL: sends the resources to a FHIR server as transaction Bundles of
// `batch` entries, each a PUT Type/id (so running it again updates: idempotent), or a POST Type
// for a resource without an id. Every line is parsed and validated here first, so that one bad
// line is rejected on its own (file:line) instead of failing the Bundle it would be in. A Bundle
// the server refuses is reported with its files and line ranges and the server's
// OperationOutcome; the next Bundles are still sent. (httplib stays in the .cpp.)
#include <memory>
#include <string>

#include "commands/import_sink.hpp"

namespace fhirctl {

struct ServerImportOptions {
  std::string url;      // the FHIR base, e.g. https://localhost:8443/r4
  int batch = 500;      // entries per transaction Bundle
  bool insecure = false;  // do not verify the server's certificate
  std::string ca_file;  // verify it against this PEM file instead of the system's CAs
  std::string token;    // sent as "Authorization: Bearer <token>" when not empty; never printed
  int timeout_seconds = 300;  // per Bundle
};

// Errors: invalid when the URL is not http(s)://host[:port][/path] or the CA file is unreadable.
base::Result<std::unique_ptr<ImportSink>> make_server_sink(const ServerImportOptions& options);

}  // namespace fhirctl
