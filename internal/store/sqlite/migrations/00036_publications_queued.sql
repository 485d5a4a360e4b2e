-- +goose Up
-- queued is 1 while a publication is scheduled, staged or publishing, and
-- the queue index's predicate names it instead of state: the mark (staged
-- to publishing, the statement at every due moment) then changes no column
-- any index names, and SQLite writes the row alone instead of the row, a
-- deletion from the queue index and an insertion into the in-flight index
-- (half of a mark's cost). The reconciler finds in-flight rows through the
-- queue index too: a publishing row was due before it was marked. Every
-- statement that moves a row into or out of those three states sets queued
-- (docs/publishing.md); PostgreSQL keeps its indexes, where the mark's update
-- is not a HOT one either way.
ALTER TABLE publications ADD COLUMN queued INTEGER NOT NULL DEFAULT 0;
UPDATE publications SET queued = 1 WHERE state IN ('scheduled', 'staged', 'publishing');
DROP INDEX publications_queue;
DROP INDEX publications_inflight;
CREATE INDEX publications_queue ON publications(next_attempt_at) WHERE queued = 1 AND hold_reason = '';

-- +goose Down
DROP INDEX publications_queue;
CREATE INDEX publications_queue ON publications(next_attempt_at) WHERE state IN ('scheduled', 'staged') AND hold_reason = '';
CREATE INDEX publications_inflight ON publications(lease_until) WHERE state = 'publishing';
ALTER TABLE publications DROP COLUMN queued;
