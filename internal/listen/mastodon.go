package listen

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon"
	"github.com/relais/relais/internal/store"
)

// timelineReader is the Mastodon connector's public timeline reading.
type timelineReader interface {
	Timeline(ctx context.Context, tag, sinceID string) ([]mastodon.PublicPost, string, error)
}

// PollResult counts what one poll read.
type PollResult struct {
	Channels int `json:"channels"`
	Read     int `json:"read"`
	New      int `json:"new" doc:"Mentions stored for the first time"`
}

// PollMastodon reads, for every workspace with active queries, the public
// timeline and the timelines of the queries' hashtags on the instance of
// each of its Mastodon channels (with the channel's token: GoToSocial and
// many instances serve timelines to signed-in clients only), from the
// saved cursors, and stores the matches. Cursors move after the mentions
// are stored.
func (s *Service) PollMastodon(ctx context.Context) (PollResult, error) {
	var res PollResult
	if s.Connectors == nil {
		return res, nil
	}
	active, err := s.activeWorkspaces(ctx, 0)
	if err != nil {
		return res, err
	}
	if len(active) == 0 {
		return res, nil
	}
	chans, err := s.Store.ChannelsOfNetwork(ctx, "mastodon")
	if err != nil {
		return res, err
	}
	var errs []error
	for _, ch := range chans {
		if !active[ch.WorkspaceID] || ch.Status == store.ChannelNeedsReconnect || ctx.Err() != nil {
			continue
		}
		n, read, err := s.pollChannel(ctx, ch)
		res.Channels++
		res.Read += read
		res.New += n
		if err != nil {
			errs = append(errs, fmt.Errorf("channel %d: %w", ch.ID, err))
		}
	}
	return res, errors.Join(errs...)
}

func (s *Service) pollChannel(ctx context.Context, ch store.Channel) (created, read int, err error) {
	conn, _, err := s.Connectors.Connector(ctx, ch.WorkspaceID, ch.ID)
	if err != nil {
		return 0, 0, err
	}
	tr, ok := conn.(timelineReader)
	if !ok {
		return 0, 0, nil
	}
	hashtags, err := s.mastodonTags(ctx, ch.WorkspaceID)
	if err != nil {
		return 0, 0, err
	}
	for _, tag := range append([]string{""}, hashtags...) { // "": the public timeline
		n, r, err := s.pollTimeline(ctx, ch, tr, tag)
		created, read = created+n, read+r
		if err != nil {
			return created, read, err
		}
	}
	return created, read, nil
}

// pollTimeline reads one timeline of the channel's instance (tag "": the
// public one; a hashtag as the queries write it) from its cursor, stores the
// matches, then moves the cursor.
func (s *Service) pollTimeline(ctx context.Context, ch store.Channel, tr timelineReader, tag string) (created, read int, err error) {
	src := fmt.Sprintf("mastodon:%d:public", ch.ID)
	if tag != "" {
		src = fmt.Sprintf("mastodon:%d:tag:%s", ch.ID, tag)
	}
	cursor, err := s.Store.ListenCursor(ctx, src)
	if err != nil {
		return 0, 0, err
	}
	posts, next, err := tr.Timeline(ctx, tag, cursor)
	if err != nil && tag != "" && errors.Is(err, network.ErrNotFound) {
		return 0, 0, nil // nobody used the hashtag yet
	}
	if err != nil {
		return 0, 0, err
	}
	items := make([]Item, 0, len(posts))
	for _, p := range posts {
		items = append(items, mastodonItem(p))
	}
	created, err = s.Process(ctx, ch.WorkspaceID, items)
	if err != nil {
		return created, len(items), err
	}
	if next != "" && next != cursor {
		err = s.Store.SetListenCursor(ctx, src, next)
	}
	return created, len(items), err
}

func mastodonItem(p mastodon.PublicPost) Item {
	remote := p.URI
	if remote == "" {
		remote = p.URL
	}
	return Item{
		Post: Post{Network: "mastodon", Author: strings.TrimPrefix(p.AuthorHandle, "@"), Text: p.Text, Lang: p.Language,
			Hashtags: p.Tags, Mentions: p.Mentions},
		RemoteID: remote, URL: p.URL, AuthorName: p.AuthorName, AuthorFollowers: p.Followers, PostedAt: p.CreatedAt,
	}
}

func contains(l []string, v string) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}
