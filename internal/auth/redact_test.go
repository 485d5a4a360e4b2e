package auth_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/relais/relais/internal/auth"
	"github.com/stretchr/testify/require"
)

func TestRedactURL(t *testing.T) {
	t.Parallel()
	invite := auth.NewToken("ri_")
	api := auth.NewToken("rl_")
	random := auth.NewToken("")
	for _, tc := range []struct{ in, want string }{
		{"/invite/" + invite, "/invite/[redacted]"},
		{"/invite/" + invite + "/accept", "/invite/[redacted]/accept"},
		{"/invite/short/join", "/invite/[redacted]/join"},
		{"/ical/abcdef123456.ics", "/ical/[redacted]"},
		{"/feeds/k3y/feed.xml", "/feeds/[redacted]/feed.xml"},
		{"/feeds/k3y/items/12", "/feeds/[redacted]/items/12"},
		{"/api/v1/tokens/" + api, "/api/v1/tokens/[redacted]"},
		{"/anything/" + random + "/x", "/anything/[redacted]/x"},
		{"/media/12/bluesky?exp=1700000000&sig=abc", "/media/12/bluesky?exp=[redacted]&sig=[redacted]"},
		{"/oauth/callback/mastodon?code=c0de&state=s", "/oauth/callback/mastodon?code=[redacted]&state=[redacted]"},
		{"https://user:pw@relais.example/invite/" + invite + "#x", "https://[redacted]@relais.example/invite/[redacted]#[redacted]"},
		{"/workspaces/maison-lune-printemps-2026/posts/42", "/workspaces/maison-lune-printemps-2026/posts/42"},
		{"/workspaces/lune/calendar", "/workspaces/lune/calendar"},
		{"/static/app.3f2a9c.css", "/static/app.3f2a9c.css"},
		{"/", "/"},
	} {
		require.Equal(t, tc.want, auth.RedactURL(tc.in), tc.in)
	}
}

// TestRedactLogs: whatever the level and however the attribute arrives
// (record, With, group), a secret path never reaches the log.
func TestRedactLogs(t *testing.T) {
	t.Parallel()
	invite := auth.NewToken("ri_")
	var buf bytes.Buffer
	log := slog.New(auth.RedactLogs(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	log.Debug("request", "path", "/invite/"+invite)
	log.Info("request", "url", "https://relais.example/ical/"+invite+".ics")
	log.With("path", "/feeds/"+invite+"/feed.xml").Warn("feed")
	log.Error("failed", slog.Group("req", "path", "/invite/"+invite+"/join"))
	log.Error("publish", "err", &url.Error{Op: "Post", URL: "https://social.example/api/v1/statuses?access_token=" + invite, Err: errors.New("timeout")})
	log.Warn("mail", "detail", "link sent: https://relais.example/invite/"+invite+" to ines")
	out := buf.String()
	require.Equal(t, 6, strings.Count(out, "[redacted]"), out)
	require.Contains(t, out, "social.example/api/v1/statuses?access_token=[redacted]")
	require.NotContains(t, out, invite[3:])
}
