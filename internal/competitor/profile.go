package competitor

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// profileFormats is the format counted for the posts of the networks read
// through a ProfileReader, which does not say a post's media.
var profileFormats = map[string]string{"instagram": "media", "youtube": "video", "x": "post"}

// connectHint says what each network's profile reading needs.
var connectHint = map[string]string{
	"instagram": "connect an Instagram channel through Facebook Login to this workspace: other accounts are read through its business discovery",
	"youtube":   "connect a YouTube channel to this workspace: other channels are read through it (channels.list, 3 quota units per account)",
	"x":         "connect an X channel to this workspace: other accounts are read through it (user lookup and timeline need the Basic tier)",
}

// profile reads an account's public figures through the first working
// channel of its network whose connector reads other accounts
// (network.ProfileReader: Instagram business discovery, YouTube channels,
// X user lookup and timeline), as influencer vetting does.
func (s *Service) profile(ctx context.Context, a store.CompetitorAccount, day time.Time) (store.CompetitorDay, error) {
	if s.Connectors == nil {
		return store.CompetitorDay{}, fmt.Errorf("no channel registry")
	}
	chans, err := s.Store.Channels(ctx, a.WorkspaceID)
	if err != nil {
		return store.CompetitorDay{}, err
	}
	for _, ch := range chans {
		if ch.Network != a.Network || ch.Status == store.ChannelNeedsReconnect {
			continue
		}
		conn, _, err := s.Connectors.Connector(ctx, a.WorkspaceID, ch.ID)
		if err != nil {
			return store.CompetitorDay{}, err
		}
		pr, ok := conn.(network.ProfileReader)
		if !ok {
			continue
		}
		p, err := pr.PublicProfile(ctx, a.Handle, recentPostsCap)
		if err != nil {
			return store.CompetitorDay{}, err
		}
		posts := make([]post, 0, len(p.Recent))
		for _, r := range p.Recent {
			posts = append(posts, post{URL: r.URL, At: r.At, Engagement: known(r.Likes) + known(r.Comments) + known(r.Shares),
				Format: profileFormats[a.Network], Tags: hashtagsIn(r.Text)})
		}
		return metrics(a, day, max(p.Followers, 0), max(p.Posts, 0), posts), nil
	}
	return store.CompetitorDay{}, fmt.Errorf("%s", connectHint[a.Network])
}

// known is a count, 0 when the network does not give it (-1).
func known(n int64) int64 { return max(n, 0) }

// hashtagsIn finds the #hashtags written in a text.
func hashtagsIn(text string) []string {
	var out []string
	for _, f := range strings.Fields(text) {
		if len(f) < 2 || f[0] != '#' {
			continue
		}
		tag := strings.TrimRightFunc(f[1:], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' })
		if tag != "" {
			out = append(out, tag)
		}
	}
	return out
}
