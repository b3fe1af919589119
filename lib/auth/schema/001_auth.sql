-- lib/auth: signing keys, users, OAuth clients, authorize state, codes, grants and tokens.
-- Secrets (client secrets, registration/initial access tokens, codes, launch values, refresh tokens)
-- are stored only as lowercase hex SHA-256. Times are seconds since the Unix epoch unless named _us.

-- One row: bumped by every change that can make a live access token bad (see auth/revocation.hpp).
CREATE TABLE auth_state (
  id                    INTEGER PRIMARY KEY CHECK (id = 1),
  revocation_generation INTEGER NOT NULL
);
INSERT INTO auth_state (id, revocation_generation) VALUES (1, 0);

-- Our RS256 signing keys. retired_s NULL = the active key.
CREATE TABLE auth_keys (
  kid         TEXT PRIMARY KEY,
  private_pem TEXT NOT NULL,
  created_s   INTEGER NOT NULL,
  retired_s   INTEGER
);

CREATE TABLE auth_users (
  id              TEXT PRIMARY KEY,
  username        TEXT NOT NULL UNIQUE,
  role            TEXT NOT NULL,            -- admin | clinician | patient
  display_name    TEXT NOT NULL DEFAULT '',
  patient_id      TEXT UNIQUE,              -- patient users only
  practitioner_id TEXT,                     -- staff users, optional
  password_hash   TEXT NOT NULL,
  disabled        INTEGER NOT NULL DEFAULT 0,
  created_us      INTEGER NOT NULL
);

-- Failed logins per username typed (existing or not).
CREATE TABLE auth_login_failures (
  username       TEXT PRIMARY KEY,
  failures       INTEGER NOT NULL,
  lockouts       INTEGER NOT NULL,
  locked_until_s INTEGER NOT NULL
);

-- Third-party API access per patient; no row = on.
CREATE TABLE auth_patient_access (
  patient_id TEXT PRIMARY KEY,
  api_access INTEGER NOT NULL,
  updated_s  INTEGER NOT NULL
);

CREATE TABLE auth_clients (
  client_id               TEXT PRIMARY KEY,
  metadata                TEXT NOT NULL,     -- registered metadata, JSON
  secret_hash             TEXT,              -- confidential symmetric clients
  registration_token_hash TEXT NOT NULL,
  enabled                 INTEGER NOT NULL,
  issued_at_s             INTEGER NOT NULL
);

CREATE TABLE auth_initial_access_tokens (
  token_hash TEXT PRIMARY KEY,
  created_s  INTEGER NOT NULL,
  expires_s  INTEGER NOT NULL               -- 0 = no expiry
);

-- Pending authorize requests (login -> picker -> consent), state as JSON.
CREATE TABLE auth_requests (
  id        TEXT PRIMARY KEY,
  state     TEXT NOT NULL,
  expires_s INTEGER NOT NULL
);
CREATE INDEX auth_requests_expires ON auth_requests (expires_s);

-- EHR launch values.
CREATE TABLE auth_launches (
  launch_hash TEXT PRIMARY KEY,
  client_id   TEXT NOT NULL,
  user_id     TEXT NOT NULL,
  patient     TEXT NOT NULL,
  encounter   TEXT NOT NULL,
  expires_s   INTEGER NOT NULL,
  used        INTEGER NOT NULL DEFAULT 0
);

-- One authorization of a client by a user (for a patient).
CREATE TABLE auth_grants (
  id        TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  user_id   TEXT NOT NULL,
  patient   TEXT NOT NULL,
  scope     TEXT NOT NULL,
  created_s INTEGER NOT NULL,
  revoked   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX auth_grants_client_user ON auth_grants (client_id, user_id);

-- Authorization codes. `family` ties a code to every token issued from it (and its refreshes).
CREATE TABLE auth_codes (
  code_hash      TEXT PRIMARY KEY,
  family         TEXT NOT NULL,
  client_id      TEXT NOT NULL,
  redirect_uri   TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  grant_id       TEXT NOT NULL,
  user_id        TEXT NOT NULL,
  patient        TEXT NOT NULL,
  encounter      TEXT NOT NULL,
  scope          TEXT NOT NULL,
  nonce          TEXT NOT NULL,
  ehr_launch     INTEGER NOT NULL,          -- 1 when the context came from an EHR launch
  expires_s      INTEGER NOT NULL,
  used_s         INTEGER
);
CREATE INDEX auth_codes_expires ON auth_codes (expires_s);

CREATE TABLE auth_access_tokens (
  jti       TEXT PRIMARY KEY,
  family    TEXT NOT NULL,                   -- code family, or the jti itself (client_credentials)
  client_id TEXT NOT NULL,
  user_id   TEXT NOT NULL,
  grant_id  TEXT NOT NULL,                   -- '' for backend services
  patient   TEXT NOT NULL,
  encounter TEXT NOT NULL,
  scope     TEXT NOT NULL,
  issued_s  INTEGER NOT NULL,
  expires_s INTEGER NOT NULL,
  revoked   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX auth_access_tokens_client ON auth_access_tokens (client_id, issued_s);
CREATE INDEX auth_access_tokens_family ON auth_access_tokens (family);
CREATE INDEX auth_access_tokens_grant ON auth_access_tokens (grant_id);
CREATE INDEX auth_access_tokens_expires ON auth_access_tokens (expires_s);

CREATE TABLE auth_refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  family     TEXT NOT NULL,
  client_id  TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  grant_id   TEXT NOT NULL,
  patient    TEXT NOT NULL,
  encounter  TEXT NOT NULL,
  scope      TEXT NOT NULL,                  -- the original grant's scope (refresh may narrow below it)
  ehr_launch INTEGER NOT NULL,
  issued_s   INTEGER NOT NULL,
  expires_s  INTEGER NOT NULL,
  status     TEXT NOT NULL                   -- active | rotated | revoked
);
CREATE INDEX auth_refresh_tokens_family ON auth_refresh_tokens (family);
CREATE INDEX auth_refresh_tokens_grant ON auth_refresh_tokens (grant_id);

-- private_key_jwt assertion ids seen, kept until the assertion would have expired.
CREATE TABLE auth_assertion_jtis (
  client_id TEXT NOT NULL,
  jti       TEXT NOT NULL,
  expires_s INTEGER NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX auth_assertion_jtis_expires ON auth_assertion_jtis (expires_s);
