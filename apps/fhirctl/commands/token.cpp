#include "commands/token.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "auth/jwt.hpp"
#include "auth/verifier.hpp"
#include "base/crypto.hpp"
#include "base/fhir_time.hpp"
#include "commands/auth_context.hpp"
#include "commands/output.hpp"
#include "commands/refresh_tokens.hpp"
#include "commands/token_get.hpp"

namespace fhirctl {
namespace {

struct TokenOptions {
  std::string client, user, patient;
  bool active = false;
  std::string id;      // revoke
  std::string token;   // parse
  bool revoke = false;  // parse --revoke
};

std::int64_t now_s() { return base::now_us() / 1000000; }

// One row of `token list`: an access token (by jti) or a refresh token (by id).
struct Listed {
  std::string id, type, client, user, patient, scope, status;
  std::int64_t issued_s = 0, expires_s = 0;
};

std::string access_status(const auth::TokenRecord& t) {
  if (t.revoked) return "revoked";
  return t.expires_s <= now_s() ? "expired" : "active";
}

std::string refresh_status(const RefreshRecord& r) {
  if (r.status == "revoked" || r.status == "rotated") return r.status;
  return r.expires_s <= now_s() ? "expired" : "active";
}

int list(const GlobalOptions& global, const TokenOptions& o) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  std::string user_id;
  if (!o.user.empty()) {
    auto u = ctx->auth->users->get(o.user);
    if (!u) return fail(u.error());
    user_id = u->id;
  }
  if (!o.client.empty()) {
    if (auto c = ctx->auth->clients->get(o.client); !c) return fail(c.error());
  }
  auto access = ctx->auth->tokens->list_tokens(o.client, !o.active);
  if (!access) return fail(access.error());
  auto refresh = list_refresh_tokens(*ctx->backend->db, o.client);
  if (!refresh) return fail(refresh.error());
  std::vector<Listed> rows;
  for (const auto& t : *access) {
    rows.push_back({t.jti, "access", t.client_id, t.user_id, t.patient, t.scope, access_status(t), t.issued_s,
                    t.expires_s});
  }
  for (const auto& r : *refresh) {
    rows.push_back({r.id, "refresh", r.client_id, r.user_id, r.patient, r.scope, refresh_status(r), r.issued_s,
                    r.expires_s});
  }
  std::erase_if(rows, [&](const Listed& l) {
    return (!user_id.empty() && l.user != user_id) || (!o.patient.empty() && l.patient != o.patient) ||
           (o.active && l.status != "active");
  });
  std::stable_sort(rows.begin(), rows.end(), [](const Listed& a, const Listed& b) { return a.issued_s > b.issued_s; });
  if (global.json) {
    base::Json out = base::Json::array();
    for (const auto& l : rows) {
      out.push_back(base::Json{{"id", l.id},
                               {"type", l.type},
                               {"status", l.status},
                               {"client_id", l.client},
                               {"user", l.user},
                               {"username", username_of(*ctx, l.user)},
                               {"patient", l.patient},
                               {"scope", l.scope},
                               {"issued", format_time_s(l.issued_s)},
                               {"expires", format_time_s(l.expires_s)}});
    }
    print_json(out);
    return kOk;
  }
  std::vector<std::vector<std::string>> table;
  for (const auto& l : rows) {
    const std::string name = username_of(*ctx, l.user);
    table.push_back({l.id, l.type, l.status, l.client, name.empty() ? "-" : name,
                     l.patient.empty() ? "-" : l.patient, format_time_s(l.issued_s), format_time_s(l.expires_s)});
  }
  print_table({"ID", "TYPE", "STATUS", "CLIENT", "USER", "PATIENT", "ISSUED", "EXPIRES"}, table);
  return kOk;
}

// Revokes an access token by jti, or reports what a refresh token id needs. Returns the type revoked.
base::Result<std::string> revoke_id(AuthContext& ctx, const std::string& id) {
  auto s = ctx.auth->tokens->revoke_token_id(id);
  if (s.ok()) return std::string("access");
  if (s.error().code != base::ErrorCode::not_found) return s.error();
  FHIR_TRY(auto refresh, find_refresh_token(*ctx.backend->db, id));
  if (refresh) {
    return base::make_error(base::ErrorCode::internal,
                            "revoking a refresh token by id needs lib/auth support that is not there yet; "
                            "revoke the user's grant instead: fhirctl client revoke-user " +
                                refresh->client_id + " " + username_of(ctx, refresh->user_id));
  }
  return base::not_found("no access token (jti) or refresh token with id " + id);
}

int revoke(const GlobalOptions& global, const TokenOptions& o) {
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  auto type = revoke_id(*ctx, o.id);
  if (!type) return fail(type.error());
  if (global.json) print_json(base::Json{{"id", o.id}, {"type", *type}, {"revoked", true}});
  else std::cerr << *type << " token " << o.id << " revoked\n";
  return kOk;
}

// What `token parse` found out about a token.
struct Parsed {
  std::string type = "unknown";    // access | refresh | unknown
  std::string status = "unknown";  // active | expired | revoked | invalid-signature | unknown
  std::string reason;              // why it is not active, when known
  std::string id, client, user, patient, encounter, scope, issuer, kid, alg;
  std::int64_t issued_s = 0, expires_s = 0;
  bool decoded = false;            // a JWT whose header and claims could be read
  base::Json claims;               // the payload as decoded (untrusted unless the signature checked)
};

// Decodes a JWT's header and payload without checking anything.
bool decode_untrusted(const std::string& token, Parsed& p) {
  const auto d1 = token.find('.');
  const auto d2 = d1 == std::string::npos ? d1 : token.find('.', d1 + 1);
  if (d2 == std::string::npos || token.find('.', d2 + 1) != std::string::npos) return false;
  auto header = base::base64url_decode(std::string_view(token).substr(0, d1));
  auto payload = base::base64url_decode(std::string_view(token).substr(d1 + 1, d2 - d1 - 1));
  if (!header || !payload) return false;
  auto h = base::parse_json(*header);
  auto c = base::parse_json(*payload);
  if (!h || !c || !h->is_object() || !c->is_object()) return false;
  const auto str = [](const base::Json& j, const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const auto num = [](const base::Json& j, const char* k) -> std::int64_t {
    auto it = j.find(k);
    return it != j.end() && it->is_number() ? it->get<std::int64_t>() : 0;
  };
  p.decoded = true;
  p.claims = *c;
  p.alg = str(*h, "alg");
  p.kid = str(*h, "kid");
  p.id = str(*c, "jti");
  p.client = str(*c, "client_id");
  p.user = str(*c, "sub");
  p.patient = str(*c, "patient");
  p.encounter = str(*c, "encounter");
  p.scope = str(*c, "scope");
  p.issuer = str(*c, "iss");
  p.issued_s = num(*c, "iat");
  p.expires_s = num(*c, "exp");
  return true;
}

base::Result<Parsed> parse_token(AuthContext& ctx, const std::string& token) {
  Parsed p;
  if (!decode_untrusted(token, p)) {
    // Not a JWT: perhaps one of our refresh tokens (opaque, stored as a hash).
    FHIR_TRY(auto r, find_refresh_token(*ctx.backend->db, refresh_token_id(token)));
    if (!r) {
      p.reason = "neither a JWT nor a refresh token of this server";
      return p;
    }
    p.type = "refresh";
    p.id = r->id;
    p.client = r->client_id;
    p.user = r->user_id;
    p.patient = r->patient;
    p.encounter = r->encounter;
    p.scope = r->scope;
    p.issued_s = r->issued_s;
    p.expires_s = r->expires_s;
    p.status = refresh_status(*r);
    if (p.status == "rotated") {
      p.status = "revoked";
      p.reason = "already used (rotated): a newer refresh token replaced it";
    }
    if (p.status == "active") {
      // What the token endpoint would refuse it for: client disabled, user disabled, opt-out.
      auto c = ctx.auth->clients->get(r->client_id);
      auto u = ctx.auth->users->get(r->user_id);
      if (c && !c->enabled) {
        p.reason = "client disabled";
      } else if (u && u->disabled) {
        p.reason = "user disabled";
      } else if (!r->patient.empty()) {
        auto on = ctx.auth->users->patient_api_access(r->patient);
        if (on && !*on) p.reason = "patient API access off";
      }
      if (!p.reason.empty()) p.status = "revoked";
    }
    return p;
  }
  p.type = "access";
  // The signature: one of our published keys, by kid; RS256 only.
  auto key = ctx.auth->keys->public_key(p.kid);
  if (!key) {
    p.status = "invalid-signature";
    p.reason = "not signed by a key of this server";
    return p;
  }
  auto verified = auth::verify_jws(token, *key, {auth::JwsAlg::RS256});
  if (!verified) {
    p.status = "invalid-signature";
    p.reason = verified.error().message;
    return p;
  }
  auto record = ctx.auth->tokens->describe_token(token);
  if (!record) {
    if (record.error().code == base::ErrorCode::not_found) {
      p.status = "unknown";
      p.reason = "signed by this server but not a recorded access token";
      return p;
    }
    if (record.error().code == base::ErrorCode::unauthorized) {
      p.status = "invalid-signature";
      p.reason = record.error().message;
      return p;
    }
    return record.error();
  }
  p.id = record->jti;
  p.client = record->client_id;
  p.user = record->user_id;
  p.patient = record->patient;
  p.encounter = record->encounter;
  p.scope = record->scope;
  p.issued_s = record->issued_s;
  p.expires_s = record->expires_s;
  if (record->revoked) {
    p.status = "revoked";
    p.reason = "revoked";
    return p;
  }
  if (record->expires_s <= now_s()) {
    p.status = "expired";
    p.reason = "expired";
    return p;
  }
  // Everything else the server checks: client enabled, grant, user, patient opt-out. The token's
  // own iss is used as the expected base: its signature is ours, so it is the base it was made for.
  auth::JwtTokenVerifier verifier(*ctx.backend->db, auth::system_clock(), *ctx.auth->keys,
                                  p.issuer.empty() ? ctx.auth->config.fhir_base : p.issuer);
  auto principal = verifier.verify(token);
  if (principal) {
    p.status = "active";
  } else if (principal.error().code == base::ErrorCode::unauthorized) {
    p.status = principal.error().message == "token expired" ? "expired" : "revoked";
    p.reason = principal.error().message;
  } else {
    return principal.error();
  }
  return p;
}

std::string revoke_command(const Parsed& p) {
  if (p.id.empty() || (p.type != "access" && p.type != "refresh")) return {};
  if (p.status == "invalid-signature" || p.status == "unknown") return {};
  return "fhirctl token revoke " + p.id;
}

int parse(const GlobalOptions& global, const TokenOptions& o) {
  std::string token = o.token;
  if (token == "-") {
    auto in = read_file_or_stdin("-");
    if (!in) return fail(in.error());
    token = *in;
  }
  const auto b = token.find_first_not_of(" \t\r\n");
  const auto e = token.find_last_not_of(" \t\r\n");
  token = b == std::string::npos ? std::string() : token.substr(b, e - b + 1);
  if (token.rfind("Bearer ", 0) == 0) token = token.substr(7);
  if (token.empty()) return usage("no token given");
  auto ctx = open_auth(global);
  if (!ctx) return fail(ctx.error());
  auto p = parse_token(*ctx, token);
  if (!p) return fail(p.error());
  bool revoked_now = false;
  if (o.revoke && (p->status == "active" || p->status == "expired" || p->status == "revoked") && !p->id.empty()) {
    auto r = revoke_id(*ctx, p->id);
    if (!r) return fail(r.error());
    revoked_now = p->status != "revoked";
    p->status = "revoked";
    p->reason = "revoked";
  } else if (o.revoke && p->status != "revoked") {
    std::cerr << "fhirctl: nothing to revoke: the token is " << p->status << "\n";
  }
  const std::string username = username_of(*ctx, p->user);
  const std::string cmd = p->status == "revoked" ? std::string() : revoke_command(*p);
  if (global.json) {
    base::Json j{{"id", p->id},
                 {"type", p->type},
                 {"status", p->status},
                 {"reason", p->reason},
                 {"client_id", p->client},
                 {"user", p->user},
                 {"username", username},
                 {"patient", p->patient},
                 {"encounter", p->encounter},
                 {"scope", p->scope},
                 {"issuer", p->issuer},
                 {"kid", p->kid},
                 {"alg", p->alg},
                 {"issued", format_time_s(p->issued_s)},
                 {"expires", format_time_s(p->expires_s)},
                 {"revoke_command", cmd}};
    if (o.revoke) j["revoked_now"] = revoked_now;
    if (p->decoded) j["claims"] = p->claims;
    print_json(j);
    return kOk;
  }
  std::vector<std::pair<std::string, std::string>> f = {
      {"id", p->id.empty() ? "-" : p->id},
      {"type", p->type},
      {"status", p->reason.empty() || p->reason == p->status ? p->status : p->status + " (" + p->reason + ")"},
      {"client", p->client.empty() ? "-" : p->client},
      {"user", p->user.empty() ? "-" : (username != p->user ? username + " (" + p->user + ")" : p->user)},
      {"patient", p->patient.empty() ? "-" : p->patient},
  };
  if (!p->encounter.empty()) f.emplace_back("encounter", p->encounter);
  f.emplace_back("scopes", p->scope.empty() ? "-" : p->scope);
  f.emplace_back("issued", format_time_s(p->issued_s));
  f.emplace_back("expires", format_time_s(p->expires_s));
  if (!p->issuer.empty()) f.emplace_back("issuer", p->issuer);
  if (!p->kid.empty()) f.emplace_back("key", p->kid + (p->alg.empty() ? "" : " (" + p->alg + ")"));
  if (!cmd.empty()) f.emplace_back("revoke with", cmd);
  print_fields(f);
  if (p->status == "invalid-signature" && p->decoded) {
    std::cout << "(the claims above were decoded without trusting them)\n";
  }
  return kOk;
}

}  // namespace

void setup_token(CLI::App& app, const GlobalOptions& global, int& exit_code) {
  auto o = std::make_shared<TokenOptions>();
  auto* cmd = app.add_subcommand("token", "Access and refresh tokens: list, revoke, parse, get");
  cmd->require_subcommand(1);

  auto* list_cmd = cmd->add_subcommand("list", "List access and refresh tokens, newest first");
  list_cmd->add_option("--client", o->client, "Only tokens of this client id");
  list_cmd->add_option("--user", o->user, "Only tokens of this user (username or id)");
  list_cmd->add_option("--patient", o->patient, "Only tokens with this patient in context");
  list_cmd->add_flag("--active", o->active, "Only tokens that are neither expired nor revoked");
  list_cmd->callback([&global, &exit_code, o] { exit_code = list(global, *o); });

  auto* revoke_cmd = cmd->add_subcommand("revoke", "Revoke a token by its id (an access token's jti)");
  revoke_cmd->add_option("ID", o->id, "Token id, as token list and token parse show it")->required();
  revoke_cmd->callback([&global, &exit_code, o] { exit_code = revoke(global, *o); });

  auto* parse_cmd = cmd->add_subcommand("parse", "Decode a token, check its signature and look it up");
  parse_cmd->add_option("TOKEN", o->token, "The token, or - to read it from standard input")->required();
  parse_cmd->add_flag("--revoke", o->revoke, "Also revoke the token");
  parse_cmd->callback([&global, &exit_code, o] { exit_code = parse(global, *o); });

  setup_token_get(*cmd, global, exit_code);

}

}  // namespace fhirctl
