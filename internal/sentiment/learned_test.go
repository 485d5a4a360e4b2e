package sentiment

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/relais/relais/internal/textmodel"
	"github.com/stretchr/testify/require"
)

// TestEmbeddedModel checks that the shipped weights are what the trainer
// (go generate, ./train -write) makes of the corpus minus the held-out round:
// training is deterministic, so a rule or corpus change without retraining fails here.
func TestEmbeddedModel(t *testing.T) {
	t.Parallel()
	require.NoError(t, textmodel.SameAsTrained(filepath.Join("testdata", "brand"), modelData, func(rows []textmodel.BrandRow) *textmodel.Model {
		require.Greater(t, len(rows), 3000)
		ex, err := TrainingExamples(rows, filepath.Join("testdata", "dev"))
		require.NoError(t, err)
		return TrainModel(ex, TrainOptions)
	}))
	require.NotNil(t, EmbeddedModel())
}

func TestLearnedLayer(t *testing.T) {
	t.Parallel()
	// No word: the rules' emoji scores decide, and the model adds no driver.
	for _, s := range []string{"", "😍😍", "🙄", "?"} {
		require.Equal(t, AnalyzeModel(nil, s, "en"), Analyze(s, "en"), s)
	}
	// When the model overrules the rules, the compound stays inside the label's band and a
	// "(model)" driver says so.
	rows, err := textmodel.ReadBrand(filepath.Join("testdata", "brand"))
	require.NoError(t, err)
	overruled := 0
	for _, r := range rows {
		rules, full := AnalyzeModel(nil, r.Text, r.Lang), Analyze(r.Text, r.Lang)
		require.Equal(t, full.Label, labelFor(full.Compound), r.Text)
		if rules.Label != full.Label {
			overruled++
			if d := full.Drivers; len(d) == 0 || d[len(d)-1].Word != "(model)" {
				// Only a tie between positive and negative adds none (|P(pos) − P(neg)| < 0.0005,
				// which rounds to at most 0.0005 in the compound) or the compound is the cut-off.
				c := math.Abs(full.Compound)
				require.True(t, c <= 0.0005 || math.Abs(c-labelCutoff) < 1e-9, "no (model) driver: %q", r.Text)
			}
		} else {
			require.Equal(t, rules, full, r.Text)
		}
	}
	require.NotZero(t, overruled)
}
