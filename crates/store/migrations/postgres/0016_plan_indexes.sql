-- The action plan reads, for every touchpoint on every call, who used it in the last 90 days
-- and how many first-response targets were missed there. These indexes carry the columns
-- those counts need, so that they are answered from the index without reading the rows.

DROP INDEX requests_touchpoint;
CREATE INDEX requests_touchpoint ON requests (touchpoint_id, received_at, customer_id);

DROP INDEX responses_touchpoint;
CREATE INDEX responses_touchpoint ON responses (touchpoint_id, answered_at, customer_ref);

DROP INDEX requests_received;
CREATE INDEX requests_received
    ON requests (received_at, touchpoint_id, first_response_due, first_response_at);

-- Who relies on a retiring touchpoint: every contact of its customers, read from the
-- customers' indexes alone.
DROP INDEX requests_customer;
CREATE INDEX requests_customer ON requests (customer_id, received_at, touchpoint_id);

DROP INDEX responses_customer;
CREATE INDEX responses_customer ON responses (customer_ref, answered_at, touchpoint_id)
    WHERE customer_ref IS NOT NULL;

-- A survey's answers, newest first, as its results page lists them.
CREATE INDEX responses_survey ON responses (survey_id, answered_at) WHERE survey_id IS NOT NULL;
