package app

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// TestAccountSyncerCoalesces: a burst of webhook changes for one channel reads
// it once, plus exactly once more for the changes that came during that read;
// another channel is read beside it.
func TestAccountSyncerCoalesces(t *testing.T) {
	release := make(chan struct{})
	started := make(chan int64, 10)
	var reads [3]atomic.Int32
	s := newAccountSyncer(func(ctx context.Context, ch store.Channel) error {
		reads[ch.ID].Add(1)
		started <- ch.ID
		<-release
		return nil
	})
	a, b := store.Channel{ID: 1}, store.Channel{ID: 2}
	s.kick(a)
	require.Equal(t, int64(1), <-started)
	for range 20 {
		s.kick(a) // during the read: one more read, not twenty
	}
	s.kick(b)
	require.Equal(t, int64(2), <-started)
	close(release)
	s.wait()
	require.Equal(t, int32(2), reads[1].Load())
	require.Equal(t, int32(1), reads[2].Load())

	s.kick(a) // idle again: a new change reads again
	s.wait()
	require.Equal(t, int32(3), reads[1].Load())
}
