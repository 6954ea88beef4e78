-- An action's before and after reads the requests received at its touchpoints in the two
-- windows with their response times, and the review does so for every action in progress or
-- done. This index carries those columns after the ones the plan's counts need, so that both
-- are answered from the index without reading the rows; it replaces the narrower one, built
-- before that is dropped. The id ends it, as the records are put in the order received and
-- then by id (SQLite keeps the row's id in every index anyway; named, it is the same index as
-- on PostgreSQL).

CREATE INDEX requests_touchpoint_records ON requests (
    touchpoint_id, received_at, customer_id,
    channel, first_response_at, first_response_due, resolved_at, resolution_due, id
);
DROP INDEX requests_touchpoint_customer;
