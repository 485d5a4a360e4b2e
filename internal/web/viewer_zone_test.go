package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/compose"
)

func TestTimesInTheViewersZone(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "zoneco") // the workspace is in Europe/Paris
	ctx := context.Background()
	p := principalOf(t, b, s.user, s.ws)
	v, err := b.compose.Create(ctx, p, compose.PostInput{Text: "Zoned", Variants: []compose.VariantInput{{ChannelID: s.mastodon.ID}}})
	require.NoError(t, err)
	at := time.Date(time.Now().Year()+1, 6, 1, 7, 0, 0, 0, time.UTC) // 09:00 in Paris, 03:00 in New York
	_, err = b.compose.Schedule(ctx, p, v.ID, at, "Europe/Paris")
	require.NoError(t, err)

	// Without the browser's zone: the workspace's; the history never shows raw UTC.
	res := s.owner.get("/workspaces/zoneco/posts/" + id(v.ID))
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, "Jun 1, "+at.Format("2006")+", 9:00 AM (Europe/Paris)")
	require.NotContains(t, res.Body, at.Format(time.RFC3339))

	// The browser says it is in New York: every time follows, history included.
	u, err := url.Parse(b.srv.URL)
	require.NoError(t, err)
	s.owner.c.Jar.SetCookies(u, []*http.Cookie{{Name: viewerZoneCookie, Value: "America/New_York", Path: "/"}})
	res = s.owner.get("/workspaces/zoneco/posts/" + id(v.ID))
	require.Contains(t, res.Body, "Jun 1, "+at.Format("2006")+", 3:00 AM (America/New_York)")
	history := res.Body[strings.Index(res.Body, `<ul class="history">`):]
	require.Contains(t, history, "3:00 AM")
	require.NotContains(t, history, "T07:00:00Z")

	// The calendar plans in the workspace's zone, which it names.
	res = s.owner.get("/workspaces/zoneco/calendar?view=week&date=" + at.Format(time.DateOnly))
	require.Contains(t, res.Body, `data-date="`+at.Format(time.DateOnly)+`" data-hour="9">`)
	require.Contains(t, res.Body, "Europe/Paris")

	// A bad cookie is ignored.
	s.owner.c.Jar.SetCookies(u, []*http.Cookie{{Name: viewerZoneCookie, Value: "Mars/Olympus", Path: "/"}})
	res = s.owner.get("/workspaces/zoneco/posts/" + id(v.ID))
	require.Contains(t, res.Body, "9:00 AM (Europe/Paris)")

	// A new workspace's zone defaults to the browser's: the form asks app.js
	// to pick it, and without JavaScript offers the viewer's zone.
	res = s.owner.get("/workspaces/new")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `data-detect-tz`)
	s.owner.c.Jar.SetCookies(u, []*http.Cookie{{Name: viewerZoneCookie, Value: "Asia/Tokyo", Path: "/"}})
	res = s.owner.get("/workspaces/new")
	require.Contains(t, res.Body, `<option value="Asia/Tokyo" selected>`)
}
