package media

import (
	"fmt"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// Severity says whether a problem blocks publishing.
type Severity string

// The severities.
const (
	// Blocking problems make the network refuse the item.
	Blocking Severity = "error"
	// Warning problems publish but deserve attention (missing alt text, automatic resizing).
	Warning Severity = "warning"
)

// Problem is one way an item does not fit a network, naming the network, the limit and the value.
type Problem struct {
	Network  network.Kind `json:"network"`
	Severity Severity     `json:"severity"`
	// Code is stable: media_unsupported, too_large, too_long, aspect_ratio, resized, alt_missing.
	Code    string `json:"code"`
	Limit   string `json:"limit,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// ratioRange is an accepted width/height range, inclusive.
type ratioRange struct {
	min, max           float64
	minLabel, maxLabel string
}

// ratioLimits are the networks' aspect-ratio rules per media kind, as data:
// a network changing a rule is a one-line change here.
var ratioLimits = map[network.Kind]map[store.MediaKind]ratioRange{
	network.Instagram: {
		store.MediaImage: {4.0 / 5, 1.91, "4:5", "1.91:1"},
		store.MediaVideo: {9.0 / 16, 16.0 / 9, "9:16", "16:9"},
	},
}

// ratioSlack absorbs rounding: 1080×1350 is 4:5 even if a pixel is cropped.
const ratioSlack = 0.01

// Check lists the problems of an item on a network with limits l; empty when it fits.
func Check(m store.Media, l network.Limits) []Problem {
	var out []Problem
	add := func(sev Severity, code, limit, value, format string, args ...any) {
		out = append(out, Problem{Network: l.Network, Severity: sev, Code: code, Limit: limit, Value: value,
			Message: fmt.Sprintf(format, args...)})
	}
	name := l.Name
	if name == "" {
		name = string(l.Network)
	}
	if l.MaxMedia == 0 {
		add(Blocking, "media_unsupported", "0", "", "%s does not accept media", name)
		return out
	}
	switch m.Kind {
	case store.MediaImage:
		if l.MaxImageBytes > 0 && m.Bytes > l.MaxImageBytes {
			add(Warning, "resized", human(l.MaxImageBytes), human(m.Bytes),
				"%s accepts images of at most %s; this one is %s and will be resized to fit", name, human(l.MaxImageBytes), human(m.Bytes))
		}
		if max(m.Width, m.Height) > MaxDimension {
			add(Warning, "resized", fmt.Sprintf("%d px", MaxDimension), fmt.Sprintf("%d×%d px", m.Width, m.Height),
				"Images go to %s at most %d px on the long side; this one is %d×%d and will be resized", name, MaxDimension, m.Width, m.Height)
		}
	case store.MediaGIF:
		if l.MaxImageBytes > 0 && m.Bytes > l.MaxImageBytes {
			add(Blocking, "too_large", human(l.MaxImageBytes), human(m.Bytes),
				"%s accepts GIFs of at most %s; this one is %s", name, human(l.MaxImageBytes), human(m.Bytes))
		}
	case store.MediaAudio:
		switch {
		case l.MaxAudioBytes == 0:
			add(Blocking, "audio", "", "audio", "%s does not take audio files", name)
		case m.Bytes > l.MaxAudioBytes:
			add(Blocking, "too_large", human(l.MaxAudioBytes), human(m.Bytes),
				"%s accepts audio files of at most %s; this one is %s", name, human(l.MaxAudioBytes), human(m.Bytes))
		}
	case store.MediaVideo:
		if l.MaxVideoBytes > 0 && m.Bytes > l.MaxVideoBytes {
			add(Blocking, "too_large", human(l.MaxVideoBytes), human(m.Bytes),
				"%s accepts videos of at most %s; this one is %s", name, human(l.MaxVideoBytes), human(m.Bytes))
		}
		if d := time.Duration(m.DurationMS) * time.Millisecond; l.MaxVideoSeconds > 0 && d > time.Duration(l.MaxVideoSeconds)*time.Second {
			add(Blocking, "too_long", fmt.Sprintf("%d s", l.MaxVideoSeconds), fmt.Sprintf("%.1f s", d.Seconds()),
				"%s accepts videos of at most %d seconds; this one lasts %.1f seconds", name, l.MaxVideoSeconds, d.Seconds())
		}
	}
	if r, ok := ratioLimits[l.Network][m.Kind]; ok && m.Width > 0 && m.Height > 0 {
		ratio := float64(m.Width) / float64(m.Height)
		if ratio < r.min-ratioSlack || ratio > r.max+ratioSlack {
			add(Blocking, "aspect_ratio", r.minLabel+" to "+r.maxLabel, fmt.Sprintf("%.2f:1", ratio),
				"%s accepts %ss with an aspect ratio from %s to %s; this one is %d×%d (%.2f:1)", name, m.Kind, r.minLabel, r.maxLabel, m.Width, m.Height, ratio)
		}
	}
	if m.AltText == "" {
		add(Warning, "alt_missing", "", "", "Add alt text so that people who cannot see the %s on %s know what it shows", m.Kind, name)
	}
	return out
}
