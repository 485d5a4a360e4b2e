package store

import (
	"context"
	"time"
)

// LoginBudget is the sign-in attempt record of one throttle key (a client, an
// account, or an account from one client). Every instance reads and writes the
// same rows, so N instances do not grant N times the allowance.
type LoginBudget struct {
	// Key identifies what is throttled; callers store a hash, never an e-mail.
	Key string
	// Attempts counts the unrefunded attempts since the record last went quiet.
	Attempts int
	// LastAt is when the latest attempt was reserved.
	LastAt time.Time
	// Until is when the next attempt may start (zero: now).
	Until time.Time
}

// LoginThrottleStore keeps the sign-in budgets shared by every instance.
type LoginThrottleStore interface {
	// UpdateLoginBudget runs change on the key's budget (a zero budget with the
	// key when none exists) while holding the row, saves what change returns
	// and returns it. Concurrent calls for one key are serialised, so an
	// attempt reserved by one instance is seen by the next.
	UpdateLoginBudget(ctx context.Context, key string, change func(LoginBudget) LoginBudget) (LoginBudget, error)
	// DeleteLoginBudgets forgets the keys' budgets.
	DeleteLoginBudgets(ctx context.Context, keys ...string) error
	// DeleteStaleLoginBudgets removes budgets whose last attempt is before
	// before and whose wait is over (the periodic job).
	DeleteStaleLoginBudgets(ctx context.Context, before time.Time) (int64, error)
}
