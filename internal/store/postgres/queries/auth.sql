-- name: EnsureLoginBudget
INSERT INTO login_budgets (key) VALUES ($1) ON CONFLICT (key) DO NOTHING;

-- name: LoginBudgetForUpdate
SELECT attempts, last_at, until_at FROM login_budgets WHERE key = $1 FOR UPDATE;

-- name: SaveLoginBudget
UPDATE login_budgets SET attempts = $1, last_at = $2, until_at = $3 WHERE key = $4;

-- name: DeleteLoginBudget
DELETE FROM login_budgets WHERE key = $1;

-- name: DeleteStaleLoginBudgets
DELETE FROM login_budgets WHERE last_at < $1 AND until_at < $2;

-- name: DeleteMemberTokens
DELETE FROM api_tokens WHERE workspace_id = $1 AND user_id = $2;
