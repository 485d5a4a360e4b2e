package feedback

import (
	"slices"
	"testing"

	"github.com/relais/relais/internal/textmodel"
	"github.com/stretchr/testify/require"
)

// TestEmbeddedModel checks that the shipped weights are what the trainer
// (internal/sentiment: go generate, ./train -write) makes of the corpus minus the
// held-out round: training is deterministic, so a cue or corpus change without retraining fails here.
func TestEmbeddedModel(t *testing.T) {
	t.Parallel()
	rows, err := textmodel.ReadBrand(brandDir)
	require.NoError(t, err)
	rows = slices.DeleteFunc(rows, func(r textmodel.BrandRow) bool { return r.Round == textmodel.HeldOut })
	want, err := TrainModel(BrandExamples(rows), TrainOptions).MarshalBinary()
	require.NoError(t, err)
	got, err := textmodel.Decompress(modelData)
	require.NoError(t, err)
	require.True(t, slices.Equal(want, got), "embedded model differs from the trainer's output: run go generate ./internal/sentiment")
	require.NotNil(t, EmbeddedModel())
}
