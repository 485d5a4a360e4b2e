package auth

import "github.com/relais/relais/internal/store"

// Action is something a member may or may not do in a workspace.
type Action string

// The actions roles grant.
const (
	ActView            Action = "view"             // read everything in the workspace
	ActCompose         Action = "compose"          // create and edit posts, media, snippets
	ActApprove         Action = "approve"          // approve or reject posts in review
	ActPublish         Action = "publish"          // schedule, publish now, cancel, retry
	ActManageChannels  Action = "manage_channels"  // connect, reconnect, remove channels
	ActManageMembers   Action = "manage_members"   // invite, change roles, remove members
	ActManageWorkspace Action = "manage_workspace" // rename, time zone, approval setting
)

// grants is the role table: data, so a role's rights are read in one place.
var grants = map[store.Role][]Action{
	store.RoleOwner:    {ActView, ActCompose, ActApprove, ActPublish, ActManageChannels, ActManageMembers, ActManageWorkspace},
	store.RoleAdmin:    {ActView, ActCompose, ActApprove, ActPublish, ActManageChannels, ActManageMembers, ActManageWorkspace},
	store.RoleEditor:   {ActView, ActCompose, ActPublish},
	store.RoleApprover: {ActView, ActApprove},
	store.RoleViewer:   {ActView},
}

// Can reports whether role grants action.
func Can(role store.Role, action Action) bool {
	for _, a := range grants[role] {
		if a == action {
			return true
		}
	}
	return false
}

// Principal is an authenticated caller acting in one workspace.
type Principal struct {
	User      store.User
	Workspace store.Workspace
	Role      store.Role
	// TokenID is set when the caller authenticated with an API token.
	TokenID int64
}

// Can reports whether the principal may perform action in its workspace.
func (p Principal) Can(action Action) bool { return p.Workspace.ID != 0 && Can(p.Role, action) }
