-- API tokens may be scoped to reading /metrics only. SQLite cannot change a CHECK
-- constraint in place: the table is built anew with the rows it held.
CREATE TABLE api_tokens_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'write', 'metrics')),
    created_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
INSERT INTO api_tokens_new (id, name, token_hash, scope, created_by, created_at, last_used_at, revoked_at)
    SELECT id, name, token_hash, scope, created_by, created_at, last_used_at, revoked_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
