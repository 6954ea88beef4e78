-- The action plan reads, for every touchpoint on every call, who used it in the last 90 days,
-- who relies on a retiring one and how many first-response targets were missed there. These
-- indexes carry the columns those counts need, so that they are answered from the index
-- without reading the rows. Each is built before the narrower one it replaces is dropped, so
-- that the table is locked against reads only for the drop.

CREATE INDEX requests_touchpoint_customer ON requests (touchpoint_id, received_at, customer_id);
DROP INDEX requests_touchpoint;

CREATE INDEX responses_touchpoint_customer
    ON responses (touchpoint_id, answered_at, customer_ref);
DROP INDEX responses_touchpoint;

CREATE INDEX requests_received_targets
    ON requests (received_at, touchpoint_id, first_response_due, first_response_at);
DROP INDEX requests_received;

CREATE INDEX requests_customer_touchpoint ON requests (customer_id, received_at, touchpoint_id);
DROP INDEX requests_customer;

CREATE INDEX responses_customer_touchpoint ON responses (customer_ref, answered_at, touchpoint_id)
    WHERE customer_ref IS NOT NULL;
DROP INDEX responses_customer;

-- A survey's answers, newest first, as its results page lists them.
CREATE INDEX responses_survey ON responses (survey_id, answered_at) WHERE survey_id IS NOT NULL;
