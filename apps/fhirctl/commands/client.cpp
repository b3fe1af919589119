#include "commands/client.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands/auth_context.hpp"
#include "commands/http_client.hpp"
#include "commands/output.hpp"
#include "commands/token_get.hpp"

namespace fhirctl {
namespace {

struct ClientOptions {
  std::string client_id;
  std::string user;
  // register
  std::string name;
  std::vector<std::string> redirect_uris;
  std::string scope;
  std::string auth_method;
  std::vector<std::string> grant_types;
  std::string jwks_file;
  std::string jwks_uri;
  std::string launch_uri;
  std::string metadata_file;
  bool remote = false;
  std::string ca_file;
  bool insecure = false;
};

std::string join(const std::vector<std::string>& v, const char* sep = " ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

base::Json client_to_json(const auth::Client& c) {
  auto j = base::parse_json(auth::client_json(c));
  return j ? std::move(*j) : base::Json{{"client_id", c.client_id}};
}

// Live (unexpired, unrevoked) access tokens of a client.
base::Result<std::vector<auth::TokenRecord>> live_tokens(const AuthContext& ctx, const std::string& client_id) {
  FHIR_TRY(auto all, ctx.auth->tokens->list_tokens(client_id, false));
  std::erase_if(all, [](const auth::TokenRecord& t) { return t.revoked; });
  return all;
}

int list(const GlobalOptions& global) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  auto clients = ctx->auth->clients->list();
  if (!clients) return fail(clients.error());
  if (global.json) {
    base::Json out = base::Json::array();
    for (const auto& c : *clients) out.push_back(client_to_json(c));
    print_json(out);
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : *clients) {
    rows.push_back({c.client_id, c.metadata.client_name.empty() ? "-" : c.metadata.client_name,
                    c.enabled ? "enabled" : "disabled",
                    std::string(auth::auth_method_name(c.metadata.token_endpoint_auth_method)),
                    join(c.metadata.grant_types, ","), format_time_s(c.issued_at_s)});
  }
  print_table({"CLIENT ID", "NAME", "STATUS", "AUTH METHOD", "GRANT TYPES", "REGISTERED"}, rows);
  return kOk;
}

base::Json grant_json(const auth::GrantRecord& g) {
  return base::Json{{"id", g.id},           {"user", g.user_id},
                    {"username", g.username}, {"patient", g.patient},
                    {"scope", g.scope},     {"authorized", format_time_s(g.created_s)},
                    {"revoked", g.revoked}};
}

int show(const GlobalOptions& global, const ClientOptions& o) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  auto c = ctx->auth->clients->get(o.client_id);
  if (!c) return fail(c.error());
  auto grants = ctx->auth->tokens->list_grants(c->client_id);
  if (!grants) return fail(grants.error());
  auto live = live_tokens(*ctx, c->client_id);
  if (!live) return fail(live.error());
  std::vector<std::string> users;  // usernames with a live grant, once each
  for (const auto& g : *grants) {
    const std::string name = g.username.empty() ? g.user_id : g.username;
    if (!g.revoked && std::find(users.begin(), users.end(), name) == users.end()) users.push_back(name);
  }
  if (global.json) {
    auto j = client_to_json(*c);
    j["users"] = users;
    j["live_tokens"] = live->size();
    print_json(j);
    return kOk;
  }
  const auto& md = c->metadata;
  std::vector<std::pair<std::string, std::string>> f = {
      {"client id", c->client_id},
      {"name", md.client_name.empty() ? "-" : md.client_name},
      {"status", c->enabled ? "enabled" : "disabled (fhirctl client enable " + c->client_id + ")"},
      {"auth method", std::string(auth::auth_method_name(md.token_endpoint_auth_method))},
      {"grant types", join(md.grant_types, ", ")},
      {"scopes", md.scope},
  };
  if (md.redirect_uris.empty()) f.emplace_back("redirect uri", "-");
  for (const auto& u : md.redirect_uris) f.emplace_back("redirect uri", u);
  if (!md.jwks_uri.empty()) f.emplace_back("jwks uri", md.jwks_uri);
  if (!md.jwks.empty()) f.emplace_back("jwks", "registered key set");
  if (!md.initiate_login_uri.empty()) f.emplace_back("launch uri", md.initiate_login_uri);
  for (const auto& contact : md.contacts) f.emplace_back("contact", contact);
  f.emplace_back("registered", format_time_s(c->issued_at_s));
  f.emplace_back("users", users.empty() ? "-" : join(users, ", "));
  f.emplace_back("live tokens", std::to_string(live->size()));
  print_fields(f);
  return kOk;
}

int set_enabled(const GlobalOptions& global, const ClientOptions& o, bool enabled) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  auto s = enabled ? ctx->auth->clients->enable(o.client_id) : ctx->auth->clients->disable(o.client_id);
  if (!s.ok()) return fail(s.error());
  if (global.json) {
    print_json(base::Json{{"client_id", o.client_id}, {"enabled", enabled}});
  } else {
    std::cerr << "client " << o.client_id
              << (enabled ? " enabled" : " disabled: its tokens are refused from now on") << "\n";
  }
  return kOk;
}

// The registration request as RFC 7591 JSON: the --metadata document, or one built from the flags.
base::Result<std::string> registration_body(const ClientOptions& o) {
  const bool any_flag = !o.name.empty() || !o.redirect_uris.empty() || !o.scope.empty() || !o.auth_method.empty() ||
                        !o.grant_types.empty() || !o.jwks_file.empty() || !o.jwks_uri.empty() ||
                        !o.launch_uri.empty();
  if (!o.metadata_file.empty()) {
    if (any_flag) return base::invalid("--metadata cannot be combined with the other registration flags");
    return read_file_or_stdin(o.metadata_file);
  }
  base::Json j = base::Json::object();
  if (!o.name.empty()) j["client_name"] = o.name;
  if (!o.redirect_uris.empty()) j["redirect_uris"] = o.redirect_uris;
  if (!o.scope.empty()) j["scope"] = o.scope;
  if (!o.auth_method.empty()) j["token_endpoint_auth_method"] = o.auth_method;
  if (!o.grant_types.empty()) j["grant_types"] = o.grant_types;
  if (!o.jwks_file.empty()) {
    FHIR_TRY(auto text, read_file_or_stdin(o.jwks_file));
    auto jwks = base::parse_json(text);
    if (!jwks) return base::invalid(o.jwks_file + " is not JSON: " + jwks.error().message);
    j["jwks"] = std::move(*jwks);
  }
  if (!o.jwks_uri.empty()) j["jwks_uri"] = o.jwks_uri;
  if (!o.launch_uri.empty()) j["initiate_login_uri"] = o.launch_uri;
  return j.dump();
}

// Prints a registration response (RFC 7591 JSON text) and whether the client is enabled.
int print_registration(const GlobalOptions& global, const std::string& response_json) {
  auto j = base::parse_json(response_json);
  if (!j || !j->is_object()) return fail("the registration response is not a JSON object");
  if (global.json) {
    print_json(*j);
    return kOk;
  }
  const std::string id = j->value("client_id", "");
  std::cout << "client_id: " << id << "\n";
  if (j->contains("client_secret")) std::cout << "client_secret: " << j->value("client_secret", "") << "\n";
  if (j->contains("registration_access_token")) {
    std::cout << "registration_access_token: " << j->value("registration_access_token", "") << "\n";
  }
  std::cerr << "Secrets are shown only this once.\n";
  if (j->contains("enabled")) {
    if (j->value("enabled", false)) {
      std::cerr << "The client is enabled (a patient standalone app).\n";
    } else {
      std::cerr << "The client is disabled until an administrator runs: fhirctl client enable " << id << "\n";
    }
  }
  return kOk;
}

int register_local(const GlobalOptions& global, const std::string& body) {
  auto md = auth::parse_registration_request(body);
  if (!md) return fail(md.error().error + ": " + md.error().description);
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  // An administrator registers whatever the dynamic registration policy says.
  auto reg = ctx->auth->clients->add_client(*md);
  if (!reg) return fail(reg.error().error + ": " + reg.error().description);
  auto j = base::parse_json(auth::registration_response_json(*reg));
  if (!j) return fail(j.error());
  (*j)["enabled"] = reg->client.enabled;
  return print_registration(global, j->dump());
}

// Registers at the server's registration endpoint, with --token as the initial access token.
int register_remote(const GlobalOptions& global, const ClientOptions& o, const std::string& body) {
  if (global.server.empty()) return usage("--remote needs a server: --server URL (or FHIRCTL_SERVER)");
  const HttpOptions http{o.ca_file, o.insecure, 30};
  auto ep = discover(global.server, http);
  if (!ep) return fail(ep.error());
  auto res = http_post_json(ep->registration, body, http, global.token);
  if (!res) return fail(res.error());
  if (res->status != 201 && res->status != 200) {
    auto j = base::parse_json(res->body);
    std::string why = "HTTP " + std::to_string(res->status);
    if (j && j->is_object() && j->contains("error")) {
      why = j->value("error", "") + (j->contains("error_description") ? ": " + j->value("error_description", "") : "");
    }
    return fail("the server refused the registration: " + why);
  }
  return print_registration(global, res->body);
}

int register_client(const GlobalOptions& global, const ClientOptions& o) {
  auto body = registration_body(o);
  if (!body) return usage(body.error().message);
  if (o.remote) return register_remote(global, o, *body);
  return register_local(global, *body);
}

int users(const GlobalOptions& global, const ClientOptions& o) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  if (auto c = ctx->auth->clients->get(o.client_id); !c) return fail(c.error());
  auto grants = ctx->auth->tokens->list_grants(o.client_id);
  if (!grants) return fail(grants.error());
  if (global.json) {
    base::Json out = base::Json::array();
    for (const auto& g : *grants) out.push_back(grant_json(g));
    print_json(out);
    return kOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& g : *grants) {
    rows.push_back({g.username.empty() ? g.user_id : g.username, g.patient.empty() ? "-" : "Patient/" + g.patient,
                    g.revoked ? "revoked" : "active", format_time_s(g.created_s), g.scope});
  }
  print_table({"USER", "PATIENT", "STATUS", "AUTHORIZED", "SCOPES"}, rows);
  return kOk;
}

int revoke_user(const GlobalOptions& global, const ClientOptions& o) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  if (auto s = ctx->auth->tokens->revoke_user(o.client_id, o.user); !s.ok()) return fail(s.error());
  if (global.json) {
    print_json(base::Json{{"client_id", o.client_id}, {"user", o.user}, {"revoked", true}});
  } else {
    std::cerr << "revoked every grant of " << o.user << " for client " << o.client_id
              << ": their tokens are refused from now on; they must authorize again\n";
  }
  return kOk;
}

}  // namespace

void setup_client(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto o = std::make_shared<ClientOptions>();
  auto* cmd = app.add_subcommand("client", "OAuth clients: SMART apps and backend services");
  cmd->require_subcommand(1);

  auto* list_cmd = cmd->add_subcommand("list", "List the registered clients");
  list_cmd->callback([&global, &exit_code] { exit_code = list(global); });

  auto* show_cmd = cmd->add_subcommand("show", "Show a client: scopes, redirect URIs, status, users, live tokens");
  show_cmd->add_option("CLIENT_ID", o->client_id, "Client id")->required();
  show_cmd->callback([&global, &exit_code, o] { exit_code = show(global, *o); });

  auto* enable = cmd->add_subcommand("enable", "Approve a client (apps asking for launch, user/ or system/ scopes)");
  enable->add_option("CLIENT_ID", o->client_id, "Client id")->required();
  enable->callback([&global, &exit_code, o] { exit_code = set_enabled(global, *o, true); });

  auto* disable = cmd->add_subcommand("disable", "Disable a client; every token of it is refused at once");
  disable->add_option("CLIENT_ID", o->client_id, "Client id")->required();
  disable->callback([&global, &exit_code, o] { exit_code = set_enabled(global, *o, false); });

  auto* reg = cmd->add_subcommand("register", "Register a client (the rules of /oauth2/register)");
  reg->add_option("--name", o->name, "client_name");
  reg->add_option("--redirect-uri", o->redirect_uris, "A redirect URI (repeatable)")->allow_extra_args(false);
  reg->add_option("--scope", o->scope, "The scopes, space-separated (no wildcards)");
  reg->add_option("--auth-method", o->auth_method, "token_endpoint_auth_method")
      ->check(CLI::IsMember({"client_secret_basic", "client_secret_post", "private_key_jwt", "none"}));
  reg->add_option("--grant-type", o->grant_types, "A grant type (repeatable)")
      ->allow_extra_args(false)
      ->check(CLI::IsMember({"authorization_code", "refresh_token", "client_credentials"}));
  reg->add_option("--jwks", o->jwks_file, "File holding the client's public JWK Set (private_key_jwt)");
  reg->add_option("--jwks-uri", o->jwks_uri, "URL of the client's JWK Set (private_key_jwt)");
  reg->add_option("--launch-uri", o->launch_uri, "initiate_login_uri: the app's EHR launch URL");
  reg->add_option("--metadata", o->metadata_file, "RFC 7591 registration JSON from a file, or - for stdin");
  reg->add_flag("--remote", o->remote,
                "Register at the server (--server) over HTTPS, with --token as the initial access token");
  reg->add_option("--ca", o->ca_file, "With --remote: CA certificates (PEM) to trust for the server");
  reg->add_flag("--insecure", o->insecure, "With --remote: do not verify the server's certificate");
  reg->callback([&global, &exit_code, o] { exit_code = register_client(global, *o); });

  auto* users_cmd = cmd->add_subcommand("users", "List the users who authorized a client (its grants)");
  users_cmd->add_option("CLIENT_ID", o->client_id, "Client id")->required();
  users_cmd->callback([&global, &exit_code, o] { exit_code = users(global, *o); });

  auto* revoke = cmd->add_subcommand("revoke-user", "Revoke a user's grants of a client and their tokens");
  revoke->add_option("CLIENT_ID", o->client_id, "Client id")->required();
  revoke->add_option("USER", o->user, "Username or user id")->required();
  revoke->callback([&global, &exit_code, o] { exit_code = revoke_user(global, *o); });
}

}  // namespace fhirctl
