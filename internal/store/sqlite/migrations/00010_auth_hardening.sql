-- +goose Up
-- Sign-in budgets shared by every instance (see auth.Service.Login).
CREATE TABLE login_budgets (
    key      TEXT PRIMARY KEY,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_at  INTEGER NOT NULL DEFAULT 0,
    until_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX login_budgets_last ON login_budgets(last_at);

-- A token minted with a token is revoked with it.
ALTER TABLE api_tokens ADD COLUMN parent_id INTEGER REFERENCES api_tokens(id) ON DELETE CASCADE;
CREATE INDEX api_tokens_parent ON api_tokens(parent_id);

-- +goose Down
DROP INDEX api_tokens_parent;
CREATE TABLE api_tokens_old (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
);
INSERT INTO api_tokens_old SELECT id, workspace_id, user_id, name, prefix, token_hash, created_at, last_used_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_old RENAME TO api_tokens;
CREATE INDEX api_tokens_owner ON api_tokens(workspace_id, user_id);
DROP TABLE login_budgets;
