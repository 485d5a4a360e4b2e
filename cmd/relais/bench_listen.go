package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/listen/jetstreamtest"
)

// BenchListenCmd runs the listening benchmark.
type BenchListenCmd struct {
	Events   int  `name:"events" default:"200000" help:"Events of the generated Jetstream recording."`
	Queries  int  `name:"queries" default:"1000" help:"Listening queries every post is matched against."`
	Rate     int  `name:"rate" default:"20000" help:"Events per second the fake Jetstream sends in the WebSocket run (delay measure)."`
	WSEvents int  `name:"ws-events" default:"100000" help:"Events of the WebSocket run (0: skip it)."`
	ScoreAll bool `name:"score-all" help:"Score every post, not only the matched ones."`
	JSON     bool `name:"json" help:"Print the result as JSON."`
}

// Run runs the benchmark.
func (c *BenchListenCmd) Run(ctx context.Context) error {
	if err := checkRanges(
		flagRange{"--events", c.Events, 1, 10_000_000},
		flagRange{"--queries", c.Queries, 1, 100_000},
		flagRange{"--rate", c.Rate, 1, 10_000_000},
		flagRange{"--ws-events", c.WSEvents, 0, 10_000_000},
	); err != nil {
		return err
	}
	ws := c.WSEvents
	if ws == 0 {
		ws = -1
	}
	res, err := listen.Bench(ctx, listen.BenchOptions{Events: c.Events, Queries: c.Queries, Rate: c.Rate, WSEvents: ws, ScoreAll: c.ScoreAll},
		func(events [][]byte, rate int) listen.BenchServer {
			s := jetstreamtest.New(events)
			s.Rate = rate
			s.Hold = true
			s.TrackSent()
			return s
		})
	if err != nil {
		return err
	}
	if c.JSON {
		return json.NewEncoder(os.Stdout).Encode(res)
	}
	fmt.Printf("%d events (%d posts) against %d queries on %d core: %.0f events/s (%.0f per CPU-second), %.0f ns/event; %d posts matched (%d query hits)\n",
		res.Events, res.Posts, res.Queries, res.Cores, res.EventsPerS, res.EventsPerCPU, res.NsPerEvent, res.Matched, res.QueryHits)
	if res.WS != nil {
		fmt.Printf("websocket: %d events sent at %d/s, processed %.0f/s; delay p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
			res.WS.Events, res.WS.Rate, res.WS.EventsPerS, res.WS.DelayP50MS, res.WS.DelayP99MS, res.WS.DelayMaxMS)
	}
	return nil
}
