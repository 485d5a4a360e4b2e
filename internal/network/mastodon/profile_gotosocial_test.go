package mastodon_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/stretchr/testify/require"
)

// TestGoToSocialPublicProfile reads another account (the influencer) through
// the channel's instance: profile counts, recent statuses and their replies.
func TestGoToSocialPublicProfile(t *testing.T) {
	t.Parallel()
	base := gotosocialtest.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, _, conn := connectZork(ctx, t, base)
	reader := conn.(network.ProfileReader)

	word := gotosocialtest.Unique("relaisinfl")
	st := gotosocialtest.Post(t, base, gotosocialtest.Admin, "Spring lookbook "+word, "")
	gotosocialtest.Post(t, base, gotosocialtest.Mogul, "@admin where did you buy the coat? "+word, st.ID)
	u, err := url.Parse(base)
	require.NoError(t, err)

	var p network.PublicProfile
	var post network.PublicPost
	eventually(t, func() bool {
		p, err = reader.PublicProfile(ctx, "@admin@"+u.Host, 20)
		require.NoError(t, err)
		for _, pp := range p.Recent {
			if strings.Contains(pp.Text, word) {
				post = pp
				return len(pp.Replies) > 0
			}
		}
		return false
	}, "the status and its reply show in the profile")
	require.Equal(t, gotosocialtest.Admin.ID, p.ID)
	require.GreaterOrEqual(t, p.Followers, int64(0))
	require.Positive(t, p.Posts)
	require.Equal(t, int64(1), post.Comments)
	require.Equal(t, int64(-1), post.Views)
	require.Contains(t, post.Replies[0].Text, "where did you buy the coat?")
	require.Equal(t, "@"+gotosocialtest.Mogul.Username, post.Replies[0].AuthorHandle)

	_, err = reader.PublicProfile(ctx, "nobody_here_"+word+"@"+u.Host, 5)
	require.ErrorIs(t, err, network.ErrNotFound)
}
