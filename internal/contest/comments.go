package contest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Connectors opens a channel's connector (channel.Service does).
type Connectors interface {
	Connector(ctx context.Context, workspaceID, channelID int64) (network.Connector, network.Limits, error)
}

// ErrFrozen is returned when the entrants of a comment-to-enter giveaway are read after the commit.
var ErrFrozen = errors.New("contest: the entrants were frozen when entries closed")

// commentReader opens the source channel's comment reader.
func (s *Service) commentReader(ctx context.Context, c *store.Contest) (network.CommentReader, store.Channel, error) {
	ch, err := s.Store.Channel(ctx, c.WorkspaceID, c.SourceChannelID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ch, valid.Errorf("source", "invalid", "source: channel %d is not a channel of this workspace", c.SourceChannelID)
	}
	if err != nil {
		return nil, ch, err
	}
	if s.Connectors == nil {
		return nil, ch, valid.Errorf("source", "unsupported", "source: this relais reads no channel's comments (no connectors)")
	}
	conn, _, err := s.Connectors.Connector(ctx, c.WorkspaceID, ch.ID)
	if err != nil {
		return nil, ch, err
	}
	cr, ok := conn.(network.CommentReader)
	if !ok {
		return nil, ch, valid.Errorf("source", "unsupported", "source: relais cannot read comments on %s", ch.Network)
	}
	return cr, ch, nil
}

// checkSource checks a comment-to-enter giveaway's post: a channel of the
// workspace whose network relais reads comments from.
func (s *Service) checkSource(ctx context.Context, c *store.Contest) error {
	if c.Kind != store.ContestComments {
		return nil
	}
	c.SourceRemoteID = strings.TrimSpace(c.SourceRemoteID)
	_, _, err := s.commentReader(ctx, c)
	return err
}

// CommentImport is what reading the comments found.
type CommentImport struct {
	Read    int `json:"read"`
	Added   int `json:"added"`
	Skipped int `json:"skipped"`
}

// ImportComments reads the comments and replies under the giveaway's post
// and adds each distinct author as an approved entry: comments written
// inside the entry window, containing the keyword when one is set, by
// anyone but the brand's own account. It runs until the commit (the
// "Close entries" button), which reads them a last time and freezes the list.
func (s *Service) ImportComments(ctx context.Context, workspaceID, id int64, actor string) (CommentImport, error) {
	c, err := s.Store.Contest(ctx, workspaceID, id)
	if err != nil {
		return CommentImport{}, err
	}
	if c.Kind != store.ContestComments {
		return CommentImport{}, store.ErrNotFound
	}
	if c.CommittedAt != nil {
		return CommentImport{}, ErrFrozen
	}
	return s.importComments(ctx, c, actor)
}

func (s *Service) importComments(ctx context.Context, c store.Contest, actor string) (CommentImport, error) {
	var res CommentImport
	cr, ch, err := s.commentReader(ctx, &c)
	if err != nil {
		return res, err
	}
	comments, err := cr.Comments(ctx, c.SourceRemoteID)
	if err != nil {
		return res, fmt.Errorf("contest: reading the comments of %s: %w", c.SourceRemoteID, err)
	}
	res.Read = len(comments)
	keyword := strings.ToLower(c.Keyword)
	seen := map[string]bool{}
	for _, cm := range comments {
		who := cm.AuthorID
		if who == "" {
			who = cm.AuthorHandle
		}
		switch {
		case who == "" || who == ch.RemoteID || (ch.Handle != "" && strings.EqualFold(strings.TrimPrefix(cm.AuthorHandle, "@"), strings.TrimPrefix(ch.Handle, "@"))):
			res.Skipped++ // the brand's own account
			continue
		case !cm.CreatedAt.IsZero() && (cm.CreatedAt.Before(c.EntryOpens) || !cm.CreatedAt.Before(c.EntryCloses)):
			res.Skipped++ // outside the entry window
			continue
		case keyword != "" && !strings.Contains(strings.ToLower(cm.Text), keyword):
			res.Skipped++
			continue
		}
		identity := ch.Network + ":" + who
		if seen[identity] {
			continue
		}
		seen[identity] = true
		name := cm.AuthorHandle
		if name == "" {
			name = cm.AuthorName
		}
		at := cm.CreatedAt
		e := store.ContestEntry{WorkspaceID: c.WorkspaceID, ContestID: c.ID, Title: truncate(name, 200), Name: truncate(name, 100),
			Status: store.EntryApproved, Identity: identity}
		if !at.IsZero() {
			e.ConsentAt = &at
		}
		err := s.Store.CreateEntry(ctx, &e)
		if errors.Is(err, store.ErrConflict) {
			continue // entered already
		}
		if err != nil {
			return res, err
		}
		res.Added++
	}
	s.audit(ctx, c.WorkspaceID, c.ID, actor, "comments", fmt.Sprintf("read %d comments under %s on channel %d: %d new entrants, %d left out (own account, outside the window or without the keyword)",
		res.Read, c.SourceRemoteID, ch.ID, res.Added, res.Skipped))
	return res, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
