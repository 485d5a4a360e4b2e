-- +goose Up
-- The report of criticism left unanswered reads negative messages without a
-- reply, oldest first: a partial index holds only those, so the report stays
-- small however large the inbox grows, and a message leaves it when answered.
CREATE INDEX inbox_messages_criticism ON inbox_messages(workspace_id, received_at, id)
    WHERE sentiment = 'negative' AND answered = 0;

-- +goose Down
DROP INDEX inbox_messages_criticism;
