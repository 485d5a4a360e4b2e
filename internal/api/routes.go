package api

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// routes registers every operation; one place to read what the API offers.
func (h *Handler) routes() {
	op := func(method, path, id, summary string, tags ...string) huma.Operation {
		status := http.StatusOK
		switch method {
		case http.MethodPost:
			status = http.StatusCreated
		case http.MethodDelete:
			status = http.StatusNoContent
		}
		return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: tags,
			DefaultStatus: status, MaxBodyBytes: 1 << 20}
	}
	huma.Register(h.api, op(http.MethodGet, "/me", "get-me", "The caller, its workspace and role", "Account"), h.getMe)
	huma.Register(h.api, op(http.MethodGet, "/workspace", "get-workspace", "The token's workspace", "Workspace"), h.getWorkspace)
	huma.Register(h.api, op(http.MethodPatch, "/workspace", "update-workspace", "Change the workspace's settings", "Workspace"), h.updateWorkspace)
	huma.Register(h.api, op(http.MethodGet, "/members", "list-members", "Members and their roles", "Members"), h.listMembers)
	huma.Register(h.api, op(http.MethodPatch, "/members/{userID}", "update-member", "Change a member's role", "Members"), h.updateMember)
	huma.Register(h.api, op(http.MethodDelete, "/members/{userID}", "remove-member", "Remove a member", "Members"), h.removeMember)
	huma.Register(h.api, op(http.MethodGet, "/invitations", "list-invitations", "Open invitations", "Members"), h.listInvitations)
	huma.Register(h.api, op(http.MethodPost, "/invitations", "create-invitation", "Invite by link", "Members"), h.createInvitation)
	huma.Register(h.api, op(http.MethodDelete, "/invitations/{id}", "delete-invitation", "Revoke an invitation", "Members"), h.deleteInvitation)
	huma.Register(h.api, op(http.MethodGet, "/tokens", "list-tokens", "The caller's API tokens in this workspace", "Account"), h.listTokens)
	huma.Register(h.api, op(http.MethodPost, "/tokens", "create-token", "Create an API token (shown once); one created with a token is revoked with it", "Account"), h.createToken)
	huma.Register(h.api, op(http.MethodDelete, "/tokens/{id}", "delete-token", "Revoke an API token and the tokens created with it", "Account"), h.deleteToken)
	huma.Register(h.api, op(http.MethodGet, "/networks", "list-networks", "Networks that can be connected, with their connect fields", "Channels"), h.listNetworks)
	huma.Register(h.api, op(http.MethodGet, "/channels", "list-channels", "Connected channels", "Channels"), h.listChannels)
	huma.Register(h.api, op(http.MethodPost, "/channels", "connect-channel", "Connect a channel", "Channels"), h.connectChannel)
	huma.Register(h.api, op(http.MethodGet, "/channels/{id}", "get-channel", "One channel", "Channels"), h.getChannel)
	check := op(http.MethodPost, "/channels/{id}/check", "check-channel", "Check a channel's credentials and refresh its limits (managers of channels; once per 30 s per channel)", "Channels")
	check.Errors = []int{http.StatusForbidden, http.StatusNotFound, http.StatusTooManyRequests}
	check.DefaultStatus = http.StatusOK // a check creates nothing
	huma.Register(h.api, check, h.checkChannel)
	huma.Register(h.api, op(http.MethodDelete, "/channels/{id}", "remove-channel", "Remove a channel", "Channels"), h.removeChannel)
	huma.Register(h.api, op(http.MethodGet, "/notifications", "list-notifications", "In-app notifications", "Notifications"), h.listNotifications)
	read := op(http.MethodPost, "/notifications/{id}/read", "read-notification", "Mark a notification read", "Notifications")
	read.DefaultStatus = http.StatusNoContent // it answers without a body
	huma.Register(h.api, read, h.readNotification)
	for _, extra := range extraRoutes {
		extra(h)
	}
}

// extraRoutes lets other files of this package (one per domain) add their
// operations without editing routes(); each appends from an init function.
var extraRoutes []func(h *Handler)
