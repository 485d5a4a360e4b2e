package inbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/relais/relais/internal/network"
)

// Poll intervals.
const (
	// DefaultPollInterval is how often networks other than Mastodon are read.
	DefaultPollInterval = 60 * time.Second
	// MastodonPollInterval is how often Mastodon (and GoToSocial, Pleroma…) is read.
	MastodonPollInterval = 15 * time.Second
	// ReplyGrace is how long a reply may stay in sending before the poller
	// treats its process as dead and settles it.
	ReplyGrace = 2 * time.Minute
	// leaseName is the lease that makes one instance the poller.
	leaseName = "inbox_poller"
)

// Poll reads the channels until ctx ends: Mastodon every 15 s (or every
// interval when shorter), the other networks every interval (0: 60 s), and
// settles replies a dead process left in sending. A channel whose connector
// streams (network.Streamer: Mastodon's streaming API) also gets a stream,
// whose mentions arrive at once; while it is connected the channel is read
// only every interval, and once after each reconnection. On PostgreSQL with
// several instances, one holds the poller's lease (and the streams) at a time.
func (s *Service) Poll(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultPollInterval
	}
	fast := min(MastodonPollInterval, interval)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	owner := "inbox-" + hex.EncodeToString(b)
	var others []network.Kind
	for _, k := range PolledNetworks() {
		if k != network.Mastodon {
			others = append(others, k)
		}
	}
	defer s.stopStreams()
	t := time.NewTicker(fast)
	defer t.Stop()
	var lastSlow time.Time
	for {
		now := s.now()
		if ok, err := s.Store.TryLease(ctx, leaseName, owner, now.Add(3*fast), now); err != nil {
			s.log().Warn("inbox: poller lease", "err", err)
		} else if !ok {
			s.stopStreams()
		} else {
			var kinds []network.Kind
			if now.Sub(lastSlow) >= interval-time.Second {
				kinds, lastSlow = others, now
				if _, err := s.RecoverReplies(ctx, ReplyGrace); err != nil {
					s.log().Warn("inbox: settle interrupted replies", "err", err)
				}
			}
			res, err := s.pollFast(ctx, len(kinds) > 0)
			if err == nil {
				var r SyncResult
				r, err = s.SyncNetworks(ctx, kinds...)
				res.add(r)
			}
			if err != nil && ctx.Err() == nil {
				s.log().Warn("inbox: poll", "err", err)
			} else if res.New > 0 {
				s.log().Info("inbox: new messages", "new", res.New, "channels", res.Channels)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pollFast keeps the Mastodon channels' streams and reads the channels
// without a live stream (all of them when all is set).
func (s *Service) pollFast(ctx context.Context, all bool) (SyncResult, error) {
	chans, err := s.Store.ChannelsOfNetwork(ctx, string(network.Mastodon))
	if err != nil {
		return SyncResult{}, err
	}
	s.keepStreams(ctx, chans)
	if !all {
		polled := chans[:0:0]
		for _, ch := range chans {
			if !s.Streaming(ch.ID) {
				polled = append(polled, ch)
			}
		}
		chans = polled
	}
	return s.syncChannels(ctx, chans), ctx.Err()
}
