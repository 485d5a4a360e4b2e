package contest

import (
	"math"
	"sort"
	"sync"
	"time"
)

// Anomaly scoring (methods.md §6): every vote counts and carries a score
// from 0 to 1 combined from independent signals, score = 1 − Π(1 − wᵢ); a
// vote scoring at least FlagThreshold is flagged with the signals' names,
// shown to the organiser and kept for the audit (flag, don't block).

// FlagThreshold is the score from which a vote is flagged.
const FlagThreshold = 0.5

// Signal weights.
var signalWeights = map[string]float64{
	"velocity":       0.4,  // the entry's votes this minute far above its EWMA baseline (Poisson tail)
	"net_block":      0.45, // many votes from one /24 or /64 within 10 minutes
	"device_cluster": 0.35, // one User-Agent in one block voting again and again
	"fixed_interval": 0.55, // the block's votes arrive at a fixed rhythm (a script)
	"disposable":     0.6,  // a throw-away mail domain
	"alias":          0.15, // a +tag or Gmail dots removed by normalisation
	"night":          0.1,  // 00:00–05:00 UTC
	"no_referrer":    0.1,  // the vote request came without a referrer
}

// Signals are what the request told about a vote.
type Signals struct {
	NoReferrer bool
	Disposable bool
	Alias      bool
}

// Scorer keeps the recent history the velocity and pattern signals need, per contest.
type Scorer struct {
	mu      sync.Mutex
	entries map[int64]*entryRate
	blocks  map[string]*blockHist
}

type entryRate struct {
	minute int64
	count  float64
	ewma   float64
	seen   int // minutes observed
}

type blockHist struct {
	times   []time.Time // last 32 vote times from the block
	devices map[string]int
	last    time.Time
}

const blockWindow = 10 * time.Minute

// Score scores a vote of entry from block and device at time at.
func (s *Scorer) Score(contestID, entryID int64, block, device string, at time.Time, sig Signals) (float64, []string) {
	var hits []string
	s.mu.Lock()
	if s.entries == nil {
		s.entries, s.blocks = map[int64]*entryRate{}, map[string]*blockHist{}
	}
	// Velocity: votes of the entry in the current minute against an EWMA of past minutes.
	er := s.entries[entryID]
	if er == nil {
		er = &entryRate{minute: at.Unix() / 60}
		s.entries[entryID] = er
	}
	if m := at.Unix() / 60; m > er.minute {
		for k := er.minute; k < m && k < er.minute+60; k++ {
			er.ewma = 0.7*er.ewma + 0.3*er.count
			er.count = 0
			er.seen++
		}
		er.minute = m
	}
	er.count++
	if er.seen >= 5 && er.count > er.ewma+4*math.Sqrt(er.ewma)+10 {
		hits = append(hits, "velocity")
	}
	// Network block and device.
	key := block
	bh := s.blocks[key]
	if bh == nil {
		if len(s.blocks) > 200_000 {
			for k, b := range s.blocks {
				if at.Sub(b.last) > blockWindow {
					delete(s.blocks, k)
				}
			}
		}
		bh = &blockHist{devices: map[string]int{}}
		s.blocks[key] = bh
	}
	if at.Sub(bh.last) > blockWindow {
		clear(bh.devices)
	}
	bh.last = at
	bh.times = append(bh.times, at)
	if len(bh.times) > 32 {
		bh.times = bh.times[len(bh.times)-32:]
	}
	recent := 0
	for _, t := range bh.times {
		if at.Sub(t) <= blockWindow {
			recent++
		}
	}
	if recent > 20 {
		hits = append(hits, "net_block")
	}
	bh.devices[device]++
	if bh.devices[device] > 5 {
		hits = append(hits, "device_cluster")
	}
	if fixedInterval(bh.times) {
		hits = append(hits, "fixed_interval")
	}
	s.mu.Unlock()

	if h := at.UTC().Hour(); h < 5 {
		hits = append(hits, "night")
	}
	if sig.NoReferrer {
		hits = append(hits, "no_referrer")
	}
	if sig.Disposable {
		hits = append(hits, "disposable")
	}
	if sig.Alias {
		hits = append(hits, "alias")
	}
	keep := 1.0
	for _, h := range hits {
		keep *= 1 - signalWeights[h]
	}
	score := math.Round((1-keep)*1000) / 1000
	if score < FlagThreshold {
		return score, nil
	}
	sort.Strings(hits)
	return score, hits
}

// fixedInterval reports whether the last 6 votes came at a steady rhythm:
// gaps of at least a second within 5% of their mean.
func fixedInterval(ts []time.Time) bool {
	if len(ts) < 6 {
		return false
	}
	ts = ts[len(ts)-6:]
	var gaps [5]float64
	mean := 0.0
	for i := range gaps {
		gaps[i] = ts[i+1].Sub(ts[i]).Seconds()
		mean += gaps[i] / 5
	}
	if mean < 1 {
		return false
	}
	for _, g := range gaps {
		if math.Abs(g-mean) > 0.05*mean {
			return false
		}
	}
	return true
}
