package network_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
)

// TestEffectiveLimitsKeepTheName: limits read from a server replace the
// shipped ones but keep the network's display name, which messages quote.
func TestEffectiveLimitsKeepTheName(t *testing.T) {
	t.Parallel()
	fromServer := network.Limits{MaxText: 5000}
	got := network.Stored{Limits: &fromServer}.EffectiveLimits(network.Mastodon)
	require.Equal(t, 5000, got.MaxText)
	require.Equal(t, network.DefaultLimits[network.Mastodon].Name, got.Name)
	require.NotEmpty(t, got.Name)
	require.Equal(t, network.DefaultLimits[network.Website], network.Stored{}.EffectiveLimits(network.Website))
}
