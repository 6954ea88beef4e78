-- An audit entry's account in the message catalogue's words (JSON: a message key and its
-- arguments), so that pages say it in the reader's language; NULL where the summary is only
-- names and values. The English summary stays for the API and the command line.
ALTER TABLE audit_log ADD COLUMN said TEXT;
