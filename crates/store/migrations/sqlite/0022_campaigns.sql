-- Segments (a name and rules over customers' profiles and history, as JSON the application
-- checks), campaigns (a message template sent to a segment's consenting members) and each
-- campaign's recipients: one row per customer, so that no one gets a campaign twice.

CREATE TABLE segments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    combine    TEXT NOT NULL,
    rules      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    segment_id  INTEGER NOT NULL REFERENCES segments (id),
    template_id INTEGER NOT NULL REFERENCES message_templates (id),
    per_minute  INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    sent_by     TEXT
);

CREATE INDEX campaigns_segment ON campaigns (segment_id);
CREATE INDEX campaigns_template ON campaigns (template_id);

CREATE TABLE campaign_recipients (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    mail_id     INTEGER REFERENCES outbox_mails (id) ON DELETE SET NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, customer_id)
);

CREATE INDEX campaign_recipients_customer ON campaign_recipients (customer_id);

-- The link that ends a customer's marketing mails (RFC 8058 one-click), for the
-- List-Unsubscribe header of a campaign's mail; empty for every other mail.
ALTER TABLE outbox_mails ADD COLUMN unsubscribe TEXT NOT NULL DEFAULT '';
