-- +goose Up
-- Sign-in budgets shared by every instance (see auth.Service.Login).
CREATE TABLE login_budgets (
    key      TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL DEFAULT 0,
    last_at  BIGINT NOT NULL DEFAULT 0,
    until_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX login_budgets_last ON login_budgets(last_at);

-- A token minted with a token is revoked with it.
ALTER TABLE api_tokens ADD COLUMN parent_id BIGINT REFERENCES api_tokens(id) ON DELETE CASCADE;
CREATE INDEX api_tokens_parent ON api_tokens(parent_id);

-- +goose Down
DROP INDEX api_tokens_parent;
ALTER TABLE api_tokens DROP COLUMN parent_id;
DROP TABLE login_budgets;
