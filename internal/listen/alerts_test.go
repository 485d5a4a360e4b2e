package listen_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/mail/mailtest"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

type hookReceiver struct {
	mu     sync.Mutex
	bodies [][]byte
	events []string
}

func (r *hookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.bodies = append(r.bodies, b)
	r.events = append(r.events, req.Header.Get("X-Relais-Event"))
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (r *hookReceiver) got() ([][]byte, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.bodies...), append([]string(nil), r.events...)
}

// TestAlerts announces a query's new mentions above its reach threshold
// (in-app, the signed mention.received webhook, e-mail to owners and
// admins) and, once per term and day, the terms bursting in its mentions
// (mention.burst).
func TestAlerts(t *testing.T) {
	t.Parallel()
	st := storetest.OpenSQLite(t)
	owner := storetest.NewUser(t, st, "owner@alerts.example")
	editor := storetest.NewUser(t, st, "editor@alerts.example")
	ws := storetest.NewWorkspace(t, st, "alerts", owner.ID)
	require.NoError(t, st.AddMember(ctx, ws.ID, editor.ID, store.RoleEditor))

	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	require.NoError(t, err)
	allow := true
	wh := &alert.Webhooks{Store: st, Keyring: kr, AllowPrivate: &allow, BaseURL: "https://relais.example",
		Client: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 5 * time.Second})}
	rcv := &hookReceiver{}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	_, _, err = wh.Create(ctx, ws.ID, alert.NewHook{URL: srv.URL, Events: []string{store.HookMentionReceived, store.HookMentionBurst}})
	require.NoError(t, err)
	smtp := mailtest.NewServer(t)
	sender, err := mail.New("smtp://"+smtp.Addr(), "relais <relais@example.com>")
	require.NoError(t, err)

	now := time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)
	clk := &testClock{t: now}
	svc := &listen.Service{Store: st, Now: clk.Now,
		Alerts: &listen.Alerter{Notifiers: []publish.Notifier{publish.InApp{Store: st}, wh}, Mail: sender, BaseURL: "https://relais.example"}}
	loud, err := svc.AddQuery(ctx, ws.ID, owner.ID, listen.Spec{Name: "Acme", Keywords: "acme", AlertMentions: true, AlertMinReach: 1000, AlertBursts: true, AlertEmail: true})
	require.NoError(t, err)
	_, err = svc.AddQuery(ctx, ws.ID, owner.ID, listen.Spec{Name: "Quiet", Keywords: "globex"})
	require.NoError(t, err)
	_, err = svc.AddQuery(ctx, ws.ID, owner.ID, listen.Spec{Name: "Bad", Keywords: "x", AlertMinReach: -1})
	require.Error(t, err)

	item := func(id, author string, followers int64, text string, at time.Time) listen.Item {
		return listen.Item{Post: listen.Post{Network: "mastodon", Author: author, Text: text, Lang: "en"},
			RemoteID: "https://social.example/s/" + id, URL: "https://social.example/@" + author + "/" + id, AuthorFollowers: followers, PostedAt: at}
	}
	n, err := svc.Process(ctx, 0, []listen.Item{
		item("1", "star", 25000, "Acme customer service is terrible", now),
		item("2", "nobody", 12, "acme is fine", now),
		item("3", "star", 25000, "globex is great", now),
	})
	require.NoError(t, err)
	require.Equal(t, 3, n)
	// Read again: stored once, announced once.
	n, err = svc.Process(ctx, 0, []listen.Item{item("1", "star", 25000, "Acme customer service is terrible", now)})
	require.NoError(t, err)
	require.Zero(t, n)

	notes, err := st.Notifications(ctx, ws.ID, owner.ID, 10)
	require.NoError(t, err)
	require.Len(t, notes, 1, "only the mention above the reach threshold of the query with alerts")
	require.Equal(t, store.HookMentionReceived, notes[0].Kind)
	require.Equal(t, []string{"Acme", "mastodon", "star", "25000", "Acme customer service is terrible"}, notes[0].Args)
	require.Equal(t, fmt.Sprintf("/workspaces/alerts/listen?query=%d", loud.ID), notes[0].Link)
	msgs := smtp.Messages()
	require.Len(t, msgs, 1, "owners and admins only")
	require.Equal(t, "<owner@alerts.example>", msgs[0].To)
	require.Contains(t, msgs[0].Body(), "https://social.example/@star/1")

	// A burst: the term "refund" in 6 mentions today, none in the week before.
	var burst []listen.Item
	for i := range 6 {
		burst = append(burst, item(fmt.Sprintf("b%d", i), fmt.Sprintf("user%d", i), 5, fmt.Sprintf("acme refund delayed again %d", i), now.Add(-time.Duration(i)*time.Hour)))
	}
	for i := range 10 {
		burst = append(burst, item(fmt.Sprintf("old%d", i), "old", 5, fmt.Sprintf("acme shoes review %d", i), now.Add(-time.Duration(30+i*12)*time.Hour)))
	}
	_, err = svc.Process(ctx, 0, burst)
	require.NoError(t, err)
	res, err := svc.CheckBursts(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, res.Queries)
	require.Positive(t, res.Alerts)
	first := res.Alerts
	res, err = svc.CheckBursts(ctx)
	require.NoError(t, err)
	require.Zero(t, res.Alerts, "once per term and day")
	require.NoError(t, wh.Close())

	// Deliveries run concurrently, so they may arrive in any order: the one
	// mention.received first, then the bursts.
	bodies, events := rcv.got()
	require.Len(t, bodies, 1+first)
	for i, e := range events {
		if e == store.HookMentionReceived {
			bodies[0], bodies[i] = bodies[i], bodies[0]
			events[0], events[i] = events[i], events[0]
			break
		}
	}
	require.Equal(t, store.HookMentionReceived, events[0])
	var p struct {
		Event   string `json:"event"`
		URL     string `json:"url"`
		Mention struct {
			QueryID         int64  `json:"query_id"`
			Query           string `json:"query"`
			Text            string `json:"text"`
			URL             string `json:"url"`
			AuthorFollowers int64  `json:"author_followers"`
			Sentiment       string `json:"sentiment"`
		} `json:"mention"`
	}
	require.NoError(t, json.Unmarshal(bodies[0], &p))
	require.Equal(t, fmt.Sprintf("https://relais.example/workspaces/alerts/listen?query=%d", loud.ID), p.URL)
	require.Equal(t, loud.ID, p.Mention.QueryID)
	require.EqualValues(t, 25000, p.Mention.AuthorFollowers)
	require.Equal(t, "negative", p.Mention.Sentiment)
	var terms []string
	for i := 1; i < len(bodies); i++ {
		require.Equal(t, store.HookMentionBurst, events[i])
		var b struct {
			Burst listen.BurstAlert `json:"burst"`
		}
		require.NoError(t, json.Unmarshal(bodies[i], &b))
		require.Equal(t, "Acme", b.Burst.Query)
		require.GreaterOrEqual(t, b.Burst.Count, 3)
		require.Less(t, b.Burst.P, 0.001)
		terms = append(terms, b.Burst.Term)
	}
	require.Contains(t, strings.Join(terms, ","), "refund")
	require.Len(t, smtp.Messages(), 1+first, "the burst e-mailed too")
}
