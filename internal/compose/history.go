package compose

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// Comment adds an internal comment to a post (members who can compose or approve).
func (s *Service) Comment(ctx context.Context, p auth.Principal, postID int64, body string) (store.Comment, error) {
	if !p.Can(auth.ActCompose) && !p.Can(auth.ActApprove) {
		return store.Comment{}, need(p, auth.ActCompose)
	}
	body = strings.TrimSpace(body)
	if body == "" {
		return store.Comment{}, validErr("body", "required", "a comment needs text")
	}
	if n := utf8.RuneCountInString(body); n > maxCommentLen {
		return store.Comment{}, validErr("body", "too_long", "a comment allows at most %d characters; it has %d", maxCommentLen, n)
	}
	c := store.Comment{WorkspaceID: p.Workspace.ID, PostID: postID, UserID: p.User.ID, Body: body, CreatedAt: s.now()}
	if err := s.Store.AddComment(ctx, &c); err != nil {
		return c, err
	}
	if post, err := s.Store.Post(ctx, p.Workspace.ID, postID); err == nil && post.AuthorID != 0 && post.AuthorID != p.User.ID {
		s.notify(ctx, p.Workspace.ID, post.AuthorID, "post_comment", fmt.Sprintf("%s commented on post %d: %s", who(p), postID, excerpt(body, 80)), postID,
			who(p), strconv.FormatInt(postID, 10), excerpt(body, 80))
	}
	return c, nil
}

// Comments lists a post's comments, oldest first.
func (s *Service) Comments(ctx context.Context, p auth.Principal, postID int64) ([]store.Comment, error) {
	if err := need(p, auth.ActView); err != nil {
		return nil, err
	}
	if _, err := s.Store.Post(ctx, p.Workspace.ID, postID); err != nil {
		return nil, err
	}
	out, err := s.Store.Comments(ctx, p.Workspace.ID, postID)
	if out == nil {
		out = []store.Comment{}
	}
	return out, err
}

// History lists who changed what on a post, and when, oldest first.
func (s *Service) History(ctx context.Context, p auth.Principal, postID int64) ([]store.HistoryEntry, error) {
	if err := need(p, auth.ActView); err != nil {
		return nil, err
	}
	if _, err := s.Store.Post(ctx, p.Workspace.ID, postID); err != nil {
		return nil, err
	}
	out, err := s.Store.History(ctx, p.Workspace.ID, postID)
	if out == nil {
		out = []store.HistoryEntry{}
	}
	return out, err
}

// excerpt shortens s to n characters for a notification.
func excerpt(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n-1]) + "…"
}
