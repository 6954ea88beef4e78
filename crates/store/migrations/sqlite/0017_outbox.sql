-- Mails to customers, written in the transaction of the step that sends them and sent by the
-- outbox worker: `queued` until `next_attempt_at`, `sending` while a server holds it (until
-- `next_attempt_at`, when another may take it over), then `sent`; `failed` after the last
-- try or when it cannot be sent at all (`last_error` says why), `held` when no mail server
-- was configured. A mail (a reply, or the survey after a resolution) goes with its request.

CREATE TABLE outbox_mails (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      INTEGER REFERENCES requests (id) ON DELETE CASCADE,
    step_id         INTEGER REFERENCES request_messages (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    sender          TEXT NOT NULL,
    sender_name     TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body_text       TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    message_id      TEXT NOT NULL UNIQUE,
    in_reply_to     TEXT NOT NULL,
    refs            TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);

CREATE INDEX outbox_mails_due ON outbox_mails (status, next_attempt_at);
CREATE INDEX outbox_mails_request ON outbox_mails (request_id, id);

-- The customer's e-mail a request came as, which replies answer.
ALTER TABLE requests ADD COLUMN message_id TEXT;
