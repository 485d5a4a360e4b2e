package listen

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
)

// BenchOptions tunes Bench.
type BenchOptions struct {
	// Events of the generated recording (default 200,000).
	Events int
	// Queries matched against (default 1,000).
	Queries int
	// Rate paces the WebSocket run, events per second (default 20,000; 0 after defaults: unpaced).
	Rate int
	// WSEvents is the number of events of the paced WebSocket run (default 100,000; -1 skips it).
	WSEvents int
	// ScoreAll scores every post, matched or not (default: matched posts only, as the service does).
	ScoreAll bool
}

// BenchResult is what Bench measured.
type BenchResult struct {
	Events       int     `json:"events"`
	Posts        int     `json:"posts" doc:"Post creations among the events"`
	Queries      int     `json:"queries"`
	Matched      int     `json:"matched" doc:"Posts that matched at least one query (and were scored)"`
	QueryHits    int     `json:"query_hits" doc:"Matches summed over the queries"`
	Cores        int     `json:"cores" doc:"GOMAXPROCS during the run"`
	Seconds      float64 `json:"seconds"`
	CPUSeconds   float64 `json:"cpu_seconds"`
	EventsPerS   float64 `json:"events_per_s" doc:"Decode, match and score, wall clock"`
	EventsPerCPU float64 `json:"events_per_cpu_s" doc:"Same, per second of the process's CPU time"`
	NsPerEvent   float64 `json:"ns_per_event"`
	// The paced run over a real WebSocket from the fake Jetstream server.
	WS *BenchWS `json:"websocket,omitempty"`
}

// BenchWS is the end-to-end run: the fake Jetstream server writes the
// recording at Rate events/s over a WebSocket; the client reads, decodes,
// matches and scores; the delay is from the server's write to the score.
type BenchWS struct {
	Events     int     `json:"events"`
	Rate       int     `json:"rate" doc:"Events per second the server was asked to send"`
	EventsPerS float64 `json:"events_per_s" doc:"Events per second received and processed"`
	DelayP50MS float64 `json:"delay_p50_ms"`
	DelayP99MS float64 `json:"delay_p99_ms"`
	DelayMaxMS float64 `json:"delay_max_ms"`
}

// BenchServer is the fake Jetstream the WebSocket run reads (the
// jetstreamtest package, injected to keep test code out of this package).
type BenchServer interface {
	Endpoint() string
	SentAt(i int) int64
	Close()
}

// Bench measures the listening pipeline on one core: a generated recording
// in Jetstream's format is decoded, every post matched against the
// queries, the matched posts scored (language, sentiment, themes). newServer,
// when not nil, starts the fake Jetstream for the paced WebSocket run.
func Bench(ctx context.Context, o BenchOptions, newServer func(events [][]byte, rate int) BenchServer) (BenchResult, error) {
	if o.Events <= 0 {
		o.Events = 200_000
	}
	if o.Queries <= 0 {
		o.Queries = 1000
	}
	if o.Rate == 0 {
		o.Rate = 20_000
	}
	if o.WSEvents == 0 {
		o.WSEvents = 100_000
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	m := NewMatcher(BenchQueries(o.Queries))
	events := GenerateFixture(o.Events, 42, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	res := BenchResult{Events: len(events), Queries: o.Queries, Cores: 1}
	p := pipeline{m: m, scoreAll: o.ScoreAll}
	runtime.GC()
	cpu0 := publish.ProcessCPU()
	t0 := time.Now()
	for _, raw := range events {
		if err := p.handle(raw); err != nil {
			return res, err
		}
	}
	res.Seconds = time.Since(t0).Seconds()
	res.CPUSeconds = (publish.ProcessCPU() - cpu0).Seconds()
	res.Posts, res.Matched, res.QueryHits = p.posts, p.matched, p.hits
	res.EventsPerS = float64(len(events)) / res.Seconds
	if res.CPUSeconds > 0 {
		res.EventsPerCPU = float64(len(events)) / res.CPUSeconds
	}
	res.NsPerEvent = res.Seconds * 1e9 / float64(len(events))
	if newServer != nil && o.WSEvents > 0 {
		ws, err := benchWS(ctx, m, o, newServer)
		if err != nil {
			return res, err
		}
		res.WS = &ws
	}
	return res, nil
}

type pipeline struct {
	m                    *Matcher
	scoreAll             bool
	hitBuf               []int
	posts, matched, hits int
	men                  store.Mention
}

func (p *pipeline) handle(raw []byte) error {
	it, _, ok, err := DecodeJet(raw)
	if err != nil {
		return fmt.Errorf("listen bench: %w", err)
	}
	if !ok {
		return nil
	}
	p.posts++
	p.hitBuf = p.m.Match(&it.Post, p.hitBuf[:0])
	if len(p.hitBuf) > 0 || p.scoreAll {
		p.men.Text = it.Text
		Score(&p.men, it.Lang)
	}
	if len(p.hitBuf) > 0 {
		p.matched++
		p.hits += len(p.hitBuf)
	}
	return nil
}

func benchWS(ctx context.Context, m *Matcher, o BenchOptions, newServer func([][]byte, int) BenchServer) (BenchWS, error) {
	events := GenerateFixture(o.WSEvents, 43, time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC))
	srv := newServer(events, o.Rate)
	defer srv.Close()
	conn, _, err := websocket.Dial(ctx, srv.Endpoint()+"?wantedCollections="+PostCollection, nil)
	if err != nil {
		return BenchWS{}, err
	}
	defer conn.CloseNow()
	p := pipeline{m: m, scoreAll: o.ScoreAll}
	delays := make([]float64, 0, len(events))
	var n atomic.Int64
	t0 := time.Now()
	for i := range events {
		_, raw, err := conn.Read(ctx)
		if err != nil {
			return BenchWS{}, fmt.Errorf("listen bench: websocket read %d: %w", i, err)
		}
		if err := p.handle(raw); err != nil {
			return BenchWS{}, err
		}
		if sent := srv.SentAt(i); sent > 0 {
			delays = append(delays, float64(time.Now().UnixNano()-sent)/1e6)
		}
		n.Add(1)
	}
	el := time.Since(t0).Seconds()
	slices.Sort(delays)
	q := func(f float64) float64 {
		if len(delays) == 0 {
			return 0
		}
		return delays[min(len(delays)-1, int(f*float64(len(delays))))]
	}
	return BenchWS{Events: len(events), Rate: o.Rate, EventsPerS: float64(n.Load()) / el,
		DelayP50MS: q(0.50), DelayP99MS: q(0.99), DelayMaxMS: delays[len(delays)-1]}, nil
}
