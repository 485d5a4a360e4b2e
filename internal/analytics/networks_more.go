package analytics

import "github.com/relais/relais/internal/network"

// SoundCloud and Snapchat read account counts too (followers, subscribers);
// added apart so the list above stays as it is.
func init() {
	metricNetworks = append(metricNetworks, network.SoundCloud, network.Snapchat)
}
