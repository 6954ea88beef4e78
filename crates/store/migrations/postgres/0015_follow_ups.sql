-- Closed-loop feedback: a follow-up request names the answer it was opened for (at most one
-- request per answer), and an answer sent through the API may name the request it follows.
-- Either link is cleared when the other side is erased.

ALTER TABLE requests ADD COLUMN response_id BIGINT REFERENCES responses (id) ON DELETE SET NULL;
ALTER TABLE responses ADD COLUMN request_id BIGINT REFERENCES requests (id) ON DELETE SET NULL;

CREATE UNIQUE INDEX requests_response ON requests (response_id) WHERE response_id IS NOT NULL;
CREATE INDEX responses_request ON responses (request_id) WHERE request_id IS NOT NULL;
