package compose

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// Page sizes of the post listing.
const (
	// MaxPageSize is the most posts one page holds.
	MaxPageSize = 5000
	// DefaultPageSize is the API's page when the caller names none.
	DefaultPageSize = 1000
)

// Page is one page of a post listing.
type Page struct {
	Items []CalendarItem
	// NextCursor continues the listing after this page ("": it was the last).
	NextCursor string
}

// List returns the first page of a query (see Page).
func (s *Service) List(ctx context.Context, p auth.Principal, q Query) ([]CalendarItem, error) {
	pg, err := s.Page(ctx, p, q)
	return pg.Items, err
}

// Page returns up to q.Limit posts of a query after q.Cursor, by scheduled
// time (unscheduled last, then by id), with their channels, and the cursor of
// the next page. The cursor is a post's place in that order, so posts added
// or removed while a client pages never make another post skipped or listed
// twice; a post added behind the cursor shows in a later listing.
func (s *Service) Page(ctx context.Context, p auth.Principal, q Query) (Page, error) {
	if err := need(p, auth.ActView); err != nil {
		return Page{}, err
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		return Page{}, validErr("to", "range", "the end of the range must be after its start")
	}
	labels, err := CheckLabels(q.Labels)
	if err != nil {
		return Page{}, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = MaxPageSize
	}
	if limit < 0 || limit > MaxPageSize {
		return Page{}, validErr("limit", "range", "limit allows 1 to %d posts per page", MaxPageSize)
	}
	after, err := decodeCursor(q.Cursor)
	if err != nil {
		return Page{}, err
	}
	f := store.PostFilter{States: q.States, From: q.From, To: q.To, Limit: limit + 1, After: after}
	if len(labels) > 0 {
		f.Label = &labels[0]
	}
	wantCh := map[int64]bool{}
	for _, c := range q.ChannelIDs {
		wantCh[c] = true
	}
	out := Page{Items: []CalendarItem{}}
	// The channel and extra-label filters apply after the query, so a page
	// may take several queries to fill.
	for {
		posts, err := s.Store.Posts(ctx, p.Workspace.ID, f)
		if err != nil {
			return Page{}, err
		}
		ids := make([]int64, len(posts))
		for i, x := range posts {
			ids[i] = x.ID
		}
		chans, err := s.Store.PostChannels(ctx, p.Workspace.ID, ids)
		if err != nil {
			return Page{}, err
		}
		for _, x := range posts {
			if len(out.Items) == limit {
				// x is not listed: the next page starts after the last post listed.
				k := store.KeyOf(postOf(out.Items[len(out.Items)-1]))
				out.NextCursor = encodeCursor(k)
				return out, nil
			}
			k := store.KeyOf(x)
			f.After = &k
			cs := chans[x.ID]
			if !hasLabels(x.Labels, labels) || (len(wantCh) > 0 && !anyIn(cs, wantCh)) {
				continue
			}
			if cs == nil {
				cs = []int64{}
			}
			ls := x.Labels
			if ls == nil {
				ls = []store.Label{}
			}
			out.Items = append(out.Items, CalendarItem{ID: x.ID, State: string(x.State), Text: x.Text, ScheduledAt: x.ScheduledAt,
				Timezone: x.Timezone, Labels: ls, ChannelIDs: cs})
		}
		if len(posts) < f.Limit {
			return out, nil // the listing ended
		}
	}
}

// postOf is the part of a post its place in the listing depends on.
func postOf(it CalendarItem) store.Post {
	return store.Post{ID: it.ID, ScheduledAt: it.ScheduledAt}
}

// A cursor is a post's place in the listing, opaque to clients: "v1.<u>.<ms>.<id>" in base64url.
func encodeCursor(k store.PostKey) string {
	u, ms := 0, int64(0)
	if k.Unscheduled {
		u = 1
	} else {
		ms = k.ScheduledAt.UnixMilli()
	}
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "v1.%d.%d.%d", u, ms, k.ID))
}

func decodeCursor(c string) (*store.PostKey, error) {
	if c == "" {
		return nil, nil
	}
	bad := validErr("cursor", "invalid", "cursor must be a next_cursor value this server returned")
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) > 64 {
		return nil, bad
	}
	var u int
	var ms, id int64
	if n, err := fmt.Sscanf(string(b), "v1.%d.%d.%d", &u, &ms, &id); err != nil || n != 3 || (u != 0 && u != 1) || id <= 0 ||
		strings.Count(string(b), ".") != 3 {
		return nil, bad
	}
	if u == 1 {
		return &store.PostKey{Unscheduled: true, ID: id}, nil
	}
	return &store.PostKey{ScheduledAt: time.UnixMilli(ms).UTC(), ID: id}, nil
}
