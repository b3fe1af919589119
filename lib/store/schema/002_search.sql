-- Search indexes, written in the same transaction as the resource (lib/search/indexer.cpp).
-- Every row names the resource (rid) and the search parameter (param -> search_param.id).
CREATE TABLE search_param (
  id            INTEGER PRIMARY KEY,
  resource_type TEXT NOT NULL,   -- the definition's base ("Resource" for _id, _tag, ...)
  code          TEXT NOT NULL,
  UNIQUE (resource_type, code)
);

-- string: norm is lowercased with accents folded (prefix and :contains); exact as written.
CREATE TABLE idx_string (
  rid INTEGER NOT NULL, param INTEGER NOT NULL, norm TEXT NOT NULL, exact TEXT NOT NULL
);
CREATE INDEX idx_string_lookup ON idx_string (param, norm, rid);
CREATE INDEX idx_string_rid ON idx_string (rid, param);

-- token: system may be NULL (no system); text is the normalised display/text for :text;
-- of_type is "typeSystem|typeCode|value" for Identifiers with a type (for :of-type).
CREATE TABLE idx_token (
  rid INTEGER NOT NULL, param INTEGER NOT NULL, system TEXT, code TEXT, text TEXT, of_type TEXT
);
CREATE INDEX idx_token_lookup ON idx_token (param, code, system, rid);
CREATE INDEX idx_token_rid ON idx_token (rid, param, code);

-- reference: local references as (target_type, target_id); others by url.
CREATE TABLE idx_reference (
  rid INTEGER NOT NULL, param INTEGER NOT NULL, target_type TEXT, target_id TEXT, url TEXT
);
CREATE INDEX idx_reference_lookup ON idx_reference (param, target_id, target_type, rid, url);
CREATE INDEX idx_reference_rid ON idx_reference (rid, param);
CREATE INDEX idx_reference_url ON idx_reference (param, url) WHERE url IS NOT NULL;

-- date: the half-open range [low, high) in microseconds since the epoch (UTC).
CREATE TABLE idx_date (
  rid INTEGER NOT NULL, param INTEGER NOT NULL, low INTEGER NOT NULL, high INTEGER NOT NULL
);
CREATE INDEX idx_date_lookup ON idx_date (param, low, high, rid);
CREATE INDEX idx_date_rid ON idx_date (rid, param);

CREATE TABLE idx_number (
  rid INTEGER NOT NULL, param INTEGER NOT NULL, value REAL NOT NULL
);
CREATE INDEX idx_number_lookup ON idx_number (param, value, rid);
CREATE INDEX idx_number_rid ON idx_number (rid, param);

CREATE TABLE idx_quantity (
  rid INTEGER NOT NULL, param INTEGER NOT NULL, value REAL NOT NULL, system TEXT, code TEXT, unit TEXT
);
CREATE INDEX idx_quantity_lookup ON idx_quantity (param, value, rid);
CREATE INDEX idx_quantity_rid ON idx_quantity (rid, param);

CREATE TABLE idx_uri (
  rid INTEGER NOT NULL, param INTEGER NOT NULL, value TEXT NOT NULL
);
CREATE INDEX idx_uri_lookup ON idx_uri (param, value, rid);
CREATE INDEX idx_uri_rid ON idx_uri (rid, param);

-- Which patient(s) a resource belongs to (R4 Patient CompartmentDefinition); a Patient
-- belongs to its own compartment. Access restrictions compile into SQL against this table.
CREATE TABLE compartment (
  rid INTEGER NOT NULL, patient_id TEXT NOT NULL
);
CREATE INDEX compartment_patient ON compartment (patient_id, rid);
CREATE INDEX compartment_rid ON compartment (rid);

CREATE INDEX resources_type ON resources (type);

-- Secrets the server keeps in its database (e.g. the key that signs paging cursors), so that
-- several nodes on one database agree.
CREATE TABLE server_secret (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
