-- The 24/7 chat: the widget's settings per touchpoint, its conversations with the bot and,
-- after a handover, with a person; the request a handover opens is linked to its
-- conversation, whose transcript holds every message of both.

CREATE TABLE chat_widgets (
    touchpoint_id INTEGER PRIMARY KEY REFERENCES touchpoints (id) ON DELETE CASCADE,
    -- The web origins allowed to embed the widget, as a JSON list ("https://shop.example").
    origins       TEXT NOT NULL,
    enabled       INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    updated_at    INTEGER NOT NULL
);

CREATE TABLE chat_conversations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- SHA-256 of the conversation's token: the token itself is known to the widget alone.
    token_hash    TEXT NOT NULL UNIQUE,
    touchpoint_id INTEGER NOT NULL REFERENCES touchpoints (id) ON DELETE CASCADE,
    language      TEXT NOT NULL,
    origin        TEXT NOT NULL,
    request_id    INTEGER REFERENCES requests (id) ON DELETE SET NULL,
    bot_answers   INTEGER NOT NULL,
    rating        INTEGER CHECK (rating BETWEEN 1 AND 5),
    -- Handed over while nobody was there, with an e-mail address: replies go by e-mail too.
    by_email      INTEGER NOT NULL DEFAULT 0 CHECK (by_email IN (0, 1)),
    started_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    closed_at     INTEGER
);

CREATE INDEX chat_conversations_request ON chat_conversations (request_id);
CREATE INDEX chat_conversations_started ON chat_conversations (started_at);

CREATE TABLE chat_messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES chat_conversations (id) ON DELETE CASCADE,
    author          TEXT NOT NULL CHECK (author IN ('customer', 'bot', 'agent')),
    -- The user who wrote an agent's message.
    agent           TEXT,
    body            TEXT NOT NULL,
    -- What the bot's answer cites, as JSON.
    source          TEXT,
    at              INTEGER NOT NULL
);

CREATE INDEX chat_messages_conversation ON chat_messages (conversation_id, id);
