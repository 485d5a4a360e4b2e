package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/inboxrules"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// slaFixture is a workspace with two channels and three conversations: one
// answered by the owner in 20 minutes, one by a colleague in 90 minutes,
// one waiting (negative, never answered).
type slaFixture struct {
	b        *bundle
	br       *browser
	ws       store.Workspace
	brand    store.Channel
	sky      store.Channel
	waiting  *store.Message
	answered *store.Message
}

func newSLAFixture(t *testing.T) slaFixture {
	b := setupDeps(t, func(d *Deps) {
		d.Moderation = &moderation.Service{Store: d.Store, Records: inboxrules.Source{Store: d.Store}}
	})
	br := b.browser(t)
	owner := br.signIn("owner@times.example")
	ws := b.workspace(t, owner, "Brand", "brand")
	ctx := context.Background()
	colleague := storetest.NewUser(t, b.st, "colleague@times.example")
	require.NoError(t, b.st.AddMember(ctx, ws.ID, colleague.ID, store.RoleEditor))
	brand := storetest.NewChannel(t, b.st, ws.ID, "mastodon", "brand")
	sky := storetest.NewChannel(t, b.st, ws.ID, "bluesky", "brand.bsky")
	now := time.Now().UTC()
	msg := func(ch store.Channel, remote, sentiment, text string, at time.Time) *store.Message {
		return &store.Message{WorkspaceID: ws.ID, ChannelID: ch.ID, Network: ch.Network, RemoteID: remote, Kind: store.KindReply,
			AuthorHandle: "@" + remote + "@example.org", Text: text, Sentiment: sentiment, ReceivedAt: at, CreatedAt: at}
	}
	a := msg(brand, "ann", "neutral", "When do you open?", now.Add(-3*time.Hour))
	c := msg(sky, "cyd", "negative", "Rude staff at the counter", now.Add(-2*time.Hour))
	w := msg(brand, "bob", "negative", "My parcel never came, three weeks now", now.Add(-50*time.Hour))
	_, err := b.st.InsertMessages(ctx, []*store.Message{a, c, w})
	require.NoError(t, err)
	reply := func(m *store.Message, author int64, after time.Duration) {
		r := store.Reply{WorkspaceID: ws.ID, MessageID: m.ID, AuthorID: author, Text: "!", IdempotencyKey: fmt.Sprint(m.ID), CreatedAt: now}
		require.NoError(t, b.st.CreateReply(ctx, &r))
		sent := m.ReceivedAt.Add(after)
		r.State, r.SentAt = store.ReplySent, &sent
		require.NoError(t, b.st.FinishReply(ctx, r))
	}
	reply(a, owner.ID, 20*time.Minute)
	reply(c, colleague.ID, 90*time.Minute)
	return slaFixture{b: b, br: br, ws: ws, brand: brand, sky: sky, waiting: w, answered: c}
}

// TestResponseTimesPageAndCSV: the response-time page gives the rate and
// first-response times per channel, member and period against the target,
// the CSV has the same figures with names, and a bad period is refused
// naming the field.
func TestResponseTimesPageAndCSV(t *testing.T) {
	t.Parallel()
	f := newSLAFixture(t)
	res := f.br.get("/workspaces/brand/inbox/response-times")
	require.Equal(t, 200, res.StatusCode)
	body := html.UnescapeString(res.Body)
	require.Contains(t, body, "67 % answered (2 of 3 conversations)")
	require.Contains(t, body, "33 % within the 60-minute target · median first response 55 min")
	for _, want := range []string{`id="sla-channel"`, `id="sla-member"`, `id="sla-period"`, "mastodon @brand", "bluesky @brand.bsky",
		"owner@times.example", "colleague@times.example"} {
		require.Contains(t, body, want)
	}
	require.Contains(t, res.Body, `href="/workspaces/brand/inbox/response-times.csv?`)

	res = f.br.get("/workspaces/brand/inbox/response-times.csv?period=month")
	require.Equal(t, 200, res.StatusCode)
	require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	require.NoError(t, err)
	require.Equal(t, "group", rows[0][0])
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[0]+"/"+r[2]] = r
	}
	require.Equal(t, []string{"3", "2", "1", "0.6667", "0.3333"}, byName["total/"][3:8])
	require.Equal(t, []string{"2", "1", "1", "0.5000", "0.5000", "20.0"}, byName["channel/mastodon @brand"][3:9])
	require.Equal(t, []string{"1", "1", "0", "1.0000", "0.0000", "90.0"}, byName["member/colleague@times.example"][3:9])

	res = f.br.get("/workspaces/brand/inbox/response-times?from=2026-03-02&to=2026-03-01")
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, html.UnescapeString(res.Body), "From must not be after To.")
	res = f.br.get("/workspaces/brand/inbox/response-times?from=2020-01-01&to=2026-03-01")
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, res.Body, "The period covers 2252 days; at most 366.")
	res = f.br.get("/workspaces/brand/inbox/response-times.csv?period=year")
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, res.Body, "period")

	res = f.br.get("/workspaces/brand/inbox")
	require.Contains(t, res.Body, `href="/workspaces/brand/inbox/response-times"`, "the inbox links to the report")
}

// TestUnansweredCriticismPage: the report lists negative messages nobody
// answered, per channel and oldest first, with how long they wait; an
// answered complaint is not in it.
func TestUnansweredCriticismPage(t *testing.T) {
	t.Parallel()
	f := newSLAFixture(t)
	res := f.br.get("/workspaces/brand/inbox/criticism")
	require.Equal(t, 200, res.StatusCode)
	body := html.UnescapeString(res.Body)
	require.Contains(t, body, "1 negative messages without an answer")
	require.Contains(t, body, "My parcel never came")
	require.Contains(t, body, "waiting for 2 days")
	require.Contains(t, res.Body, fmt.Sprintf(`href="/workspaces/brand/inbox/%d"`, f.waiting.ID))
	require.NotContains(t, body, "Rude staff", "answered criticism is not listed")
	require.Contains(t, res.Body, fmt.Sprintf(`href="/workspaces/brand/inbox/criticism?channel=%d"`, f.brand.ID))

	res = f.br.get(fmt.Sprintf("/workspaces/brand/inbox/criticism?channel=%d", f.sky.ID))
	require.Equal(t, 200, res.StatusCode)
	require.NotContains(t, res.Body, "My parcel never came", "another channel's list")

	res = f.br.get("/workspaces/brand/inbox/criticism?since=" + time.Now().UTC().Add(24*time.Hour).Format(time.DateOnly))
	require.Contains(t, html.UnescapeString(res.Body), "Every negative message has an answer.")
	res = f.br.get("/workspaces/brand/inbox/criticism?since=yesterday")
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, html.UnescapeString(res.Body), "Received since must be a day")
	res = f.br.get("/workspaces/brand/inbox/criticism?channel=999999")
	require.Equal(t, 404, res.StatusCode, "a channel of no workspace of the caller")
}
