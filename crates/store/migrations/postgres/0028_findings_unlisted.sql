-- What a check left out of a finding: the check lists at most 20 findings of one kind and
-- rule per text and 20 places on a side, and compares 8 values of a fact between channels.
-- `unlisted` counts the findings like this one left out, on the last one listed;
-- `unlisted_places` the places of this one. Findings stored before count none.

ALTER TABLE findings ADD COLUMN unlisted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN unlisted_places BIGINT NOT NULL DEFAULT 0;
