-- A breakdown by touchpoint or channel sums a window's months per touchpoint and channel.
-- With the place before the month in the key, each place's months lie together in the key's
-- order and are summed as they are read, without sorting the window's rows first. Trends
-- read the month totals, which keep the month first.

ALTER TABLE response_months DROP CONSTRAINT response_months_pkey;
ALTER TABLE response_months ADD PRIMARY KEY (metric, touchpoint_id, channel, day);
