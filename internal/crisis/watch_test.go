package crisis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/alert"
	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/mail/mailtest"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// source serves 8 weeks of 2 negatives an hour, then the hour in progress
// with spike messages about a recall.
type source struct {
	now   time.Time
	spike int
}

func (s source) WatchedWorkspaces(context.Context) ([]int64, error) { return nil, nil }

func (s source) NegativeCounts(_ context.Context, _ int64, from, to time.Time) ([]int, error) {
	var out []int
	for h := from; h.Before(to); h = h.Add(time.Hour) {
		n := 2 + int(h.Unix()/3600%3) - 1 // 1, 2 or 3
		if h.Equal(s.now.Truncate(time.Hour)) {
			n = s.spike
		}
		out = append(out, n)
	}
	return out, nil
}

func (s source) NegativeMessages(_ context.Context, _ int64, from, to time.Time) ([]crisis.Message, error) {
	var out []crisis.Message
	if from.Equal(s.now.Truncate(time.Hour)) {
		for i := range s.spike {
			out = append(out, crisis.Message{ID: int64(i + 1), Author: fmt.Sprintf("@user%d", i), Text: "Rückruf? Das ist ein Skandal, #boycott", ReceivedAt: from.Add(time.Duration(i) * time.Minute)})
		}
		return out, nil
	}
	for i := range 200 {
		out = append(out, crisis.Message{ID: int64(1000 + i), Text: "my parcel is late", ReceivedAt: from.Add(time.Duration(i) * time.Minute)})
	}
	return out, nil
}

type receiver struct {
	mu   sync.Mutex
	body [][]byte
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.body = append(r.body, b)
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) bodies() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][]byte(nil), r.body...)
}

func TestWatcherAlertsOncePerHour(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	owner := storetest.NewUser(t, st, "owner@crisis.example")
	editor := storetest.NewUser(t, st, "editor@crisis.example")
	ws := storetest.NewWorkspace(t, st, "crisis-brand", owner.ID)
	require.NoError(t, st.AddMember(ctx, ws.ID, editor.ID, store.RoleEditor))

	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, 32)})
	require.NoError(t, err)
	allow := true
	wh := &alert.Webhooks{Store: st, Keyring: kr, AllowPrivate: &allow, BaseURL: "https://relais.example",
		Client: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 5 * time.Second})}
	rcv := &receiver{}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	_, _, err = wh.Create(ctx, ws.ID, alert.NewHook{URL: srv.URL, Events: []string{store.HookAlertCrisis}})
	require.NoError(t, err)

	smtp := mailtest.NewServer(t)
	sender, err := mail.New("smtp://"+smtp.Addr(), "relais <relais@example.com>")
	require.NoError(t, err)

	now := time.Date(2026, 12, 6, 14, 40, 0, 0, time.UTC)
	w := &crisis.Watcher{Store: st, Source: source{now: now, spike: 30}, Notifiers: []publish.Notifier{publish.InApp{Store: st}, wh},
		Mail: sender, BaseURL: "https://relais.example"}

	d, sent, err := w.Check(ctx, ws.ID, now)
	require.NoError(t, err)
	require.True(t, sent)
	require.True(t, d.Spike)
	require.Equal(t, 30, d.Observed)
	require.NotEmpty(t, d.Terms)
	require.Len(t, d.Examples, 5)

	// Once per hour: ten minutes later the same spike does not alert again.
	_, sent, err = w.Check(ctx, ws.ID, now.Add(10*time.Minute))
	require.NoError(t, err)
	require.False(t, sent)
	require.NoError(t, wh.Close()) // waits for the queued delivery

	notes, err := st.Notifications(ctx, ws.ID, owner.ID, 10)
	require.NoError(t, err)
	require.Len(t, notes, 1)
	require.Equal(t, store.HookAlertCrisis, notes[0].Kind)
	require.Equal(t, "/workspaces/crisis-brand/inbox/crisis", notes[0].Link)
	require.Equal(t, "30", notes[0].Args[0])

	bodies := rcv.bodies()
	require.Len(t, bodies, 1)
	var p struct {
		Event  string `json:"event"`
		URL    string `json:"url"`
		Crisis struct {
			Observed int     `json:"observed"`
			P        float64 `json:"p"`
			Spike    bool    `json:"spike"`
			Terms    []struct {
				SpikingTerm string `json:"term"`
			} `json:"terms"`
			Examples []struct {
				Text string `json:"text"`
			} `json:"examples"`
		} `json:"crisis"`
	}
	require.NoError(t, json.Unmarshal(bodies[0], &p))
	require.Equal(t, store.HookAlertCrisis, p.Event)
	require.Equal(t, "https://relais.example/workspaces/crisis-brand/inbox/crisis", p.URL)
	require.Equal(t, 30, p.Crisis.Observed)
	require.True(t, p.Crisis.Spike)
	require.Less(t, p.Crisis.P, 0.001)
	require.NotEmpty(t, p.Crisis.Terms)
	require.Len(t, p.Crisis.Examples, 5)

	msgs := smtp.Messages()
	require.Len(t, msgs, 1, "owners and admins get the e-mail, editors the in-app notification")
	require.Contains(t, msgs[0].To, "owner@crisis.example")
	require.Contains(t, msgs[0].Body(), "Answer, don't delete: https://relais.example/workspaces/crisis-brand/inbox/crisis")

	// An ordinary hour alerts nobody.
	calm := &crisis.Watcher{Store: st, Source: source{now: now.Add(time.Hour), spike: 3}}
	d, sent, err = calm.Check(ctx, ws.ID, now.Add(time.Hour))
	require.NoError(t, err)
	require.False(t, sent)
	require.False(t, d.Spike)
}
