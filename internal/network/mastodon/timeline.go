package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/network"
)

// PublicPost is a public status read for listening: the comment fields
// plus what a listening query filters on and the author's reach.
type PublicPost struct {
	network.Comment
	// URI is the status's ActivityPub id, the same on every instance.
	URI       string
	Followers int64
	Tags      []string
	Mentions  []string
	Reblogs   int64
	Favs      int64
	Media     int
}

type timelineStatus struct {
	apiStatus
	Tags []struct {
		Name string `json:"name"`
	} `json:"tags"`
	Mentions []struct {
		Acct string `json:"acct"`
	} `json:"mentions"`
	Reblog *struct {
		ID string `json:"id"`
	} `json:"reblog"`
}

func (st timelineStatus) public() PublicPost {
	p := PublicPost{Comment: toComment(st.apiStatus), URI: st.URI, Followers: st.Account.FollowersCount,
		Reblogs: st.ReblogsCount, Favs: st.FavouritesCount, Media: len(st.MediaAttachments)}
	for _, t := range st.Tags {
		p.Tags = append(p.Tags, t.Name)
	}
	for _, m := range st.Mentions {
		p.Mentions = append(p.Mentions, m.Acct)
	}
	return p
}

// timelinePages bounds the pages one Timeline call reads.
const timelinePages = 5

// Timeline reads the instance's public timeline (tag "") or a hashtag's
// timeline, the statuses newer than sinceID, oldest first; next is the
// newest id read (sinceID when nothing is new). Without sinceID it reads
// the latest page only. Boosts are skipped (the boosted status is read
// where it was posted).
func (c *Connector) Timeline(ctx context.Context, tag, sinceID string) ([]PublicPost, string, error) {
	path := "/api/v1/timelines/public"
	if tag = strings.TrimLeft(strings.TrimSpace(tag), "#"); tag != "" {
		path = "/api/v1/timelines/tag/" + url.PathEscape(tag)
	}
	const limit = 40
	next := sinceID
	var out []PublicPost
	for page := 0; page < timelinePages; page++ {
		q := url.Values{"limit": {strconv.Itoa(limit)}}
		if next != "" {
			q.Set("min_id", next)
		}
		var sts []timelineStatus
		if _, _, err := c.api.call(ctx, http.MethodGet, path, q, nil, nil, &sts); err != nil {
			return out, next, fmt.Errorf("mastodon: timeline: %w", err)
		}
		// Newest first within the page: append oldest first.
		newest := next
		for i := len(sts) - 1; i >= 0; i-- {
			st := sts[i]
			if idAfter(st.ID, newest) {
				newest = st.ID
			}
			if st.Reblog != nil || st.Visibility != "public" {
				continue
			}
			out = append(out, st.public())
		}
		if newest == next || sinceID == "" || len(sts) < limit {
			next = newest
			break
		}
		next = newest
	}
	return out, next, nil
}

// idAfter orders status ids: numeric snowflakes by length then text, ULIDs by text.
func idAfter(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

// AccountStats is an account's public profile and recent statuses, for
// the competitor benchmark.
type AccountStats struct {
	ID, Acct, DisplayName, URL  string
	Followers, Following, Posts int64
	Recent                      []PublicPost
}

// LookupAccount reads a public account by address ("brand@social.example"
// or "brand" on this instance) and its latest statuses (up to 40).
func (c *Connector) LookupAccount(ctx context.Context, acct string) (AccountStats, error) {
	var a apiAccount
	if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/accounts/lookup", url.Values{"acct": {strings.TrimLeft(acct, "@")}}, nil, nil, &a); err != nil {
		return AccountStats{}, fmt.Errorf("mastodon: account lookup: %w", err)
	}
	out := AccountStats{ID: a.ID, Acct: a.Acct, DisplayName: a.DisplayName, URL: a.URL, Followers: a.FollowersCount, Following: a.FollowingCount, Posts: a.StatusesCount}
	var sts []timelineStatus
	if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/accounts/"+url.PathEscape(a.ID)+"/statuses", url.Values{"limit": {"40"}, "exclude_reblogs": {"true"}}, nil, nil, &sts); err != nil {
		return out, fmt.Errorf("mastodon: account statuses: %w", err)
	}
	for _, st := range sts {
		out.Recent = append(out.Recent, st.public())
	}
	return out, nil
}
