package listen

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/mastodon"
	"github.com/relais/relais/internal/store"
)

const (
	// StreamCheck is how often the streams are matched to the channels and
	// queries (a query added or a hashtag changed is streamed after at most this long).
	StreamCheck = 30 * time.Second
	// streamLease makes one instance the streams' holder.
	streamLease = "listen_streams"
)

// Streams keeps, on the instance that holds the lease, live streams of the
// Mastodon instances listening reads: for every Mastodon channel of a
// workspace with active queries, the public stream and one hashtag stream
// per hashtag of its queries (network.Streamer, with the channel's token).
// Every public status they push is matched and stored at once; each
// (re)connection reads the timelines once from their cursors, so what
// passed while disconnected is not lost. The minute poll (PollMastodon)
// stays the fallback: mentions are stored once however they arrive.
type Streams struct {
	Service *Service
	// Backoff spaces reconnections (zero: network.DefaultStreamBackoff).
	Backoff network.Backoff

	mu   sync.Mutex
	live map[streamKey]*liveStream
}

type streamKey struct {
	channel int64
	tag     string // "" is the public stream
}

// wantedStream is a stream to keep: its channel and its hashtag as the
// queries write it (which names the timeline's cursor).
type wantedStream struct {
	ch  store.Channel
	tag string
}

type liveStream struct {
	// secrets are the channel's sealed secrets when the stream started: a
	// channel reconnected since (a new token) gets new streams.
	secrets   []byte
	cancel    context.CancelFunc
	done      chan struct{}
	connected atomic.Bool
}

// Run keeps the streams until ctx ends.
func (s *Streams) Run(ctx context.Context) {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	owner := "listen-" + hex.EncodeToString(b)
	defer s.keep(ctx, nil)
	t := time.NewTicker(StreamCheck)
	defer t.Stop()
	for {
		want, err := s.wanted(ctx, owner)
		if err != nil && ctx.Err() == nil {
			s.Service.log().Warn("listening: streams", "err", err)
		}
		if err == nil {
			s.keep(ctx, want)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// wanted lists the streams to keep: none without active queries or without
// the lease.
func (s *Streams) wanted(ctx context.Context, owner string) (map[streamKey]wantedStream, error) {
	_, refs, err := s.Service.matcher(ctx)
	if err != nil || len(refs) == 0 {
		return nil, err
	}
	now := s.Service.now()
	if ok, err := s.Service.Store.TryLease(ctx, streamLease, owner, now.Add(3*StreamCheck), now); err != nil || !ok {
		return nil, err
	}
	active := map[int64]bool{}
	for _, r := range refs {
		active[r.WorkspaceID] = true
	}
	chans, err := s.Service.Store.ChannelsOfNetwork(ctx, string(network.Mastodon))
	if err != nil {
		return nil, err
	}
	want := map[streamKey]wantedStream{}
	tags := map[int64][]string{}
	for _, ch := range chans {
		if !active[ch.WorkspaceID] || ch.Status == store.ChannelNeedsReconnect {
			continue
		}
		ts, ok := tags[ch.WorkspaceID]
		if !ok {
			if ts, err = s.Service.mastodonTags(ctx, ch.WorkspaceID); err != nil {
				return nil, err
			}
			tags[ch.WorkspaceID] = ts
		}
		want[streamKey{ch.ID, ""}] = wantedStream{ch: ch}
		for _, tag := range ts {
			want[streamKey{ch.ID, strings.TrimLeft(tag, "#")}] = wantedStream{ch: ch, tag: tag}
		}
	}
	return want, nil
}

// keep starts the wanted streams not running and stops those no longer
// wanted or whose channel was reconnected (a new token).
func (s *Streams) keep(ctx context.Context, want map[streamKey]wantedStream) {
	s.mu.Lock()
	if s.live == nil {
		s.live = map[streamKey]*liveStream{}
	}
	var stop []*liveStream
	for k, ls := range s.live {
		if w, ok := want[k]; !ok || !bytes.Equal(w.ch.SecretsEnc, ls.secrets) {
			stop = append(stop, ls)
			delete(s.live, k)
		}
	}
	var start []streamKey
	for k := range want {
		if _, ok := s.live[k]; !ok {
			start = append(start, k)
		}
	}
	s.mu.Unlock()
	for _, ls := range stop {
		ls.cancel()
	}
	for _, ls := range stop {
		<-ls.done
	}
	for _, k := range start {
		w := want[k]
		ch := w.ch
		conn, _, err := s.Service.Connectors.Connector(ctx, ch.WorkspaceID, ch.ID)
		st, ok := conn.(network.Streamer)
		tr, reads := conn.(timelineReader)
		if err != nil || !ok || !reads {
			continue // polled only; looked at again at the next check
		}
		sctx, cancel := context.WithCancel(ctx)
		ls := &liveStream{secrets: ch.SecretsEnc, cancel: cancel, done: make(chan struct{})}
		s.mu.Lock()
		s.live[k] = ls
		s.mu.Unlock()
		go s.run(sctx, w, st, tr, ls)
	}
}

// Live lists the streams connected, as "channel id:public" or "channel id:#tag".
func (s *Streams) Live() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k, ls := range s.live {
		if !ls.connected.Load() {
			continue
		}
		name := "public"
		if k.tag != "" {
			name = "#" + k.tag
		}
		out = append(out, strconv.FormatInt(k.channel, 10)+":"+name)
	}
	slices.Sort(out)
	return out
}

func (s *Streams) run(ctx context.Context, w wantedStream, st network.Streamer, tr timelineReader, ls *liveStream) {
	defer close(ls.done)
	ch := w.ch
	log := s.Service.log().With("channel", ch.ID, "tag", w.tag)
	stream := network.Stream{Name: "public"}
	if w.tag != "" {
		stream = network.Stream{Name: "hashtag", Tag: strings.TrimLeft(w.tag, "#")}
	}
	network.KeepStreaming(ctx, st, stream, s.Backoff,
		func() {
			// What passed while disconnected: this stream's timeline from its cursor.
			if _, _, err := s.Service.pollTimeline(ctx, ch, tr, w.tag); err != nil && ctx.Err() == nil {
				log.Warn("listening: catch up after the stream connected", "err", err)
			}
			ls.connected.Store(true)
		},
		func(err error) {
			ls.connected.Store(false)
			log.Info("listening: stream dropped; the minute poll reads meanwhile", "err", err)
		},
		func(ev network.StreamEvent) {
			p, ok := ev.Data.(mastodon.PublicPost)
			if !ok {
				return
			}
			if _, err := s.Service.Process(ctx, ch.WorkspaceID, []Item{mastodonItem(p)}); err != nil && ctx.Err() == nil {
				// Not lost: the timelines' cursors have not passed it.
				log.Warn("listening: store a streamed post", "remote_id", p.URI, "err", err)
			}
		})
}

// mastodonTags are the hashtags the workspace's active queries read on Mastodon.
func (s *Service) mastodonTags(ctx context.Context, workspaceID int64) ([]string, error) {
	qs, err := s.Queries(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	var tags []string
	for _, q := range qs {
		if q.Paused || (len(q.Networks) > 0 && !contains(q.Networks, "mastodon")) {
			continue
		}
		for _, h := range q.Hashtags { // as written: the timelines' cursors are named by them
			if strings.TrimLeft(h, "#") != "" && !slices.Contains(tags, h) {
				tags = append(tags, h)
			}
		}
	}
	return tags, nil
}
