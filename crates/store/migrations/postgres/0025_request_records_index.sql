-- An action's before and after reads the requests received at its touchpoints in the two
-- windows with their response times, and the review does so for every action in progress or
-- done. This index carries those columns after the ones the plan's counts need, so that both
-- are answered from the index without reading the rows; it replaces the narrower one, built
-- before that is dropped. The id ends it, as the records are read in the order received and
-- then by id (SQLite's index carries the id as the row's key anyway).

CREATE INDEX requests_touchpoint_records ON requests (
    touchpoint_id, received_at, customer_id,
    channel, first_response_at, first_response_due, resolved_at, resolution_due, id
);
DROP INDEX requests_touchpoint_customer;
