package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// principalFor acts as a user in a workspace from the terminal: the CLI runs
// with the data directory's rights, but still within one member's role.
func principalFor(ctx context.Context, st store.Store, a *auth.Service, email, slug string) (auth.Principal, error) {
	w, err := st.WorkspaceBySlug(ctx, slug)
	if errors.Is(err, store.ErrNotFound) {
		return auth.Principal{}, fmt.Errorf("workspace: no workspace with the slug %q", slug)
	}
	if err != nil {
		return auth.Principal{}, err
	}
	var u store.User
	if email == "" {
		// Without --email, act as the workspace's first owner.
		members, err := st.Members(ctx, w.ID)
		if err != nil {
			return auth.Principal{}, err
		}
		for _, m := range members {
			if m.Role == store.RoleOwner {
				u, err = st.UserByID(ctx, m.UserID)
				if err != nil {
					return auth.Principal{}, err
				}
				break
			}
		}
		if u.ID == 0 {
			return auth.Principal{}, fmt.Errorf("workspace %q has no owner", slug)
		}
	} else {
		u, err = st.UserByEmail(ctx, email)
		if errors.Is(err, store.ErrNotFound) {
			return auth.Principal{}, fmt.Errorf("email: no user with the e-mail %s", email)
		}
		if err != nil {
			return auth.Principal{}, err
		}
	}
	p, err := a.Principal(ctx, u, w.ID)
	if errors.Is(err, store.ErrNotFound) {
		return auth.Principal{}, fmt.Errorf("email: %s is not a member of the workspace %q", u.Email, slug)
	}
	return p, err
}

// principalForPost acts as a member of the workspace a post belongs to.
func principalForPost(ctx context.Context, st store.Store, a *auth.Service, email string, postID int64) (auth.Principal, error) {
	wsID, err := st.PostWorkspace(ctx, postID)
	if errors.Is(err, store.ErrNotFound) {
		return auth.Principal{}, fmt.Errorf("post: no post with the id %d", postID)
	}
	if err != nil {
		return auth.Principal{}, err
	}
	w, err := st.WorkspaceByID(ctx, wsID)
	if err != nil {
		return auth.Principal{}, err
	}
	return principalFor(ctx, st, a, email, w.Slug)
}
