-- The dashboard's scores per agent count the answers to requests in a window by the request's
-- assignee. This index holds only answers that name a request and carries the columns the
-- count reads, so the count is answered from it and the requests' primary key, without
-- reading the answers that name no request.

CREATE INDEX responses_answered_request
    ON responses (answered_at, request_id, touchpoint_id, metric, score)
    WHERE request_id IS NOT NULL;
