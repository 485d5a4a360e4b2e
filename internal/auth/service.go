package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Errors the service returns; handlers map them to status codes.
var (
	ErrInvalidCredentials = errors.New("auth: e-mail or password is wrong")
	ErrUnauthenticated    = errors.New("auth: not signed in")
	ErrForbidden          = errors.New("auth: your role does not allow this")
	ErrSetupDone          = errors.New("auth: setup is already complete")
)

// ThrottledError says when a throttled login may be tried again.
type ThrottledError struct{ Until time.Time }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("auth: too many failed sign-ins; try again after %s", e.Until.UTC().Format(time.RFC3339))
}

// Service is the auth core. Zero values of the durations take defaults.
type Service struct {
	Store store.Store
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// SessionTTL is how long a session lives (default 30 days).
	SessionTTL time.Duration
	// InviteTTL is how long an invitation link works (default 7 days).
	InviteTTL time.Duration
	// Throttle keeps the sign-in budgets (in the database, shared by instances).
	Throttle *Throttle
	// Hashing bounds concurrent argon2id computations.
	Hashing *HashGate
}

// NewService builds a Service over st with the default throttle rules and
// one hashing slot per core.
func NewService(st store.Store) *Service {
	return &Service{Store: st, Throttle: NewThrottle(st), Hashing: NewHashGate(0, DefaultHashWait)}
}

// sharedGate bounds hashing for services built without NewService.
var sharedGate = sync.OnceValue(func() *HashGate { return NewHashGate(0, DefaultHashWait) })

func (s *Service) gate() *HashGate {
	if s.Hashing != nil {
		return s.Hashing
	}
	return sharedGate()
}

func (s *Service) throttle() *Throttle {
	if s.Throttle != nil {
		return s.Throttle
	}
	return NewThrottle(s.Store)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) sessionTTL() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return 30 * 24 * time.Hour
}

func (s *Service) inviteTTL() time.Duration {
	if s.InviteTTL > 0 {
		return s.InviteTTL
	}
	return 7 * 24 * time.Hour
}

// CreateUser validates and creates a user.
func (s *Service) CreateUser(ctx context.Context, email, name, password string, admin bool) (store.User, error) {
	email, err := valid.Email("email", email)
	if err != nil {
		return store.User{}, err
	}
	name = strings.TrimSpace(name)
	if len([]rune(name)) > 100 {
		return store.User{}, valid.Errorf("name", "too_long", "Name allows at most 100 characters; it has %d", len([]rune(name)))
	}
	if err := CheckPasswordPolicy(password); err != nil {
		return store.User{}, err
	}
	hash, err := s.gate().hash(ctx, password)
	if err != nil {
		return store.User{}, err
	}
	u := store.User{Email: email, Name: name, PasswordHash: hash, IsAdmin: admin}
	if err := s.Store.CreateUser(ctx, &u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return store.User{}, valid.Errorf("email", "taken", "An account with the e-mail %s already exists", email)
		}
		return store.User{}, err
	}
	return u, nil
}

// SetupNeeded reports whether no user exists yet (first run).
func (s *Service) SetupNeeded(ctx context.Context) (bool, error) {
	n, err := s.Store.CountUsers(ctx)
	return n == 0, err
}

// Setup creates the first (admin) account; it fails once any user exists.
func (s *Service) Setup(ctx context.Context, email, name, password string) (store.User, error) {
	need, err := s.SetupNeeded(ctx)
	if err != nil {
		return store.User{}, err
	}
	if !need {
		return store.User{}, ErrSetupDone
	}
	return s.CreateUser(ctx, email, name, password, true)
}

// Login checks credentials under the throttle and opens a session. It returns
// the secret session token for the cookie; only its hash is stored. The
// attempt is counted before the password is hashed, and hashing waits for a
// slot (ErrBusy when none frees up).
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (string, store.Session, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := s.verify(ctx, email, ip, password)
	if err != nil {
		return "", store.Session{}, err
	}
	return s.StartSession(ctx, u, ip, userAgent)
}

// verify checks an account's password from a client under the throttle and
// the hashing gate.
func (s *Service) verify(ctx context.Context, email, client, password string) (store.User, error) {
	attempt, err := s.throttle().Reserve(ctx, email, client, s.now())
	if err != nil {
		return store.User{}, err
	}
	u, err := s.Store.UserByEmail(ctx, email)
	hash := u.PasswordHash
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			_ = attempt.refund(ctx)
			return store.User{}, err
		}
		hash = dummyHash()
	}
	ok, herr := s.gate().check(ctx, hash, password)
	if errors.Is(herr, ErrBusy) {
		// Not a guess: nothing was checked (refunded even if the caller left).
		_ = attempt.refund(context.WithoutCancel(ctx))
		return store.User{}, herr
	}
	if err != nil || herr != nil || !ok {
		return store.User{}, ErrInvalidCredentials
	}
	if err := attempt.Succeeded(ctx); err != nil {
		return store.User{}, err
	}
	return u, nil
}

// StartSession opens a session for u in its first workspace.
func (s *Service) StartSession(ctx context.Context, u store.User, ip, userAgent string) (string, store.Session, error) {
	now := s.now()
	var ws int64
	if list, err := s.Store.WorkspacesOf(ctx, u.ID); err == nil && len(list) > 0 {
		ws = list[0].ID
	}
	token := NewToken("rs_")
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	sess := store.Session{IDHash: HashToken(token), UserID: u.ID, WorkspaceID: ws, CreatedAt: now, ExpiresAt: now.Add(s.sessionTTL()), IP: ip, UserAgent: userAgent}
	if err := s.Store.CreateSession(ctx, sess); err != nil {
		return "", store.Session{}, err
	}
	return token, sess, nil
}

// Session resolves a session token to its user and session.
func (s *Service) Session(ctx context.Context, token string) (store.User, store.Session, error) {
	if token == "" {
		return store.User{}, store.Session{}, ErrUnauthenticated
	}
	sess, err := s.Store.SessionByHash(ctx, HashToken(token))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !sess.ExpiresAt.After(s.now())) {
		return store.User{}, store.Session{}, ErrUnauthenticated
	}
	if err != nil {
		return store.User{}, store.Session{}, err
	}
	u, err := s.Store.UserByID(ctx, sess.UserID)
	if err != nil {
		return store.User{}, store.Session{}, ErrUnauthenticated
	}
	return u, sess, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.Store.DeleteSession(ctx, HashToken(token))
}

// Principal resolves the user's role in a workspace; ErrNotFound when not a member.
func (s *Service) Principal(ctx context.Context, u store.User, workspaceID int64) (Principal, error) {
	if workspaceID == 0 {
		return Principal{User: u}, nil
	}
	role, err := s.Store.Membership(ctx, workspaceID, u.ID)
	if err != nil {
		return Principal{User: u}, err
	}
	w, err := s.Store.WorkspaceByID(ctx, workspaceID)
	if err != nil {
		return Principal{User: u}, err
	}
	return Principal{User: u, Workspace: w, Role: role}, nil
}

// SwitchWorkspace points the session at another workspace the user belongs to.
func (s *Service) SwitchWorkspace(ctx context.Context, token string, u store.User, workspaceID int64) error {
	if _, err := s.Store.Membership(ctx, workspaceID, u.ID); err != nil {
		return err
	}
	return s.Store.SetSessionWorkspace(ctx, HashToken(token), workspaceID)
}

// ValidateTimezone checks an IANA zone name.
func ValidateTimezone(field, tz string) (string, error) {
	tz = strings.TrimSpace(tz)
	if tz == "" {
		return "UTC", nil
	}
	if _, err := time.LoadLocation(tz); err != nil || len(tz) > 64 {
		return "", valid.Errorf(field, "format", "Time zone %q is not an IANA zone name like Europe/Paris", tz)
	}
	return tz, nil
}

// CreateWorkspace validates and creates a workspace owned by owner.
func (s *Service) CreateWorkspace(ctx context.Context, owner store.User, name, slug, tz string) (store.Workspace, error) {
	name, err := valid.Text("name", "Name", name, 100)
	if err != nil {
		return store.Workspace{}, err
	}
	if strings.TrimSpace(slug) == "" {
		slug = valid.Slugify(name)
	}
	slug, err = valid.Slug("slug", slug)
	if err != nil {
		return store.Workspace{}, err
	}
	if tz, err = ValidateTimezone("timezone", tz); err != nil {
		return store.Workspace{}, err
	}
	w := store.Workspace{Name: name, Slug: slug, Timezone: tz}
	if err := s.Store.CreateWorkspace(ctx, &w, owner.ID); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return store.Workspace{}, valid.Errorf("slug", "taken", "The slug %q is already taken", slug)
		}
		return store.Workspace{}, err
	}
	return w, nil
}

// WorkspaceSettings are what owners and admins change about a workspace.
type WorkspaceSettings struct {
	Name, Slug, Timezone string
	ApprovalRequired     bool
	// ApprovalFor is whose posts need approval when it is required ("": everyone).
	ApprovalFor store.ApprovalScope
	// SelfApproval lets authors approve their own posts.
	SelfApproval bool
	// MaxPublishAttempts bounds the calls per publication (1–20); 0 keeps the current value.
	MaxPublishAttempts int
}

// MaxPublishAttemptsLimit is the largest per-workspace retry maximum.
const MaxPublishAttemptsLimit = 20

// UpdateWorkspace saves a workspace's settings.
func (s *Service) UpdateWorkspace(ctx context.Context, p Principal, in WorkspaceSettings) (store.Workspace, error) {
	if !p.Can(ActManageWorkspace) {
		return store.Workspace{}, ErrForbidden
	}
	w := p.Workspace
	var err error
	if w.Name, err = valid.Text("name", "Name", in.Name, 100); err != nil {
		return store.Workspace{}, err
	}
	if w.Slug, err = valid.Slug("slug", in.Slug); err != nil {
		return store.Workspace{}, err
	}
	if w.Timezone, err = ValidateTimezone("timezone", in.Timezone); err != nil {
		return store.Workspace{}, err
	}
	if in.MaxPublishAttempts != 0 {
		if in.MaxPublishAttempts < 1 || in.MaxPublishAttempts > MaxPublishAttemptsLimit {
			return store.Workspace{}, valid.Errorf("max_publish_attempts", "out_of_range", "Attempts per publication must be between 1 and %d; got %d", MaxPublishAttemptsLimit, in.MaxPublishAttempts)
		}
		w.MaxPublishAttempts = in.MaxPublishAttempts
	}
	w.ApprovalRequired, w.SelfApproval = in.ApprovalRequired, in.SelfApproval
	switch w.ApprovalFor = in.ApprovalFor.OrDefault(); w.ApprovalFor {
	case store.ApprovalEveryone, store.ApprovalEditors:
	default:
		return store.Workspace{}, valid.Errorf("approval_for", "invalid", "Approval applies to everyone or editors; got %q", in.ApprovalFor)
	}
	if err := s.Store.UpdateWorkspace(ctx, w); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return store.Workspace{}, valid.Errorf("slug", "taken", "The slug %q is already taken", w.Slug)
		}
		return store.Workspace{}, err
	}
	return w, nil
}

// Invite creates an invitation link token for a role.
func (s *Service) Invite(ctx context.Context, p Principal, email string, role store.Role) (string, store.Invitation, error) {
	if !p.Can(ActManageMembers) {
		return "", store.Invitation{}, ErrForbidden
	}
	if !role.Valid() {
		return "", store.Invitation{}, valid.Errorf("role", "invalid", "Role must be one of owner, admin, editor, approver, viewer")
	}
	if role == store.RoleOwner && p.Role != store.RoleOwner {
		return "", store.Invitation{}, ErrForbidden
	}
	if strings.TrimSpace(email) != "" {
		var err error
		if email, err = valid.Email("email", email); err != nil {
			return "", store.Invitation{}, err
		}
	}
	token := NewToken("ri_")
	now := s.now()
	inv := store.Invitation{WorkspaceID: p.Workspace.ID, Email: email, Role: role, TokenHash: HashToken(token), CreatedBy: p.User.ID, CreatedAt: now, ExpiresAt: now.Add(s.inviteTTL())}
	if err := s.Store.CreateInvitation(ctx, &inv); err != nil {
		return "", store.Invitation{}, err
	}
	return token, inv, nil
}

// Invitation looks up a still-valid invitation by its token.
func (s *Service) Invitation(ctx context.Context, token string) (store.Invitation, store.Workspace, error) {
	inv, err := s.Store.InvitationByTokenHash(ctx, HashToken(token))
	if err != nil {
		return store.Invitation{}, store.Workspace{}, err
	}
	if inv.AcceptedAt != nil || !inv.ExpiresAt.After(s.now()) {
		return store.Invitation{}, store.Workspace{}, store.ErrNotFound
	}
	w, err := s.Store.WorkspaceByID(ctx, inv.WorkspaceID)
	return inv, w, err
}

// AcceptInvitation makes u a member through the invitation token.
func (s *Service) AcceptInvitation(ctx context.Context, token string, u store.User) (store.Workspace, error) {
	inv, w, err := s.Invitation(ctx, token)
	if err != nil {
		return store.Workspace{}, err
	}
	if inv.Email != "" && inv.Email != u.Email {
		return store.Workspace{}, valid.Errorf("email", "mismatch", "This invitation is for %s; you are signed in as %s", inv.Email, u.Email)
	}
	if err := s.Store.AcceptInvitation(ctx, inv.ID, u.ID, s.now()); err != nil {
		return store.Workspace{}, err
	}
	return w, nil
}

// SetMemberRole changes a member's role; the last owner cannot be demoted.
func (s *Service) SetMemberRole(ctx context.Context, p Principal, userID int64, role store.Role) error {
	if !p.Can(ActManageMembers) {
		return ErrForbidden
	}
	if !role.Valid() {
		return valid.Errorf("role", "invalid", "Role must be one of owner, admin, editor, approver, viewer")
	}
	cur, err := s.Store.Membership(ctx, p.Workspace.ID, userID)
	if err != nil {
		return err
	}
	if (role == store.RoleOwner || cur == store.RoleOwner) && p.Role != store.RoleOwner {
		return ErrForbidden
	}
	if cur == store.RoleOwner && role != store.RoleOwner {
		if err := s.keepAnOwner(ctx, p.Workspace.ID, userID); err != nil {
			return err
		}
	}
	return s.Store.UpdateMemberRole(ctx, p.Workspace.ID, userID, role)
}

// RemoveMember removes a member; the last owner cannot be removed.
func (s *Service) RemoveMember(ctx context.Context, p Principal, userID int64) error {
	if !p.Can(ActManageMembers) {
		return ErrForbidden
	}
	cur, err := s.Store.Membership(ctx, p.Workspace.ID, userID)
	if err != nil {
		return err
	}
	if cur == store.RoleOwner {
		if p.Role != store.RoleOwner {
			return ErrForbidden
		}
		if err := s.keepAnOwner(ctx, p.Workspace.ID, userID); err != nil {
			return err
		}
	}
	return s.Store.RemoveMember(ctx, p.Workspace.ID, userID)
}

func (s *Service) keepAnOwner(ctx context.Context, workspaceID, leaving int64) error {
	members, err := s.Store.Members(ctx, workspaceID)
	if err != nil {
		return err
	}
	for _, m := range members {
		if m.Role == store.RoleOwner && m.UserID != leaving {
			return nil
		}
	}
	return valid.Errorf("role", "last_owner", "A workspace needs at least one owner; make someone else owner first")
}

// CreateToken makes a personal API token for the principal's workspace. The
// token is returned once; only its hash is stored. When the principal is
// itself a token, the new token is its child and is revoked with it.
func (s *Service) CreateToken(ctx context.Context, p Principal, name string) (string, store.APIToken, error) {
	if p.Workspace.ID == 0 {
		return "", store.APIToken{}, valid.Errorf("workspace", "required", "A token belongs to one workspace; choose a workspace first")
	}
	if strings.TrimSpace(name) == "" {
		name = "API token"
	}
	name, err := valid.Text("name", "Token name", name, 100)
	if err != nil {
		return "", store.APIToken{}, err
	}
	token := NewToken("rl_")
	// A token made with a token (p.TokenID) is deleted with it: revoking a
	// leaked token also revokes whatever was minted with it.
	t := store.APIToken{WorkspaceID: p.Workspace.ID, UserID: p.User.ID, Name: name, Prefix: token[:8], TokenHash: HashToken(token), CreatedAt: s.now(), ParentID: p.TokenID}
	if err := s.Store.CreateToken(ctx, &t); err != nil {
		return "", store.APIToken{}, err
	}
	return token, t, nil
}

// TokenPrincipal authenticates an API token. A token whose user left the
// workspace no longer works.
func (s *Service) TokenPrincipal(ctx context.Context, token string) (Principal, error) {
	if !strings.HasPrefix(token, "rl_") {
		return Principal{}, ErrUnauthenticated
	}
	t, err := s.Store.TokenByHash(ctx, HashToken(token))
	if errors.Is(err, store.ErrNotFound) {
		return Principal{}, ErrUnauthenticated
	}
	if err != nil {
		return Principal{}, err
	}
	u, err := s.Store.UserByID(ctx, t.UserID)
	if err != nil {
		return Principal{}, ErrUnauthenticated
	}
	p, err := s.Principal(ctx, u, t.WorkspaceID)
	if err != nil {
		return Principal{}, ErrUnauthenticated
	}
	p.TokenID = t.ID
	if t.LastUsedAt == nil || s.now().Sub(*t.LastUsedAt) > time.Minute {
		_ = s.Store.TouchToken(ctx, t.ID, s.now())
	}
	return p, nil
}

// ExpireOld removes expired sessions and invitations and idle sign-in
// budgets (the periodic job).
func (s *Service) ExpireOld(ctx context.Context) (sessions, invitations int64, err error) {
	now := s.now()
	if sessions, err = s.Store.DeleteExpiredSessions(ctx, now); err != nil {
		return 0, 0, err
	}
	if invitations, err = s.Store.DeleteExpiredInvitations(ctx, now); err != nil {
		return 0, 0, err
	}
	_, err = s.throttle().Forget(ctx, now)
	return sessions, invitations, err
}

// ResetPassword sets a new password for the account and ends its sessions.
func (s *Service) ResetPassword(ctx context.Context, email, password string) error {
	if err := CheckPasswordPolicy(password); err != nil {
		return err
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if err != nil {
		return err
	}
	return s.setPassword(ctx, u, password)
}

// ChangePassword checks the current password (throttled like a sign-in from
// client), sets the new one and ends every session of the user: the caller
// opens a fresh one for the browser that made the change.
func (s *Service) ChangePassword(ctx context.Context, u store.User, client, current, next string) error {
	if _, err := s.verify(ctx, u.Email, client, current); err != nil {
		if errors.Is(err, ErrInvalidCredentials) {
			return valid.Errorf("current_password", "wrong", "The current password is wrong")
		}
		return err
	}
	if err := CheckPasswordPolicy(next); err != nil {
		return err
	}
	return s.setPassword(ctx, u, next)
}

func (s *Service) setPassword(ctx context.Context, u store.User, password string) error {
	hash, err := s.gate().hash(ctx, password)
	if err != nil {
		return err
	}
	if err := s.Store.UpdateUserPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	return s.Store.DeleteUserSessions(ctx, u.ID)
}
