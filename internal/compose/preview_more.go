package compose

import "github.com/relais/relais/internal/network"

// How SoundCloud (a track: one audio file and its artwork) and Snapchat
// (one image or video, full screen) lay a post out; added apart so the
// table above stays as it is.
func init() {
	previewRules[network.SoundCloud] = previewRule{MaxVisible: 1}
	previewRules[network.Snapchat] = previewRule{MaxVisible: 1}
}
