package postgres_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/relais/relais/internal/store/postgres"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// Scheduling a post on one instance notifies a listener on another
// connection; work the engine does not wait for (a draft saved) does not.
func TestScheduledWorkNotifiesListeners(t *testing.T) {
	if os.Getenv(storetest.PostgresURLEnv) == "" {
		t.Skip("no PostgreSQL")
	}
	t.Parallel()
	url := storetest.NewPostgresDatabase(t)
	st, err := postgres.Open(context.Background(), url, true)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan struct{}, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		postgres.Listen(ctx, url, postgres.PublishChannel, func() { got <- struct{}{} }, nil)
	}()
	// The first call comes once the LISTEN is in place.
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the listener never connected")
	}

	u := storetest.NewUser(t, st, "notify@example.com")
	w := storetest.NewWorkspace(t, st, "notify", u.ID)
	c := storetest.NewChannel(t, st, w.ID, "mastodon", "notify-1")
	posts := storetest.NewPosts(t, st, w.ID, 3, c.ID)
	select {
	case <-got:
		t.Fatal("creating drafts notified the engine")
	case <-time.After(300 * time.Millisecond):
	}

	ids := []int64{posts[0].ID, posts[1].ID, posts[2].ID}
	now := time.Now()
	scheduled, err := st.SchedulePosts(context.Background(), w.ID, ids, now.Add(time.Minute), "UTC", now)
	require.NoError(t, err)
	require.Len(t, scheduled, 3)
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("scheduling did not notify")
	}
	// One notification per transaction, not one per publication.
	select {
	case <-got:
		t.Fatal("a second notification for one transaction")
	case <-time.After(300 * time.Millisecond):
	}
	cancel()
	<-done
}
