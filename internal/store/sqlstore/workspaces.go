package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/relais/relais/internal/store"
)

// CreateWorkspace inserts w and makes owner its owner in one transaction.
func (db *DB) CreateWorkspace(ctx context.Context, w *store.Workspace, owner int64) error {
	if w.CreatedAt.IsZero() {
		w.CreatedAt = time.Now().UTC()
	}
	if w.Timezone == "" {
		w.Timezone = "UTC"
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.Q("CreateWorkspace"), w.Name, w.Slug, w.Timezone, w.ApprovalRequired, MS(w.CreatedAt)).Scan(&w.ID)
		if err != nil {
			return db.Err("create workspace", err)
		}
		_, err = tx.ExecContext(ctx, db.Q("AddMember"), w.ID, owner, store.RoleOwner, MS(w.CreatedAt))
		return db.Err("add owner", err)
	})
}

func (db *DB) scanWorkspace(row interface{ Scan(...any) error }, extra ...any) (store.Workspace, error) {
	var w store.Workspace
	var created int64
	var approvalFor string
	dest := append([]any{&w.ID, &w.Name, &w.Slug, &w.Timezone, &w.ApprovalRequired, &approvalFor, &w.SelfApproval, &w.MaxPublishAttempts, &created}, extra...)
	err := row.Scan(dest...)
	w.CreatedAt = Time(created)
	w.ApprovalFor = store.ApprovalScope(approvalFor)
	return w, db.Err("read workspace", err)
}

// WorkspaceByID reads one workspace.
func (db *DB) WorkspaceByID(ctx context.Context, id int64) (store.Workspace, error) {
	return db.scanWorkspace(db.R.QueryRowContext(ctx, db.Q("WorkspaceByID"), id))
}

// WorkspaceBySlug reads one workspace by slug.
func (db *DB) WorkspaceBySlug(ctx context.Context, slug string) (store.Workspace, error) {
	return db.scanWorkspace(db.R.QueryRowContext(ctx, db.Q("WorkspaceBySlug"), slug))
}

// UpdateWorkspace saves name, slug, time zone and approval setting.
func (db *DB) UpdateWorkspace(ctx context.Context, w store.Workspace) error {
	return db.Err("update workspace", Affected(db.W.ExecContext(ctx, db.Q("UpdateWorkspace"), w.Name, w.Slug, w.Timezone, w.ApprovalRequired, max(w.MaxPublishAttempts, 1),
		string(w.ApprovalFor.OrDefault()), w.SelfApproval, w.ID)))
}

// WorkspacesOf lists the user's workspaces with the user's role, by name.
func (db *DB) WorkspacesOf(ctx context.Context, userID int64) ([]store.MemberWorkspace, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("WorkspacesOf"), userID)
	if err != nil {
		return nil, db.Err("list workspaces", err)
	}
	defer rows.Close()
	var out []store.MemberWorkspace
	for rows.Next() {
		var mw store.MemberWorkspace
		w, err := db.scanWorkspace(rows, &mw.Role)
		if err != nil {
			return nil, err
		}
		mw.Workspace = w
		out = append(out, mw)
	}
	return out, db.Err("list workspaces", rows.Err())
}

// Members lists a workspace's members.
func (db *DB) Members(ctx context.Context, workspaceID int64) ([]store.Member, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Members"), workspaceID)
	if err != nil {
		return nil, db.Err("list members", err)
	}
	defer rows.Close()
	var out []store.Member
	for rows.Next() {
		var m store.Member
		var created int64
		if err := rows.Scan(&m.WorkspaceID, &m.UserID, &m.Email, &m.Name, &m.Role, &created); err != nil {
			return nil, db.Err("list members", err)
		}
		m.CreatedAt = Time(created)
		out = append(out, m)
	}
	return out, db.Err("list members", rows.Err())
}

// Membership returns the user's role in the workspace.
func (db *DB) Membership(ctx context.Context, workspaceID, userID int64) (store.Role, error) {
	var r store.Role
	err := db.R.QueryRowContext(ctx, db.Q("Membership"), workspaceID, userID).Scan(&r)
	return r, db.Err("read membership", err)
}

// AddMember adds a user to a workspace.
func (db *DB) AddMember(ctx context.Context, workspaceID, userID int64, role store.Role) error {
	_, err := db.W.ExecContext(ctx, db.Q("AddMember"), workspaceID, userID, role, MS(time.Now()))
	return db.Err("add member", err)
}

// UpdateMemberRole changes a member's role.
func (db *DB) UpdateMemberRole(ctx context.Context, workspaceID, userID int64, role store.Role) error {
	return db.Err("update member", Affected(db.W.ExecContext(ctx, db.Q("UpdateMemberRole"), role, workspaceID, userID)))
}

// RemoveMember removes a user from a workspace with their API tokens there.
func (db *DB) RemoveMember(ctx context.Context, workspaceID, userID int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if err := Affected(tx.ExecContext(ctx, db.Q("RemoveMember"), workspaceID, userID)); err != nil {
			return db.Err("remove member", err)
		}
		_, err := tx.ExecContext(ctx, db.Q("DeleteMemberTokens"), workspaceID, userID)
		return db.Err("remove member tokens", err)
	})
}

// CreateInvitation stores an invitation (only its token hash).
func (db *DB) CreateInvitation(ctx context.Context, inv *store.Invitation) error {
	if inv.CreatedAt.IsZero() {
		inv.CreatedAt = time.Now().UTC()
	}
	err := db.W.QueryRowContext(ctx, db.Q("CreateInvitation"), inv.WorkspaceID, inv.Email, inv.Role, inv.TokenHash, inv.CreatedBy, MS(inv.CreatedAt), MS(inv.ExpiresAt)).Scan(&inv.ID)
	return db.Err("create invitation", err)
}

func (db *DB) scanInvitation(row interface{ Scan(...any) error }) (store.Invitation, error) {
	var inv store.Invitation
	var created, expires int64
	var accepted sql.NullInt64
	err := row.Scan(&inv.ID, &inv.WorkspaceID, &inv.Email, &inv.Role, &inv.TokenHash, &inv.CreatedBy, &created, &expires, &accepted)
	inv.CreatedAt, inv.ExpiresAt, inv.AcceptedAt = Time(created), Time(expires), TimePtr(accepted)
	return inv, db.Err("read invitation", err)
}

// InvitationByTokenHash finds an invitation by its token's hash.
func (db *DB) InvitationByTokenHash(ctx context.Context, hash string) (store.Invitation, error) {
	return db.scanInvitation(db.R.QueryRowContext(ctx, db.Q("InvitationByTokenHash"), hash))
}

// Invitations lists a workspace's open invitations.
func (db *DB) Invitations(ctx context.Context, workspaceID int64) ([]store.Invitation, error) {
	rows, err := db.R.QueryContext(ctx, db.Q("Invitations"), workspaceID)
	if err != nil {
		return nil, db.Err("list invitations", err)
	}
	defer rows.Close()
	var out []store.Invitation
	for rows.Next() {
		inv, err := db.scanInvitation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, db.Err("list invitations", rows.Err())
}

// AcceptInvitation marks the invitation used and adds the member in one
// transaction; an invitation already used or expired answers ErrNotFound.
func (db *DB) AcceptInvitation(ctx context.Context, id, userID int64, now time.Time) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		var ws int64
		var role store.Role
		err := tx.QueryRowContext(ctx, db.Q("ClaimInvitation"), MS(now), id, MS(now)).Scan(&ws, &role)
		if err != nil {
			return db.Err("accept invitation", err)
		}
		if _, err := tx.ExecContext(ctx, db.Q("UpsertMember"), ws, userID, role, MS(now)); err != nil {
			return db.Err("accept invitation", err)
		}
		return nil
	})
}

// DeleteInvitation revokes an invitation.
func (db *DB) DeleteInvitation(ctx context.Context, workspaceID, id int64) error {
	return db.Err("delete invitation", Affected(db.W.ExecContext(ctx, db.Q("DeleteInvitation"), workspaceID, id)))
}

// DeleteExpiredInvitations removes unaccepted invitations past expiry.
func (db *DB) DeleteExpiredInvitations(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.W.ExecContext(ctx, db.Q("DeleteExpiredInvitations"), MS(now))
	if err != nil {
		return 0, db.Err("expire invitations", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
