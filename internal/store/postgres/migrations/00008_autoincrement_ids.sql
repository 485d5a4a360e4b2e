-- +goose Up
-- SQLite's 00008 makes ids never reused (AUTOINCREMENT). PostgreSQL identity
-- columns never give an id out twice already: nothing to change, the
-- version keeps both dialects' numbers in step.
SELECT 1;

-- +goose Down
SELECT 1;
