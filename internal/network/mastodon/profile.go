package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/network"
)

type publicAccount struct {
	apiAccount
	Note string `json:"note"`
}

// maxProfilePosts bounds the statuses a profile read fetches (one page).
const maxProfilePosts = 40

// PublicProfile reads another account (user@instance, or user on the
// channel's own instance) through the channel's instance: the account
// lookup, its recent public statuses (no replies, no boosts) and the
// replies under each (/context). An account the instance does not know yet
// is resolved through search (resolve=true).
func (c *Connector) PublicProfile(ctx context.Context, handle string, posts int) (network.PublicProfile, error) {
	acct := strings.TrimPrefix(strings.TrimSpace(handle), "@")
	user, host, _ := strings.Cut(acct, "@")
	if user == "" {
		return network.PublicProfile{}, fmt.Errorf("mastodon: %q is not an account (user@instance)", handle)
	}
	if u, err := url.Parse(c.api.instance); err == nil && strings.EqualFold(u.Host, host) {
		acct = user
	}
	var a publicAccount
	_, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/accounts/lookup", url.Values{"acct": {acct}}, nil, nil, &a)
	if errors.Is(err, network.ErrNotFound) && host != "" {
		var res struct {
			Accounts []publicAccount `json:"accounts"`
		}
		if _, _, err = c.api.call(ctx, http.MethodGet, "/api/v2/search", url.Values{"q": {"@" + user + "@" + host}, "type": {"accounts"},
			"resolve": {"true"}, "limit": {"1"}}, nil, nil, &res); err == nil {
			if len(res.Accounts) == 0 {
				err = network.ErrNotFound
			} else {
				a = res.Accounts[0]
			}
		}
	}
	if err != nil {
		return network.PublicProfile{}, fmt.Errorf("mastodon: look up %s: %w", handle, err)
	}
	p := network.PublicProfile{ID: a.ID, Handle: a.Acct, Name: a.DisplayName, Bio: HTMLToText(a.Note), AvatarURL: a.Avatar, URL: a.URL,
		Followers: a.FollowersCount, Following: a.FollowingCount, Posts: a.StatusesCount}
	if posts <= 0 {
		return p, nil
	}
	var sts []apiStatus
	q := url.Values{"limit": {strconv.Itoa(min(posts, maxProfilePosts))}, "exclude_replies": {"true"}, "exclude_reblogs": {"true"}}
	if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/accounts/"+url.PathEscape(a.ID)+"/statuses", q, nil, nil, &sts); err != nil {
		return p, fmt.Errorf("mastodon: statuses of %s: %w", handle, err)
	}
	for _, st := range sts {
		pp := network.PublicPost{ID: st.ID, URL: st.URL, Text: HTMLToText(st.Content), At: st.CreatedAt.UTC(),
			Likes: st.FavouritesCount, Comments: st.RepliesCount, Shares: st.ReblogsCount, Views: -1}
		if st.QuotesCount != nil {
			pp.Shares += *st.QuotesCount
		}
		if st.RepliesCount > 0 {
			var cr struct {
				Descendants []apiStatus `json:"descendants"`
			}
			if _, _, err := c.api.call(ctx, http.MethodGet, "/api/v1/statuses/"+url.PathEscape(st.ID)+"/context", nil, nil, nil, &cr); err != nil {
				return p, fmt.Errorf("mastodon: replies of %s: %w", st.ID, err)
			}
			for _, d := range cr.Descendants {
				if d.Account.ID == a.ID {
					continue
				}
				pp.Replies = append(pp.Replies, toComment(d))
			}
		}
		p.Recent = append(p.Recent, pp)
	}
	return p, nil
}

var _ network.ProfileReader = (*Connector)(nil)
var _ network.ProfileReader = (*Connector)(nil)
