package web

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
)

func TestCalendarWeekHourGridThumbsIcons(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "gridco")
	ctx := context.Background()
	p := principalOf(t, b, s.user, s.ws)
	m, err := b.media.Upload(ctx, s.ws.ID, s.user.ID, "sun.png", bytes.NewReader(pngBytes(t)), 0)
	require.NoError(t, err)
	_, err = b.media.SetAlt(ctx, s.ws.ID, m.ID, "A sunset")
	require.NoError(t, err)
	in := compose.PostInput{Text: "Sunset at the studio", Variants: []compose.VariantInput{
		{ChannelID: s.mastodon.ID, Media: []compose.MediaRef{{MediaID: m.ID}}}, {ChannelID: s.website.ID, Media: []compose.MediaRef{{MediaID: m.ID}}}}}
	v, err := b.compose.Create(ctx, p, in)
	require.NoError(t, err)
	loc, err := time.LoadLocation(s.ws.Timezone)
	require.NoError(t, err)
	at := time.Now().In(loc).AddDate(0, 0, 2)
	at = time.Date(at.Year(), at.Month(), at.Day(), 15, 45, 0, 0, loc)
	_, err = b.compose.Schedule(ctx, p, v.ID, at, "")
	require.NoError(t, err)

	day := at.Format(time.DateOnly)
	res := s.owner.get("/workspaces/gridco/calendar?view=week&date=" + day)
	require.Equal(t, http.StatusOK, res.StatusCode)
	// One cell per day and hour; the post sits in its hour's cell.
	require.Equal(t, 7*24, strings.Count(res.Body, `class="cal-slot`))
	cell := regexp.MustCompile(`(?s)data-date="` + day + `" data-hour="15">(.*?)</div>`).FindStringSubmatch(res.Body)
	require.NotNil(t, cell)
	require.Contains(t, cell[1], `data-post-id="`+id(v.ID)+`" data-time="15:45"`)
	require.Contains(t, cell[1], `<img class="cal-thumb" src="/workspaces/gridco/media/`+id(m.ID)+`/file"`)
	// Website and webhook icons differ (both were "W").
	require.Contains(t, cell[1], `title="Website">W</span>`)
	require.Contains(t, cell[1], `title="Mastodon">M</span>`)

	res = s.owner.get("/workspaces/gridco/calendar?view=month&date=" + day)
	require.Contains(t, res.Body, `<img class="cal-thumb" src="/workspaces/gridco/media/`+id(m.ID)+`/file"`)
}

func TestNetworkIconsDistinct(t *testing.T) {
	t.Parallel()
	seen := map[string]network.Kind{}
	for kind := range network.DefaultLimits {
		g := netLetter(string(kind))
		other, dup := seen[g]
		require.False(t, dup, "%s and %s share the icon %q", kind, other, g)
		seen[g] = kind
	}
	require.NotEqual(t, netLetter("website"), netLetter("webhook"))
}
