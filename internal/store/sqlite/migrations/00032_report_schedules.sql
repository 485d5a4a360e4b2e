-- +goose Up
-- Scheduled report e-mails: per workspace, recipients, weekly or monthly, in
-- one language. last_period is the start (ms) of the last period sent, so a
-- period goes out once however many instances run the job.
CREATE TABLE report_schedules (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    frequency    TEXT NOT NULL,
    language     TEXT NOT NULL,
    recipients   TEXT NOT NULL,
    last_period  INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX report_schedules_workspace ON report_schedules(workspace_id);

-- The brand reports carry (an agency's name, accent colour, logo from the
-- media library and footer text), one per workspace.
CREATE TABLE report_brands (
    workspace_id  INTEGER PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
    display_name  TEXT NOT NULL DEFAULT '',
    accent_color  TEXT NOT NULL DEFAULT '',
    logo_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    footer        TEXT NOT NULL DEFAULT '',
    updated_at    INTEGER NOT NULL
);

-- +goose Down
DROP TABLE report_brands;
DROP TABLE report_schedules;
