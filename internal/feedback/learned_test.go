package feedback

import (
	"testing"

	"github.com/relais/relais/internal/textmodel"
	"github.com/stretchr/testify/require"
)

// TestEmbeddedModel checks the shipped weights against the trainer's output
// (internal/sentiment: go generate), as the sentiment package's test does.
func TestEmbeddedModel(t *testing.T) {
	t.Parallel()
	require.NoError(t, textmodel.SameAsTrained(brandDir, modelData, func(rows []textmodel.BrandRow) *textmodel.Model {
		return TrainModel(BrandExamples(rows), TrainOptions)
	}))
	require.NotNil(t, EmbeddedModel())
}
