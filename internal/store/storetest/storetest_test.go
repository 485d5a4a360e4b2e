package storetest_test

import (
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			storetest.Run(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunPosts(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunMedia(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunFeeds(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunMetrics(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunCompose(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunHooks(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunThrottles(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunPostListing(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })

			storetest.RunAuth(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })

			storetest.RunLabels(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunCheckpoints(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })

			storetest.RunModeration(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunLinks(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunAnalytics(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })

			storetest.RunInbox(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunInboxSignals(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })

			storetest.RunOperatorSettings(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunInsights(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunContests(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunInfluencers(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
			storetest.RunListen(t, func(t testing.TB) store.Store { return storetest.Open(t, d) })
		})
	}
}
