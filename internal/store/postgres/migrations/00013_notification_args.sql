-- +goose Up
-- The values a notification's message shows (who, which post, why), in order,
-- so the UI can tell it in the reader's language; message keeps the English text.
ALTER TABLE notifications ADD COLUMN args TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE notifications DROP COLUMN args;
