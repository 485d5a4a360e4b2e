-- name: EnsureLoginBudget
INSERT INTO login_budgets (key) VALUES (?) ON CONFLICT (key) DO NOTHING;

-- name: LoginBudgetForUpdate
-- The write connection holds an IMMEDIATE transaction: SQLite serialises it.
SELECT attempts, last_at, until_at FROM login_budgets WHERE key = ?;

-- name: SaveLoginBudget
UPDATE login_budgets SET attempts = ?, last_at = ?, until_at = ? WHERE key = ?;

-- name: DeleteLoginBudget
DELETE FROM login_budgets WHERE key = ?;

-- name: DeleteStaleLoginBudgets
DELETE FROM login_budgets WHERE last_at < ? AND until_at < ?;

-- name: DeleteMemberTokens
DELETE FROM api_tokens WHERE workspace_id = ? AND user_id = ?;
