package analytics

import (
	"math"
	"sort"
	"time"
)

// Buckets is the number of hour-of-week buckets (Monday 00:00 is bucket 0).
const Buckets = 168

// z10 is the standard normal's 10th percentile magnitude: the lower
// credible bound a recommended slot must clear (methods.md §3, rule 5).
const z10 = 1.2815515655446004

// erFloor keeps posts without any interaction in the outcome: y = ln(ER + erFloor).
const erFloor = 0.01

// minEffect is the smallest effect worth a recommendation: 10 % more
// engagement than the channel's typical post (ln 1.1). The lower-bound rule
// alone lets noise through when many slots are compared.
var minEffect = math.Log(1.1)

// minPrior is how many posts a pooled curve needs before it serves as a prior.
const minPrior = 3

// Observation is one post's outcome for the best-time model.
type Observation struct {
	ChannelID int64
	Network   string
	// At is the publishing time; its local hour of week is the bucket.
	At time.Time
	// Rate is the post's engagement rate in % (by reach, else by followers).
	Rate float64
}

// HourSlot is one hour-of-week bucket of a channel's model.
type HourSlot struct {
	// Bucket is the hour of week, 0 = Monday 00:00–01:00 local time.
	Bucket int `json:"bucket"`
	// Posts is how many of the channel's posts went out in the bucket.
	Posts int `json:"posts"`
	// Index is the estimated engagement relative to the channel's typical
	// post, in % (100 = typical): 100 × exp(θ̂), after shrinkage and smoothing.
	Index float64 `json:"index"`
	// Lower is the index at the 10th percentile of the posterior.
	Lower float64 `json:"lower"`
}

// ChannelBestTimes is a channel's heatmap and recommendation.
type ChannelBestTimes struct {
	ChannelID int64  `json:"channel_id"`
	Network   string `json:"network"`
	Posts     int    `json:"posts"`
	// Prior names what the channel was shrunk toward: "network" (the
	// workspace's other channels of the network), "workspace", or "channel".
	Prior string `json:"prior"`
	// Kappa is the shrinkage strength κ = σ²_within / τ²_between (posts' worth of prior).
	Kappa float64    `json:"kappa"`
	Slots []HourSlot `json:"slots"`
	// Recommended are the buckets whose lower bound beats the channel's
	// mean, best first, at most three; empty means no detectable timing effect.
	Recommended []int `json:"recommended"`
}

type bucketStats struct {
	n   [Buckets]int
	sum [Buckets]float64
}

func (b *bucketStats) add(k int, y float64) { b.n[k]++; b.sum[k] += y }

func (b *bucketStats) total() int {
	t := 0
	for _, n := range b.n {
		t += n
	}
	return t
}

// curve is the pooled mean per bucket, with zeros (the channel's own mean
// after centring) where a bucket has no post.
func (b *bucketStats) curve() [Buckets]float64 {
	var c [Buckets]float64
	for k := range c {
		if b.n[k] > 0 {
			c[k] = b.sum[k] / float64(b.n[k])
		}
	}
	return c
}

// BucketOf is the local hour of week of t: Monday 00:00 is 0. DST is
// handled by converting each time on its own.
func BucketOf(t time.Time, loc *time.Location) int {
	l := t.In(loc)
	day := (int(l.Weekday()) + 6) % 7
	return day*24 + l.Hour()
}

// BestTimes fits the best-time model of methods.md §3 per channel: the
// outcome y = ln(ER + 0.01) centred on the channel's median, 168 local
// hour-of-week buckets, normal–normal empirical-Bayes shrinkage toward the
// pooled curve of the workspace's other channels of the same network (else
// of all its other channels, else the channel's mean) with κ by the method
// of moments, a circular Gaussian smoothing (σ = 1 h), and the lower-bound
// rule. Channels come out in id order.
func BestTimes(obs []Observation, loc *time.Location) []ChannelBestTimes {
	if loc == nil {
		loc = time.UTC
	}
	byChannel := map[int64][]Observation{}
	for _, o := range obs {
		if o.Rate < 0 || math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0) {
			continue
		}
		byChannel[o.ChannelID] = append(byChannel[o.ChannelID], o)
	}
	// Centred outcomes per channel, and the pooled stats per network and overall.
	centred := map[int64][]float64{}
	stats := map[int64]*bucketStats{}
	network := map[int64]string{}
	for id, list := range byChannel {
		ys := make([]float64, len(list))
		for i, o := range list {
			ys[i] = math.Log(o.Rate + erFloor)
		}
		med := *median(ys)
		st := &bucketStats{}
		for i, o := range list {
			ys[i] -= med
			st.add(BucketOf(o.At, loc), ys[i])
		}
		centred[id], stats[id], network[id] = ys, st, list[0].Network
	}
	ids := make([]int64, 0, len(byChannel))
	for id := range byChannel {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]ChannelBestTimes, 0, len(ids))
	for _, id := range ids {
		var sameNet, others bucketStats
		for _, o := range ids {
			if o == id {
				continue
			}
			for k := range Buckets {
				others.n[k] += stats[o].n[k]
				others.sum[k] += stats[o].sum[k]
				if network[o] == network[id] {
					sameNet.n[k] += stats[o].n[k]
					sameNet.sum[k] += stats[o].sum[k]
				}
			}
		}
		var prior [Buckets]float64
		name := "channel"
		switch {
		case sameNet.total() >= minPrior:
			prior, name = sameNet.curve(), "network"
		case others.total() >= minPrior:
			prior, name = others.curve(), "workspace"
		}
		out = append(out, fitChannel(id, network[id], stats[id], centred[id], prior, name))
	}
	return out
}

// fitChannel shrinks one channel's bucket means toward the prior curve.
func fitChannel(id int64, net string, st *bucketStats, ys []float64, prior [Buckets]float64, priorName string) ChannelBestTimes {
	res := ChannelBestTimes{ChannelID: id, Network: net, Posts: len(ys), Prior: priorName, Slots: make([]HourSlot, Buckets), Recommended: []int{}}
	mean := 0.0
	for _, y := range ys {
		mean += y
	}
	mean /= float64(len(ys))
	// σ²_within: pooled variance of posts around their bucket's mean; with
	// no replicate in any bucket, the channel's variance.
	var ss float64
	used := 0
	for k := range Buckets {
		if st.n[k] > 0 {
			used++
		}
	}
	bucketMean := st.curve()
	var within float64
	if df := len(ys) - used; df > 0 {
		within = withinVariance(ys, st, bucketMean) / float64(df)
	} else {
		for _, y := range ys {
			ss += (y - mean) * (y - mean)
		}
		within = ss / math.Max(1, float64(len(ys)-1))
	}
	if within <= 0 {
		within = 1e-6
	}
	// τ² = max(0, Var_b(ȳ_b) − mean_b(σ²/n_b)) over the buckets with posts.
	var mb, vb, noise float64
	for k := range Buckets {
		if st.n[k] > 0 {
			mb += bucketMean[k]
			noise += within / float64(st.n[k])
		}
	}
	tau2 := 0.0
	if used > 1 {
		mb /= float64(used)
		for k := range Buckets {
			if st.n[k] > 0 {
				vb += (bucketMean[k] - mb) * (bucketMean[k] - mb)
			}
		}
		vb /= float64(used - 1)
		tau2 = math.Max(0, vb-noise/float64(used))
	}
	kappa := 1e9
	if tau2 > 0 {
		kappa = within / tau2
	}
	res.Kappa = math.Min(kappa, 1e9)
	var theta, variance, sd [Buckets]float64
	for k := range Buckets {
		n := float64(st.n[k])
		theta[k] = (n*bucketMean[k] + kappa*prior[k]) / (n + kappa)
		variance[k] = within / (n + kappa)
	}
	theta, variance = smooth(theta, 1), smooth(variance, 2)
	for k := range Buckets {
		sd[k] = math.Sqrt(variance[k])
	}
	for k := range Buckets {
		res.Slots[k] = HourSlot{Bucket: k, Posts: st.n[k], Index: 100 * math.Exp(theta[k]), Lower: 100 * math.Exp(theta[k]-z10*sd[k])}
	}
	var good []int
	for k := range Buckets {
		if theta[k]-z10*sd[k] > mean && theta[k]-mean >= minEffect {
			good = append(good, k)
		}
	}
	sort.Slice(good, func(i, j int) bool { return theta[good[i]] > theta[good[j]] })
	if len(good) > 3 {
		good = good[:3]
	}
	res.Recommended = append(res.Recommended, good...)
	return res
}

// withinVariance is Σ (y − ȳ_b)² from the bucket sums: Σy² − Σ n_b ȳ_b².
func withinVariance(ys []float64, st *bucketStats, bucketMean [Buckets]float64) float64 {
	var sq float64
	for _, y := range ys {
		sq += y * y
	}
	for k := range Buckets {
		sq -= float64(st.n[k]) * bucketMean[k] * bucketMean[k]
	}
	return math.Max(0, sq)
}

// smooth applies a circular Gaussian kernel (σ = 1 bucket, ±3 buckets),
// wrapping from Sunday 23:00 to Monday 00:00. With power 1 it averages
// estimates; with power 2 it gives the variance of that average of
// independent estimates from theirs (Σ w² var / (Σ w)²).
func smooth(v [Buckets]float64, power int) [Buckets]float64 {
	var w [4]float64
	var norm float64
	for d := range w {
		w[d] = math.Exp(-float64(d*d) / 2)
		if d == 0 {
			norm += w[d]
		} else {
			norm += 2 * w[d]
		}
	}
	if power == 2 {
		for d := range w {
			w[d] *= w[d]
		}
		norm *= norm
	}
	var out [Buckets]float64
	for k := range Buckets {
		s := w[0] * v[k]
		for d := 1; d < len(w); d++ {
			s += w[d] * (v[(k+d)%Buckets] + v[(k-d+Buckets)%Buckets])
		}
		out[k] = s / norm
	}
	return out
}
