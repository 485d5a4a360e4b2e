// Package crisis owns the crisis early warning: a statistical spike test on
// a workspace's hourly count of negative messages against an hour-of-week
// baseline (methods.md §4), the terms that spike with it, and the alerts
// (in-app, e-mail, webhook alert.crisis). The test is pure: it reads a
// series of counts and texts supplied by the inbox. See docs/inbox-rules.md.
package crisis

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// WeekHours is the length of the seasonal cycle: one week of hours.
const WeekHours = 168

// Config tunes the spike test; the zero value takes the defaults.
type Config struct {
	// Weeks of history read for the baseline (default 8; at least MinWeeks
	// must be present to test at all).
	Weeks int
	// MinCount is x_min: fewer negatives than this in the hour never alert,
	// however unusual (default 8), so 1 → 3 is not a crisis.
	MinCount int
	// Alpha is the tail probability below which the hour is a spike (default 0.001).
	Alpha float64
}

// MinWeeks is the shortest history the test runs on.
const MinWeeks = 4

func (c Config) withDefaults() Config {
	if c.Weeks <= 0 {
		c.Weeks = 8
	}
	if c.Weeks < MinWeeks {
		c.Weeks = MinWeeks
	}
	if c.MinCount <= 0 {
		c.MinCount = 8
	}
	if c.Alpha <= 0 {
		c.Alpha = 0.001
	}
	return c
}

// Series is hourly counts: Counts[i] is the count of the hour starting at
// Start + i hours; the last one is the hour under test (it may be the hour
// in progress: tested against a whole hour's expectation, it can only alert
// later, never falsely).
type Series struct {
	Start  time.Time
	Counts []int
}

// Model names the count model the test used.
type Model string

// The count models.
const (
	Poisson  Model = "poisson"
	NegBinom Model = "negative_binomial"
)

// Verdict is the spike test on the last hour of a series.
type Verdict struct {
	Hour     time.Time `json:"hour"`
	Observed int       `json:"observed" doc:"Negative messages in the hour"`
	// Expected is μ_t = Median × Trend (at least MinExpected).
	Expected float64 `json:"expected" doc:"Baseline: median of the same hour of week over the history, times the trend factor"`
	Median   float64 `json:"median"`
	Trend    float64 `json:"trend" doc:"Mean of the last 7 days over the mean of the whole history, between 0.5 and 2"`
	Model    Model   `json:"model" enum:"poisson,negative_binomial"`
	// R is the negative binomial's size (Var = μ + μ²/R); 0 for Poisson.
	R float64 `json:"r"`
	// P is P(X ≥ Observed | Expected) under Model.
	P     float64 `json:"p"`
	Z     float64 `json:"z" doc:"(observed − expected) / √variance"`
	Weeks int     `json:"weeks" doc:"Weeks of history used"`
	Spike bool    `json:"spike"`
}

// MinExpected floors μ: an hour of week that was always silent is read as
// half a message per hour, so its first few messages are not infinitely unlikely.
const MinExpected = 0.5

// ErrShortHistory: the series holds less than MinWeeks weeks before the hour under test.
var ErrShortHistory = errors.New("crisis: fewer than 4 weeks of history")

// Test runs the spike test on the last hour of s.
//
// Baseline: μ = median of the same hour of week over the last Weeks weeks ×
// trend, trend = clamp(mean hourly count of the last 7 days / mean hourly
// count of the whole history, 0.5, 2). Count model: Poisson unless the
// history is overdispersed (pooled variance/mean over the 168 hour-of-week
// buckets above 1.5), then negative binomial with R fitted by moments on the
// buckets: 1/R = Σ(var_b − mean_b) / Σ mean_b². Spike when
// P(X ≥ x | μ) < Alpha and x ≥ MinCount.
func Test(s Series, cfg Config) (Verdict, error) {
	cfg = cfg.withDefaults()
	n := len(s.Counts)
	weeks := min(cfg.Weeks, (n-1)/WeekHours)
	if weeks < MinWeeks {
		return Verdict{}, ErrShortHistory
	}
	t := n - 1
	x := s.Counts[t]
	hist := s.Counts[t-weeks*WeekHours : t]
	same := make([]float64, weeks)
	for k := 1; k <= weeks; k++ {
		same[k-1] = float64(s.Counts[t-k*WeekHours])
	}
	med := median(same)
	all, last := mean(hist), mean(hist[len(hist)-WeekHours:])
	trend := 1.0
	if all > 0 {
		trend = min(max(last/all, 0.5), 2)
	}
	mu := max(med*trend, MinExpected)
	r := dispersion(hist, weeks)
	res := Verdict{Hour: s.Start.Add(time.Duration(t) * time.Hour).UTC(), Observed: x, Expected: mu, Median: med, Trend: trend, Weeks: weeks}
	variance := mu
	if r > 0 {
		res.Model, res.R = NegBinom, r
		res.P = negBinomTail(x, mu, r)
		variance = mu + mu*mu/r
	} else {
		res.Model = Poisson
		res.P = PoissonTail(x, mu)
	}
	res.Z = (float64(x) - mu) / math.Sqrt(variance)
	res.Spike = res.P < cfg.Alpha && x >= cfg.MinCount
	return res, nil
}

// dispersion fits the negative binomial's R on the hour-of-week buckets of
// hist (weeks × 168 counts); 0 means Poisson fits.
func dispersion(hist []int, weeks int) float64 {
	var sumVar, sumMean, sumMean2 float64
	for b := range WeekHours {
		vals := make([]float64, weeks)
		for k := range weeks {
			vals[k] = float64(hist[k*WeekHours+b])
		}
		m := mean(vals)
		if m == 0 {
			continue
		}
		var v float64
		for _, x := range vals {
			v += (x - m) * (x - m)
		}
		v /= float64(weeks - 1)
		sumVar += v
		sumMean += m
		sumMean2 += m * m
	}
	if sumMean == 0 || sumVar/sumMean <= 1.5 || sumVar <= sumMean {
		return 0
	}
	return sumMean2 / (sumVar - sumMean)
}

func mean[T int | float64](xs []T) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += float64(x)
	}
	return s / float64(len(xs))
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// PoissonTail is P(X ≥ x) for X ~ Poisson(mu).
func PoissonTail(x int, mu float64) float64 {
	if x <= 0 {
		return 1
	}
	if mu <= 0 {
		return 0
	}
	logPMF := func(k int) float64 {
		lg, _ := math.Lgamma(float64(k) + 1)
		return float64(k)*math.Log(mu) - mu - lg
	}
	return tail(x, mu, logPMF)
}

// negBinomTail is P(X ≥ x) for the negative binomial of mean mu and size r
// (Var = mu + mu²/r).
func negBinomTail(x int, mu, r float64) float64 {
	if x <= 0 {
		return 1
	}
	p := r / (r + mu)
	lgr, _ := math.Lgamma(r)
	logPMF := func(k int) float64 {
		a, _ := math.Lgamma(float64(k) + r)
		b, _ := math.Lgamma(float64(k) + 1)
		return a - lgr - b + r*math.Log(p) + float64(k)*math.Log1p(-p)
	}
	return tail(x, mu, logPMF)
}

// tail is P(X ≥ x) for a count distribution of mean mu given its log pmf:
// below the mean 1 − P(X < x), summed directly (the tail is large); above
// it the terms from x upwards until they no longer count, so tiny tails
// keep their precision.
func tail(x int, mu float64, logPMF func(k int) float64) float64 {
	if float64(x) <= mu {
		var below float64
		for k := range x {
			below += math.Exp(logPMF(k))
		}
		return min(max(1-below, 0), 1)
	}
	var sum float64
	for k := x; k < x+100000; k++ {
		term := math.Exp(logPMF(k))
		sum += term
		if term < sum*1e-16 || term == 0 {
			break
		}
	}
	return min(sum, 1)
}

// String says the verdict in one line, for logs and alert texts.
func (r Verdict) String() string {
	return fmt.Sprintf("%d negative messages in the hour from %s, %.1f expected (%s, p = %.2g)", r.Observed, r.Hour.Format("2006-01-02 15:04 MST"), r.Expected, r.Model, r.P)
}
