-- The API log lives in its own database file (DATA_DIR/api-log.db): its frequent small commits
-- then neither fsync the resource database nor invalidate the readers' page caches.
-- API log (SPEC.md "apiLog"), written asynchronously by lib/audit. Never holds tokens.
CREATE TABLE api_log (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  at           INTEGER NOT NULL,
  method       TEXT    NOT NULL,
  route        TEXT    NOT NULL,   -- the route pattern, e.g. GET /{type}/{id}
  path         TEXT    NOT NULL,
  status       INTEGER NOT NULL,
  duration_us  INTEGER NOT NULL,
  client_id    TEXT,
  user_id      TEXT,
  patient_id   TEXT,
  ip           TEXT,
  request_body  TEXT,              -- only in `full` mode
  response_body TEXT               -- only in `full` mode
);
CREATE INDEX api_log_at ON api_log (at);
