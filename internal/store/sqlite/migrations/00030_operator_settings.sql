-- +goose Up
-- The operator's settings entered on the instance's settings page (network
-- apps: client ids and secrets, webhook verify tokens), each value encrypted
-- with the instance key. Instance-wide, not per workspace: only instance
-- administrators read or write them. The environment wins over them.
CREATE TABLE operator_settings (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    updated_by INTEGER,
    updated_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE operator_settings;
