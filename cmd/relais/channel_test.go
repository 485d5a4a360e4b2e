package main_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestChannelCommands(t *testing.T) {
	t.Parallel()
	var pings atomic.Int32
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), `"ping"`) || r.Header.Get("X-Relais-Event") == "ping" {
			pings.Add(1)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()

	env := append(dataEnv(t, "sqlite"), "RELAIS_BASE_URL=https://relais.example.com", "RELAIS_ALLOW_PRIVATE_HOSTS=true")
	_, stderr, err := run(t, env, "a long enough password\n", "user", "create", "--email", "o@example.com", "--password-stdin")
	require.NoError(t, err, stderr)
	_, stderr, err = run(t, env, "", "workspace", "create", "--name", "Brand", "--owner", "o@example.com")
	require.NoError(t, err, stderr)

	out, stderr, err := run(t, env, "", "channel", "add", "website", "--workspace", "brand", "--title", "Brand news", "--site-url", "https://brand.example", "--language", "fr")
	require.NoError(t, err, stderr)
	require.Regexp(t, `^\d+\n$`, out)

	out, stderr, err = run(t, env, "s3cret-signing-key-123\n", "channel", "add", "webhook", "--workspace", "brand", "--url", receiver.URL+"/hook", "--secret-stdin", "--label", "n8n")
	require.NoError(t, err, stderr)
	require.Regexp(t, `^\d+\n$`, out)
	require.EqualValues(t, 1, pings.Load(), "connecting sends a signed ping")

	// Missing required fields name the field.
	_, stderr, err = run(t, env, "", "channel", "add", "website", "--workspace", "brand")
	require.Error(t, err)
	require.Contains(t, stderr, "title is required")
	_, stderr, err = run(t, env, "", "channel", "add", "website", "--workspace", "brand", "--title", "News", "--language", "english!")
	require.Error(t, err)
	require.Equal(t, "relais: Language \"english!\" is not a language tag such as en, fr or de-CH\n", stderr, "the field is named, without package prefixes")

	out, stderr, err = run(t, env, "", "channel", "list", "--workspace", "brand", "--json")
	require.NoError(t, err, stderr)
	var list []struct {
		ID       int64             `json:"id"`
		Network  string            `json:"network"`
		Status   string            `json:"status"`
		Settings map[string]string `json:"settings"`
		Limits   struct {
			Network string `json:"network"`
		} `json:"limits"`
		Feeds *struct{ RSS, Atom, JSON string } `json:"feeds"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	require.Len(t, list, 2)
	nets := map[string]bool{}
	for _, c := range list {
		nets[c.Network] = true
		require.Equal(t, "ok", c.Status)
		require.NotContains(t, out, "s3cret", "secrets never leave the store")
		if c.Network == "website" {
			require.NotNil(t, c.Feeds)
			require.Regexp(t, `^https://relais\.example\.com/feeds/[A-Za-z0-9_-]+/rss\.xml$`, c.Feeds.RSS)
			require.Regexp(t, `/atom\.xml$`, c.Feeds.Atom)
			require.Regexp(t, `/feed\.json$`, c.Feeds.JSON)
		} else {
			require.Nil(t, c.Feeds)
		}
	}
	require.True(t, nets["website"] && nets["webhook"])

	out, stderr, err = run(t, env, "", "channel", "check", "1")
	require.NoError(t, err, stderr)
	require.Contains(t, out, "\tok")
	_, stderr, err = run(t, env, "", "channel", "check", "999")
	require.Error(t, err)
	require.Contains(t, stderr, "channel 999")
}
