-- +goose Up
-- PostgreSQL's 00021 notifies other instances of new publishing work. One
-- process owns a SQLite database and wakes its engine in process: nothing to
-- change, the version keeps both dialects' numbers in step.
SELECT 1;

-- +goose Down
SELECT 1;
