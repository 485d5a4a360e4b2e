package textmodel

import (
	"math"
	"testing"
)

// TestExp: the trainer's portable exp agrees with the standard library's to
// within two units in the last place over the range training uses, and at
// the edges.
func TestExp(t *testing.T) {
	for _, x := range []float64{0, 1e-12, -1e-12, 0.5, -0.5, 1, -1, 2.302585092994046, 10, -10, 37.5, -37.5, 88, -88, 700, -700} {
		got, want := exp(x), math.Exp(x)
		if d := math.Abs(got-want) / want; d > 4.5e-16 {
			t.Errorf("exp(%g) = %.17g, math.Exp = %.17g (relative difference %.3g)", x, got, want, d)
		}
	}
	for x := -40.0; x <= 40; x += 0.0137 {
		got, want := exp(x), math.Exp(x)
		if d := math.Abs(got-want) / want; d > 4.5e-16 {
			t.Fatalf("exp(%g) = %.17g, math.Exp = %.17g (relative difference %.3g)", x, got, want, d)
		}
	}
	if exp(800) != math.Inf(1) || exp(-800) != 0 || !math.IsNaN(exp(math.NaN())) || exp(math.Inf(-1)) != 0 {
		t.Fatal("exp's edges: +Inf above overflow, 0 below underflow, NaN stays NaN")
	}
}
