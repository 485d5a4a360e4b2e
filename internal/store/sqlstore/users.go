package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/relais/relais/internal/store"
)

// CreateUser inserts u and sets its ID and CreatedAt.
func (db *DB) CreateUser(ctx context.Context, u *store.User) error {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	err := db.W.QueryRowContext(ctx, db.Q("CreateUser"), u.Email, u.Name, u.PasswordHash, u.IsAdmin, u.Lang, MS(u.CreatedAt)).Scan(&u.ID)
	return db.Err("create user", err)
}

func (db *DB) scanUser(row interface{ Scan(...any) error }) (store.User, error) {
	var u store.User
	var created int64
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.IsAdmin, &u.Lang, &created)
	u.CreatedAt = Time(created)
	return u, db.Err("read user", err)
}

// UserByID reads one user.
func (db *DB) UserByID(ctx context.Context, id int64) (store.User, error) {
	return db.scanUser(db.R.QueryRowContext(ctx, db.Q("UserByID"), id))
}

// UserByEmail reads one user by e-mail, case-insensitively.
func (db *DB) UserByEmail(ctx context.Context, email string) (store.User, error) {
	return db.scanUser(db.R.QueryRowContext(ctx, db.Q("UserByEmail"), strings.ToLower(strings.TrimSpace(email))))
}

// CountUsers counts all users (zero means first-run setup is open).
func (db *DB) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := db.R.QueryRowContext(ctx, db.Q("CountUsers")).Scan(&n)
	return n, db.Err("count users", err)
}

// UpdateUserPassword replaces a user's password hash.
func (db *DB) UpdateUserPassword(ctx context.Context, id int64, hash string) error {
	return db.Err("update password", Affected(db.W.ExecContext(ctx, db.Q("UpdateUserPassword"), hash, id)))
}

// UpdateUserLang sets a user's UI language.
func (db *DB) UpdateUserLang(ctx context.Context, id int64, lang string) error {
	return db.Err("update language", Affected(db.W.ExecContext(ctx, db.Q("UpdateUserLang"), lang, id)))
}
