package compose

import (
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// Policy is a workspace's approval policy as one word: who needs approval
// before a post is scheduled.
type Policy string

// The approval policies.
const (
	// PolicyNobody: anyone who may publish schedules directly (approval off).
	PolicyNobody Policy = "nobody"
	// PolicyEditors: editors submit for review; owners and admins schedule directly.
	PolicyEditors Policy = "editors"
	// PolicyEveryone: every post is approved before it is scheduled.
	PolicyEveryone Policy = "everyone"
)

// PolicyOf reads a workspace's approval policy.
func PolicyOf(w store.Workspace) Policy {
	switch {
	case !w.ApprovalRequired:
		return PolicyNobody
	case w.ApprovalFor == store.ApprovalEditors:
		return PolicyEditors
	}
	return PolicyEveryone
}

// Settings gives the workspace's approval switch and scope for the policy.
func (pol Policy) Settings() (required bool, scope store.ApprovalScope) {
	switch pol {
	case PolicyEditors:
		return true, store.ApprovalEditors
	case PolicyEveryone:
		return true, store.ApprovalEveryone
	}
	return false, store.ApprovalEveryone
}

// Valid reports whether pol is one of the policies.
func (pol Policy) Valid() bool {
	return pol == PolicyNobody || pol == PolicyEditors || pol == PolicyEveryone
}

// NeedsApproval reports whether the principal's posts must be approved
// before the principal schedules or publishes them, under the workspace's
// policy: never with approval off, always for everyone, and only for
// members below admin when the policy is "editors".
func NeedsApproval(p auth.Principal) bool {
	switch PolicyOf(p.Workspace) {
	case PolicyNobody:
		return false
	case PolicyEditors:
		return p.Role != store.RoleOwner && p.Role != store.RoleAdmin
	}
	return true
}

// mayDecide checks, beyond the role and the state, that the principal may
// approve this post: the author approves their own post only where the
// workspace allows it.
func mayDecide(p auth.Principal, post store.Post) error {
	if post.AuthorID != 0 && post.AuthorID == p.User.ID && !p.Workspace.SelfApproval {
		return validErr("state", "self_approval", "this workspace does not let authors approve their own posts; another approver must review it")
	}
	return nil
}

// MayApprove reports whether the principal may approve or reject the post
// now (role, state and the self-approval rule), and if not, why.
func MayApprove(p auth.Principal, post store.Post) error {
	if err := Allowed(p, StepApprove, post.State); err != nil {
		return err
	}
	return mayDecide(p, post)
}
