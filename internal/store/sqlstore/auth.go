package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/relais/relais/internal/store"
)

// UpdateLoginBudget reads, changes and saves one sign-in budget inside a write
// transaction: SQLite's IMMEDIATE transactions and PostgreSQL's row lock
// (SELECT … FOR UPDATE) serialise concurrent attempts on the same key.
func (db *DB) UpdateLoginBudget(ctx context.Context, key string, change func(store.LoginBudget) store.LoginBudget) (store.LoginBudget, error) {
	var out store.LoginBudget
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.Q("EnsureLoginBudget"), key); err != nil {
			return db.Err("login budget", err)
		}
		var last, until int64
		b := store.LoginBudget{Key: key}
		if err := tx.QueryRowContext(ctx, db.Q("LoginBudgetForUpdate"), key).Scan(&b.Attempts, &last, &until); err != nil {
			return db.Err("login budget", err)
		}
		b.LastAt, b.Until = zeroTime(last), zeroTime(until)
		out = change(b)
		out.Key = key
		_, err := tx.ExecContext(ctx, db.Q("SaveLoginBudget"), out.Attempts, msOrZero(out.LastAt), msOrZero(out.Until), key)
		return db.Err("save login budget", err)
	})
	if err != nil {
		return store.LoginBudget{}, err
	}
	return out, nil
}

// DeleteLoginBudgets forgets the keys' budgets.
func (db *DB) DeleteLoginBudgets(ctx context.Context, keys ...string) error {
	for _, k := range keys {
		if _, err := db.W.ExecContext(ctx, db.Q("DeleteLoginBudget"), k); err != nil {
			return db.Err("delete login budget", err)
		}
	}
	return nil
}

// DeleteStaleLoginBudgets removes budgets quiet since before.
func (db *DB) DeleteStaleLoginBudgets(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.W.ExecContext(ctx, db.Q("DeleteStaleLoginBudgets"), MS(before), MS(before))
	if err != nil {
		return 0, db.Err("expire login budgets", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func zeroTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return Time(ms)
}

func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return MS(t)
}
