package listen_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// A term that floods the last day's mentions is a burst; the words as
// frequent before are not.
func TestBursts(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, "sqlite")
	u := storetest.NewUser(t, s, "b@listen.example")
	w := storetest.NewWorkspace(t, s, "bursts", u.ID)
	now := time.Date(2026, 6, 10, 12, 0, 0, 0, time.UTC)
	svc := &listen.Service{Store: s, Now: func() time.Time { return now }}
	n := 0
	add := func(text string, at time.Time) {
		n++
		m := store.Mention{WorkspaceID: w.ID, Network: "bluesky", RemoteID: fmt.Sprint(n), Text: text, PostedAt: at}
		_, err := s.SaveMention(ctx, &m)
		require.NoError(t, err)
	}
	for d := 1; d <= 7; d++ {
		for h := 0; h < 4; h++ {
			add("acme shoes are comfortable", now.Add(-time.Duration(d)*24*time.Hour-time.Duration(h)*time.Hour))
		}
	}
	for i := 0; i < 12; i++ {
		add("acme shoes recall announced, battery fire", now.Add(-time.Duration(i)*time.Hour))
	}
	got, err := svc.Bursts(ctx, w.ID, 0, 10)
	require.NoError(t, err)
	require.NotEmpty(t, got)
	terms := map[string]bool{}
	for _, b := range got {
		terms[b.Term] = true
	}
	require.True(t, terms["recall announced"] || terms["recall"], "%v", got)
	require.False(t, terms["acme shoes"] || terms["acme"], "as frequent before: %v", got)
}
