#pragma once
// The three documents that describe the authorization server, all built from one Endpoints value:
// [base]/.well-known/smart-configuration (SMART App Launch), /oauth2/.well-known/openid-configuration
// (OpenID Connect Discovery), and the CapabilityStatement's rest.security (SMART oauth-uris extension).
#include <string>
#include <vector>

#include "base/json.hpp"
#include "rest/oauth/endpoints.hpp"

namespace rest::oauth {

// Scopes a client may register and request (explicit: no wildcard resource scopes), for
// scopes_supported: identity/launch scopes, read scopes (SMART v1 .read and v2 .rs) at the patient,
// user and system levels for every US Core type, and the bulk export / docref operation scopes.
const std::vector<std::string>& supported_scopes();

// The SMART capabilities we implement (smart-configuration "capabilities").
const std::vector<std::string>& smart_capabilities();

// The token endpoint client authentication methods (both discovery documents).
const std::vector<std::string>& token_endpoint_auth_methods();

// JSON text of [base]/.well-known/smart-configuration.
std::string smart_configuration_json(const Endpoints& e);

// JSON text of the OpenID Provider metadata (issuer = the FHIR base, the `iss` of id_tokens).
std::string openid_configuration_json(const Endpoints& e);

// CapabilityStatement.rest.security: cors, the SMART-on-FHIR service coding and the oauth-uris
// extension (authorize, token, register, introspect, revoke).
base::Json capability_security(const Endpoints& e);

}  // namespace rest::oauth
