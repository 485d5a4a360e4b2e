package publish

import (
	"context"
	"testing"
	"time"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// lookingStore reports every look of the stager for due work.
type lookingStore struct {
	store.Store
	looks chan struct{}
}

func (s lookingStore) ClaimDue(ctx context.Context, owner string, horizon, leaseUntil, now time.Time, limit int) ([]store.PublishJob, error) {
	jobs, err := s.Store.ClaimDue(ctx, owner, horizon, leaseUntil, now, limit)
	select {
	case s.looks <- struct{}{}:
	default:
	}
	return jobs, err
}

// TestWakeStagesWithoutPolling: an idle engine does not poll for due work
// every second; Wake makes it look at once, and what it finds goes out once.
func TestWakeStagesWithoutPolling(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			f := setup(t, storetest.Open(t, d), kindIdem)
			ids := f.posts(t, 3, nil)
			st := lookingStore{Store: f.st, looks: make(chan struct{}, 1)}
			e, _ := f.instance(t, st, "", func(c *Config) { c.StageInterval, c.IdleStageInterval = time.Hour, time.Hour })
			<-st.looks // the look at start, which finds nothing
			_, err := f.st.SchedulePosts(context.Background(), f.ws.ID, ids, time.Now(), "UTC", time.Now())
			require.NoError(t, err)
			e.Wake()
			f.settle(t, ids, store.PubPublished)
			byKey := f.postsByKey()
			for _, id := range ids {
				require.Equal(t, 1, byKey[f.publication(t, id).IdempotencyKey])
			}
		})
	}
}
