package mastodon_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon"
	"github.com/relais/relais/internal/network/mastodon/gotosocialtest"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
)

// TestGoToSocialLinkCountsTowardTheLimit checks the composer's count against
// a real server: a text that reaches the instance's limit together with the
// link validates and is published with the link; one character more is
// refused by validation, and the server itself refuses that text too, so
// the count is exactly the server's.
func TestGoToSocialLinkCountsTowardTheLimit(t *testing.T) {
	t.Parallel()
	base := gotosocialtest.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, stored, conn := connectZork(ctx, t, base)
	limits := *stored.Limits

	word := gotosocialtest.Unique("relaislink")
	link := "https://example.org/" + word
	// The text as sent is text + "\n\n" + link: fill the rest of the limit.
	fill := func(extra int) string {
		room := limits.MaxText - 2 - len(link) - len(word) - 1 + extra
		return word + " " + strings.Repeat("é", room)
	}

	atLimit := compose.Draft{Text: fill(0), Link: link}
	require.Empty(t, compose.Validate(atLimit, limits), "a text at the limit with its link fits")
	require.Equal(t, limits.MaxText, compose.Count(atLimit.Sent(network.Mastodon), limits, false).Value)
	res, err := conn.Publish(ctx, network.PublishRequest{IdempotencyKey: word, CreatedAt: time.Now(),
		Parts: []network.Part{{Text: atLimit.Text, Link: atLimit.Link}}})
	require.NoError(t, err, "the server accepts the text at the limit with the link")
	got := gotosocialtest.GetStatus(t, base, gotosocialtest.Mogul, res.Parts[0].ID)
	require.Contains(t, got.Content, link, "the link was sent in the text")

	over := compose.Draft{Text: fill(1), Link: link}
	problems := compose.Validate(over, limits)
	require.Len(t, problems, 1)
	require.Equal(t, compose.CodeTextTooLong, problems[0].Code)
	require.Equal(t, "text", problems[0].Field)
	require.Equal(t, int64(limits.MaxText), problems[0].Limit)
	require.Equal(t, int64(limits.MaxText+1), problems[0].Value)

	// Sent anyway, the server refuses it: relais's refusal spares that round trip.
	_, err = conn.Publish(ctx, network.PublishRequest{IdempotencyKey: word + "-over", CreatedAt: time.Now(),
		Parts: []network.Part{{Text: over.Text, Link: over.Link}}})
	require.Error(t, err)
	require.Equal(t, network.InvalidContent, network.ClassOf(err), err.Error())
}

// TestGoToSocialPostLanguage: a French post with no language chosen is
// detected as French by the publishing engine and lands tagged "fr"; a
// chosen language is sent as chosen.
func TestGoToSocialPostLanguage(t *testing.T) {
	t.Parallel()
	base := gotosocialtest.URL(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, _, conn := connectZork(ctx, t, base)
	for _, tc := range []struct{ name, options, text, want string }{
		{"detected", ``, "Notre nouvelle boutique ouvre ses portes demain matin, venez nous voir !", "fr"},
		{"chosen", `{"language":"de"}`, "Unser neuer Laden öffnet morgen früh, kommt vorbei!", "de"},
	} {
		word := gotosocialtest.Unique("relaislang")
		job := store.PublishJob{Publication: store.Publication{IdempotencyKey: word, CreatedAt: time.Now()},
			Variant: store.Variant{Text: tc.text + " " + word}}
		if tc.options != "" {
			job.Variant.Options = []byte(tc.options)
		}
		req, err := publish.BuildRequest(ctx, job, nil)
		require.NoError(t, err)
		res, err := conn.Publish(ctx, req)
		require.NoError(t, err, tc.name)
		got := gotosocialtest.GetStatus(t, base, gotosocialtest.Mogul, res.Parts[0].ID)
		require.Equal(t, tc.want, got.Language, tc.name)
	}
}

// connectZork connects the test server's brand account as a channel.
func connectZork(ctx context.Context, t *testing.T, base string) (network.Account, network.Stored, network.Connector) {
	t.Helper()
	allow := true
	env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow})}
	acct, stored, err := mastodon.Provider{}.Connect(ctx, env, map[string]string{"instance": base, "access_token": gotosocialtest.Zork.Token})
	require.NoError(t, err)
	conn, err := mastodon.Provider{}.Open(env, stored)
	require.NoError(t, err)
	return acct, stored, conn
}
