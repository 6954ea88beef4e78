-- Which app server runs a background task (the outbox's and the webhooks' rounds, the
-- deletion of old chat transcripts) and until when: one server of those sharing the
-- database at a time, and another once the holder has stopped renewing its turn.

CREATE TABLE turns (
    task        TEXT NOT NULL PRIMARY KEY,
    holder      TEXT NOT NULL,
    held_until  INTEGER NOT NULL
) WITHOUT ROWID;
