package inbox

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// InboxStream is the stream the inbox reads: the account's notifications
// (mentions and replies arrive as "mention" notifications).
var InboxStream = network.Stream{Name: "user:notification"}

// streamSet holds the poller's live streams, one per channel whose connector
// streams (network.Streamer), while this instance holds the poller's lease.
type streamSet struct {
	mu sync.Mutex
	m  map[int64]*channelStream
}

type channelStream struct {
	// secrets are the channel's sealed secrets when the stream started: a
	// channel reconnected since (a new token) gets a new stream; other
	// changes (limits, status) keep it.
	secrets []byte
	cancel  context.CancelFunc
	done    chan struct{}
	// live is true while the stream is connected and has caught up.
	live atomic.Bool
}

// Streaming reports whether the channel's stream is connected and caught up,
// so that polling it often is not needed.
func (s *Service) Streaming(channelID int64) bool {
	s.streams.mu.Lock()
	defer s.streams.mu.Unlock()
	cs := s.streams.m[channelID]
	return cs != nil && cs.live.Load()
}

// keepStreams starts a stream for each channel that can stream and has none,
// and stops the streams of channels gone, needing reconnection or changed.
func (s *Service) keepStreams(ctx context.Context, chans []store.Channel) {
	want := make(map[int64]store.Channel, len(chans))
	for _, ch := range chans {
		if ch.Status != store.ChannelNeedsReconnect {
			want[ch.ID] = ch
		}
	}
	s.streams.mu.Lock()
	if s.streams.m == nil {
		s.streams.m = map[int64]*channelStream{}
	}
	var stop []*channelStream
	for id, cs := range s.streams.m {
		if ch, ok := want[id]; !ok || !bytes.Equal(ch.SecretsEnc, cs.secrets) {
			stop = append(stop, cs)
			delete(s.streams.m, id)
		}
	}
	var start []store.Channel
	for id, ch := range want {
		if _, ok := s.streams.m[id]; !ok {
			start = append(start, ch)
		}
	}
	s.streams.mu.Unlock()
	stopAll(stop)
	for _, ch := range start {
		cs := &channelStream{secrets: ch.SecretsEnc, done: make(chan struct{})}
		conn, _, err := s.Connectors.Connector(ctx, ch.WorkspaceID, ch.ID)
		if err != nil {
			// Polled meanwhile; tried again at the next tick.
			s.log().Warn("inbox: open a channel to stream it", "channel", ch.ID, "err", err)
			continue
		}
		st, ok := conn.(network.Streamer)
		if !ok {
			// Polled only; looked at again when the channel changes.
			close(cs.done)
		} else {
			sctx, cancel := context.WithCancel(ctx)
			cs.cancel = cancel
			go s.runStream(sctx, ch, st, cs)
		}
		s.streams.mu.Lock()
		s.streams.m[ch.ID] = cs
		s.streams.mu.Unlock()
	}
}

// stopStreams stops every stream (the lease was lost, or the poller ends).
func (s *Service) stopStreams() {
	s.streams.mu.Lock()
	var stop []*channelStream
	for id, cs := range s.streams.m {
		stop = append(stop, cs)
		delete(s.streams.m, id)
	}
	s.streams.mu.Unlock()
	stopAll(stop)
}

func stopAll(css []*channelStream) {
	for _, cs := range css {
		if cs.cancel != nil {
			cs.cancel()
		}
	}
	for _, cs := range css {
		<-cs.done
	}
}

// runStream keeps the channel's stream until ctx ends: each (re)connection
// is followed by one read of the channel (what arrived while disconnected),
// each mention becomes an inbox message through the same ingest as polling.
func (s *Service) runStream(ctx context.Context, ch store.Channel, st network.Streamer, cs *channelStream) {
	defer close(cs.done)
	log := s.log().With("channel", ch.ID, "network", ch.Network)
	network.KeepStreaming(ctx, st, InboxStream, s.StreamBackoff,
		func() {
			r, err := s.SyncChannel(ctx, ch)
			if err != nil {
				log.Warn("inbox: catch up after the stream connected", "err", err)
				return
			}
			cs.live.Store(true)
			log.Info("inbox: stream connected", "new", r.New)
		},
		func(err error) {
			cs.live.Store(false)
			log.Warn("inbox: stream dropped; polling until it is back", "err", err)
		},
		func(ev network.StreamEvent) {
			if ev.Type != "notification" || ev.Notification != "mention" || ev.Comment == nil {
				return
			}
			th := threader{s: s, ch: ch, pubs: map[string]*store.Publication{}}
			n, err := s.ingestComments(ctx, &th, []network.Comment{*ev.Comment}, store.KindMention)
			if err != nil {
				// The mention cursor did not move: polling the channel again
				// (it is no longer live) reads the message.
				cs.live.Store(false)
				log.Warn("inbox: store a streamed message", "remote_id", ev.Comment.RemoteID, "err", err)
				return
			}
			if n > 0 {
				log.Info("inbox: new message from the stream", "remote_id", ev.Comment.RemoteID)
			}
		})
}
