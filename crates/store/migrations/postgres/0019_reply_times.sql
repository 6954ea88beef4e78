-- The replies of a period, for how personal they were: found by kind and time.
CREATE INDEX request_messages_kind_at ON request_messages (kind, at);
