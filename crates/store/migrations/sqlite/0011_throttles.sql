-- Counts of attempts per fixed window, shared by every app server on the database: login
-- attempts per account and client, requests to public pages per client. A subject is a keyed
-- digest of the account name or client address, never the value itself; a row whose window
-- has ended counts nothing and is deleted from time to time.

CREATE TABLE throttles (
    kind        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    hits        INTEGER NOT NULL,
    window_ends INTEGER NOT NULL,
    PRIMARY KEY (kind, subject)
) WITHOUT ROWID;

CREATE INDEX throttles_window_ends ON throttles (window_ends);
