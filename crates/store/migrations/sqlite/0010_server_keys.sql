-- Keys the product keeps for itself, such as the one that signs personalised survey links:
-- made once, on first use, and shared by every app server on the database. No personal
-- data, and part of no export.

CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY NOT NULL,
    secret     TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
