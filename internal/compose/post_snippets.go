package compose

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// SnippetKinds are the kinds of reusable text.
var SnippetKinds = []string{"hashtags", "signature", "text"}

// CreateSnippet saves reusable text (a hashtag group, a signature) in the workspace.
func (s *Service) CreateSnippet(ctx context.Context, p auth.Principal, name, kind, body string) (store.Snippet, error) {
	if err := need(p, auth.ActCompose); err != nil {
		return store.Snippet{}, err
	}
	name, body, kind = strings.TrimSpace(name), strings.TrimSpace(body), strings.TrimSpace(kind)
	if name == "" || utf8.RuneCountInString(name) > 100 {
		return store.Snippet{}, validErr("name", "required", "a snippet needs a name of 1 to 100 characters")
	}
	if body == "" || utf8.RuneCountInString(body) > 5000 {
		return store.Snippet{}, validErr("body", "required", "a snippet needs text of 1 to 5000 characters")
	}
	if kind == "" {
		kind = "text"
	}
	ok := false
	for _, k := range SnippetKinds {
		ok = ok || k == kind
	}
	if !ok {
		return store.Snippet{}, validErr("kind", "invalid", "kind must be one of %s", strings.Join(SnippetKinds, ", "))
	}
	sn := store.Snippet{WorkspaceID: p.Workspace.ID, Name: name, Kind: kind, Body: body, CreatedAt: s.now()}
	err := s.Store.CreateSnippet(ctx, &sn)
	if errors.Is(err, store.ErrConflict) {
		return sn, validErr("name", "taken", "a snippet named %q already exists", name)
	}
	return sn, err
}

// Snippets lists the workspace's snippets.
func (s *Service) Snippets(ctx context.Context, p auth.Principal) ([]store.Snippet, error) {
	if err := need(p, auth.ActView); err != nil {
		return nil, err
	}
	out, err := s.Store.Snippets(ctx, p.Workspace.ID)
	if out == nil {
		out = []store.Snippet{}
	}
	return out, err
}

// DeleteSnippet removes a snippet.
func (s *Service) DeleteSnippet(ctx context.Context, p auth.Principal, id int64) error {
	if err := need(p, auth.ActCompose); err != nil {
		return err
	}
	return s.Store.DeleteSnippet(ctx, p.Workspace.ID, id)
}
