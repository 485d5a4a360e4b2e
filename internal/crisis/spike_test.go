package crisis

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var start = time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC) // a Monday

// weekly builds weeks×168 hours of counts from a per-hour-of-week mean with
// Poisson noise (or negative binomial with size r > 0), then the tested hour.
func weekly(seed uint64, weeks int, rate func(how int) float64, r float64, last int) Series {
	rng := rand.New(rand.NewPCG(seed, 1))
	var c []int
	for i := range weeks * WeekHours {
		mu := rate(i % WeekHours)
		if r > 0 {
			// Gamma–Poisson mixture: the negative binomial of size r.
			mu = gamma(rng, r) * mu / r
		}
		c = append(c, poisson(rng, mu))
	}
	return Series{Start: start, Counts: append(c, last)}
}

func poisson(rng *rand.Rand, mu float64) int {
	// Knuth's method is fine for the small means of these tests.
	l, k, p := math.Exp(-mu), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// gamma draws Gamma(shape, 1) (Marsaglia–Tsang; shape ≥ 1 in these tests).
func gamma(rng *rand.Rand, shape float64) float64 {
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if math.Log(rng.Float64()) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

func flat(mu float64) func(int) float64 { return func(int) float64 { return mu } }

// office: busy weekday mornings (Monday 9:00 is 20 an hour), quiet nights.
func office(how int) float64 {
	day, hour := how/24, how%24
	switch {
	case day < 5 && hour >= 9 && hour < 12:
		return 20
	case day < 5 && hour >= 8 && hour < 18:
		return 6
	}
	return 0.5
}

func TestSpike(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		s     Series
		spike bool
		model Model
	}{
		{"no spike: an ordinary hour", weekly(1, 8, flat(3), 0, 4), false, Poisson},
		{"a spike: 25 negatives where 3 are usual", weekly(2, 8, flat(3), 0, 25), true, Poisson},
		{"a low-count blip: 5 where there are none, p < 0.001 but under x_min", weekly(3, 8, flat(0.2), 0, 5), false, Poisson},
		// The tested hour is Monday 9:00 (hour 0 of week 9 = Monday 0:00, so pad 9 hours).
		{"weekly seasonality: Monday morning's usual 22 is no spike", seasonal(4, 22), false, Poisson},
		{"the same 22 at night is a spike", seasonalAt(5, 3, 22), true, Poisson},
		{"overdispersed history: negative binomial, 14 where 5 are usual is no spike", weekly(6, 8, flat(5), 1.5, 14), false, NegBinom},
		{"overdispersed history still alerts on a true spike", weekly(7, 8, flat(5), 1.5, 80), true, NegBinom},
		{"a silent hour: 9 negatives where there are none", weekly(8, 6, flat(0), 0, 9), true, Poisson},
	} {
		res, err := Test(tc.s, Config{})
		require.NoError(t, err, tc.name)
		if tc.name[:5] == "a low" {
			require.Less(t, res.P, 0.001, "the blip is improbable: only x_min keeps it quiet")
		}
		require.Equal(t, tc.spike, res.Spike, "%s: %s", tc.name, res)
		require.Equal(t, tc.model, res.Model, "%s: %s (r = %.2f)", tc.name, res, res.R)
		require.Equal(t, tc.s.Counts[len(tc.s.Counts)-1], res.Observed)
	}
}

// seasonal: 8 weeks of the office pattern, then Monday 9:00 with last negatives.
func seasonal(seed uint64, last int) Series { return seasonalAt(seed, 9, last) }

func seasonalAt(seed uint64, hour, last int) Series {
	s := weekly(seed, 8, office, 0, 0)
	// Replace the tested hour: extend the series to the wanted hour of Monday.
	s.Counts = s.Counts[:len(s.Counts)-1]
	rng := rand.New(rand.NewPCG(seed, 2))
	for h := range hour {
		s.Counts = append(s.Counts, poisson(rng, office(h)))
	}
	s.Counts = append(s.Counts, last)
	return s
}

func TestTestRefusesShortHistory(t *testing.T) {
	t.Parallel()
	_, err := Test(weekly(1, 3, flat(2), 0, 30), Config{})
	require.ErrorIs(t, err, ErrShortHistory)
	res, err := Test(weekly(1, 12, flat(2), 0, 30), Config{Weeks: 6})
	require.NoError(t, err)
	require.Equal(t, 6, res.Weeks, "only the configured weeks are read")
	require.Equal(t, start.Add(12*WeekHours*time.Hour), res.Hour)
}

func TestTestConfig(t *testing.T) {
	t.Parallel()
	s := weekly(9, 8, flat(1), 0, 6)
	res, err := Test(s, Config{MinCount: 5})
	require.NoError(t, err)
	require.True(t, res.Spike, "x_min lowered to 5: %s", res)
	res, err = Test(s, Config{MinCount: 5, Alpha: 1e-9})
	require.NoError(t, err)
	require.False(t, res.Spike, "a stricter alpha: %s", res)
}

func TestTrend(t *testing.T) {
	t.Parallel()
	// Negatives doubled over the last week: 8 an hour is the new normal.
	s := weekly(10, 8, flat(4), 0, 0)
	rng := rand.New(rand.NewPCG(10, 3))
	n := len(s.Counts) - 1
	for i := n - WeekHours; i < n; i++ {
		s.Counts[i] = poisson(rng, 8)
	}
	s.Counts[n] = 12
	res, err := Test(s, Config{})
	require.NoError(t, err)
	require.Greater(t, res.Trend, 1.5)
	require.False(t, res.Spike, "12 is ordinary after the trend: %s", res)
}

func TestPoissonTail(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		x    int
		mu   float64
		want float64
	}{
		{0, 3, 1},
		{1, 1, 1 - math.Exp(-1)},
		{3, 1, 0.0803013970713942},
		{5, 1, 1 - math.Exp(-1)*(1+1+1.0/2+1.0/6+1.0/24)},
		{10, 2, 4.649807501e-5},
		{2, 5, 1 - 6*math.Exp(-5)},
		{60, 3, 0}, // below 1e-50: checked by its order of magnitude below
	} {
		got := PoissonTail(tc.x, tc.mu)
		if tc.want == 0 {
			require.Less(t, got, 1e-50)
			require.Greater(t, got, 0.0)
			continue
		}
		require.InEpsilon(t, tc.want, got, 1e-9, "P(X ≥ %d | %g)", tc.x, tc.mu)
	}
	// The negative binomial's tail is heavier than Poisson's of the same mean
	// and tends to it as r grows.
	require.Greater(t, negBinomTail(15, 5, 2), PoissonTail(15, 5))
	require.InEpsilon(t, PoissonTail(15, 5), negBinomTail(15, 5, 1e7), 1e-4)
	// P(X ≥ 1) for NB(mean 2, r 1) = 1 − p^r = 1 − 1/3.
	require.InEpsilon(t, 2.0/3, negBinomTail(1, 2, 1), 1e-12)
}

// BenchmarkTest is one workspace's hourly check: 8 weeks of counts.
func BenchmarkTest(b *testing.B) {
	s := weekly(1, 8, office, 0, 25)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Test(s, Config{}); err != nil {
			b.Fatal(err)
		}
	}
}
