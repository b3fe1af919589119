-- Resource store: the current version of every resource, and every version ever written.
-- Times are microseconds since the Unix epoch (UTC).
CREATE TABLE resources (
  rid          INTEGER PRIMARY KEY,
  type         TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  version      INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0,
  json         TEXT,               -- the stored bytes of the current version; NULL once deleted
  UNIQUE (type, id)
);
CREATE INDEX resources_type_updated ON resources (type, last_updated);

CREATE TABLE resource_history (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- system-wide write order
  rid          INTEGER NOT NULL REFERENCES resources (rid),
  type         TEXT    NOT NULL,
  id           TEXT    NOT NULL,
  version      INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  method       TEXT    NOT NULL,   -- POST | PUT | DELETE
  json         TEXT,               -- NULL for a delete
  UNIQUE (rid, version)
);
CREATE INDEX resource_history_type ON resource_history (type, seq);
CREATE INDEX resource_history_updated ON resource_history (last_updated);

-- Site settings (SPEC.md "FhirSetup"): key/value, read through store/settings.hpp.
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
