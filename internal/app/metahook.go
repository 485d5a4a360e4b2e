package app

import (
	"context"
	"sync"
	"time"

	"github.com/relais/relais/internal/network/meta"
	"github.com/relais/relais/internal/store"
)

// webhookSyncTimeout bounds one inbox read started by a webhook delivery.
const webhookSyncTimeout = 2 * time.Minute

// accountSyncer reads a channel's inbox at once when a network's webhook says
// something changed on its account, instead of waiting for the next poll.
// Deliveries come in bursts (Meta batches changes and retries): one read runs
// per channel at a time, and changes arriving during it cause exactly one more
// read after it, so nothing that arrived is missed and nothing is read twice
// in parallel.
type accountSyncer struct {
	sync func(ctx context.Context, ch store.Channel) error

	mu      sync.Mutex
	running map[int64]bool
	again   map[int64]bool
	wg      sync.WaitGroup
}

func newAccountSyncer(sync func(ctx context.Context, ch store.Channel) error) *accountSyncer {
	return &accountSyncer{sync: sync, running: map[int64]bool{}, again: map[int64]bool{}}
}

// kick starts a read of ch unless one runs; then it asks that one to read once more.
func (s *accountSyncer) kick(ch store.Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running[ch.ID] {
		s.again[ch.ID] = true
		return
	}
	s.running[ch.ID] = true
	s.wg.Add(1)
	go s.loop(ch)
}

func (s *accountSyncer) loop(ch store.Channel) {
	defer s.wg.Done()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), webhookSyncTimeout)
		_ = s.sync(ctx, ch)
		cancel()
		s.mu.Lock()
		if !s.again[ch.ID] {
			delete(s.running, ch.ID)
			s.mu.Unlock()
			return
		}
		delete(s.again, ch.ID)
		s.mu.Unlock()
	}
}

// wait blocks until the reads started so far are done (tests, shutdown).
func (s *accountSyncer) wait() { s.wg.Wait() }

// syncMetaAccount reads the inbox of every channel (in any workspace) connected
// to the account a verified Meta webhook change names. The account id comes
// from a delivery signed with the app secret, so it is trusted to name the
// account; the read itself goes through each channel's own workspace.
func (a *App) syncMetaAccount(ctx context.Context, c meta.Change) int {
	kind := c.Kind()
	if kind == "" || c.AccountID == "" || a.Inbox == nil {
		return 0
	}
	chans, err := a.Store.ChannelsOfNetwork(ctx, string(kind))
	if err != nil {
		a.Log.Warn("meta webhook: list channels", "network", kind, "err", err)
		return 0
	}
	n := 0
	for _, ch := range chans {
		if ch.RemoteID != c.AccountID {
			continue
		}
		a.webhookSync().kick(ch)
		n++
	}
	return n
}

// webhookSync is the app's one account syncer, made on first use.
func (a *App) webhookSync() *accountSyncer {
	a.syncOnce.Do(func() {
		a.syncer = newAccountSyncer(func(ctx context.Context, ch store.Channel) error {
			res, err := a.Inbox.SyncChannel(ctx, ch)
			if err != nil {
				a.Log.Warn("webhook inbox read", "channel", ch.ID, "err", err)
			} else {
				a.Log.Debug("webhook inbox read", "channel", ch.ID, "new", res.New)
			}
			return err
		})
	})
	return a.syncer
}
