package textmodel

import (
	"math"
)

// Example is one training text: its features and its label (Class, exclusive
// labels) or labels (Set, one logistic per label).
type Example struct {
	Feats []Feature
	Class int
	Set   []int
}

// Options are the trainer's settings; the zero value is not usable, see DefaultOptions.
type Options struct {
	Bits   uint8   // 2^Bits feature buckets
	Epochs int     // passes over the examples
	Rate   float64 // AdaGrad learning rate
	L2     float64 // L2 penalty per update of a touched weight
	Seed   uint64  // order of the examples in each pass
	// LabelShift, when set, is added to each label's bias after training: for a Multi model a
	// positive shift lowers that label's threshold below one half (recall against precision);
	// for exclusive labels it favours that label in close calls.
	LabelShift []float64
}

// DefaultOptions are the common settings of the shipped models (each package adds its LabelShift).
var DefaultOptions = Options{Bits: 16, Epochs: 12, Rate: 0.3, L2: 1e-4, Seed: 20261206}

// Train fits a model by stochastic gradient descent with AdaGrad steps, in a
// fixed order drawn from o.Seed: the same examples and options always give the
// same model, byte for byte.
func Train(labels []string, multi bool, ex []Example, o Options) *Model {
	n := len(labels)
	if n == 0 || n > MaxLabels {
		panic("textmodel: 1 to 16 labels")
	}
	size := (1 << o.Bits) * n
	mask := uint32(1)<<o.Bits - 1
	w := make([]float64, size)
	g2 := make([]float64, size)
	bias := make([]float64, n)
	bg2 := make([]float64, n)
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	rng := o.Seed | 1
	next := func() uint64 { // xorshift64*
		rng ^= rng >> 12
		rng ^= rng << 25
		rng ^= rng >> 27
		return rng * 2685821657736338717
	}
	z := make([]float64, n)
	y := make([]float64, n)
	for range o.Epochs {
		for i := len(order) - 1; i > 0; i-- {
			j := int(next() % uint64(i+1))
			order[i], order[j] = order[j], order[i]
		}
		for _, k := range order {
			e := &ex[k]
			for c := range n {
				z[c] = bias[c]
				y[c] = 0
			}
			for _, f := range e.Feats {
				row := int(f.H&mask) * n
				for c := range n {
					z[c] += float64(w[row+c] * float64(f.V))
				}
			}
			if multi {
				for _, c := range e.Set {
					y[c] = 1
				}
				for c := range n {
					z[c] = 1/(1+exp(-z[c])) - y[c]
				}
			} else {
				y[e.Class] = 1
				mx := z[0]
				for _, v := range z[1:] {
					mx = max(mx, v)
				}
				sum := 0.0
				for c := range n {
					z[c] = exp(z[c] - mx)
					sum += z[c]
				}
				for c := range n {
					z[c] = z[c]/sum - y[c]
				}
			}
			// z now holds the gradient of the log-loss with respect to each score.
			for c := range n {
				g := z[c]
				bg2[c] += float64(g * g)
				bias[c] -= float64(o.Rate*g) / math.Sqrt(bg2[c]+1e-8)
			}
			for _, f := range e.Feats {
				row := int(f.H&mask) * n
				for c := range n {
					i := row + c
					g := float64(z[c]*float64(f.V)) + float64(o.L2*w[i])
					if g == 0 {
						continue
					}
					g2[i] += float64(g * g)
					w[i] -= float64(o.Rate*g) / math.Sqrt(g2[i]+1e-8)
				}
			}
		}
	}
	m := &Model{Labels: append([]string(nil), labels...), Multi: multi, Bits: o.Bits, bias: make([]float32, n), w: make([]int8, size)}
	maxAbs := 0.0
	for _, v := range w {
		maxAbs = max(maxAbs, math.Abs(v))
	}
	m.scale = float32(maxAbs / 127)
	if maxAbs == 0 {
		m.scale = 1
	}
	s := float64(m.scale)
	for i, v := range w {
		m.w[i] = int8(math.Max(-127, math.Min(127, math.Round(v/s))))
	}
	for c := range n {
		b := bias[c]
		if c < len(o.LabelShift) {
			b += o.LabelShift[c]
		}
		m.bias[c] = float32(b)
	}
	return m
}
