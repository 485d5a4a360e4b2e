package network

// The networks added with their own entry so the alignment of
// DefaultLimits stays as it is (see docs/channels.md for the sources).
func init() {
	// SoundCloud: one track per post, an audio file of at most 4 GB
	// (Upload Requirements) and an optional image as its artwork; the text is
	// the description (no documented limit) and the title at most 100
	// characters (checked by the connector).
	DefaultLimits[SoundCloud] = Limits{Network: SoundCloud, Name: "SoundCloud", TextUnit: Runes, MaxText: 0, MaxMedia: 2, AudioRequired: true,
		MaxAudioBytes: 4 << 30, MaxImageBytes: 20 << 20, FirstComment: true}
	// Snapchat Public Profiles: exactly one JPEG/PNG image or MP4 video per
	// post; a Spotlight's description is at most 160 characters
	// (unconfirmed: partners' docs; the connector checks the Saved Story
	// title's 45); image 20 MB, video 500 MB and 60 s (unconfirmed).
	DefaultLimits[Snapchat] = Limits{Network: Snapchat, Name: "Snapchat", TextUnit: Runes, MaxText: 160, MaxMedia: 1, MediaRequired: true,
		MaxImageBytes: 20 << 20, MaxVideoBytes: 500 << 20, MaxVideoSeconds: 60}
}
