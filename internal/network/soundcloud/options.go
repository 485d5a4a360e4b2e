package soundcloud

import "github.com/relais/relais/internal/network"

// PostOptions are the SoundCloud choices of a track beyond its text (the
// description) and media (the audio and the artwork): its title (else the
// text's first line), tags, sharing, whether it can be downloaded, and its
// license. The composer shows them (registered in init).
func PostOptions() []network.Field {
	return []network.Field{
		{Name: "title", Label: "Title", Help: "At most 100 characters; empty: the text's first line"},
		{Name: "tags", Label: "Tags", Help: "Separated by commas"},
		{Name: "sharing", Label: "Sharing", Type: network.FieldChoice, Options: []string{"public", "private"}},
		{Name: "downloadable", Label: "Downloadable", Type: network.FieldChoice, Options: []string{"false", "true"}},
		{Name: "license", Label: "License", Type: network.FieldChoice, Options: []string{"all-rights-reserved", "cc-by", "cc-by-sa", "cc-by-nc", "cc-by-nd", "cc-by-nc-sa", "cc-by-nc-nd", "no-rights-reserved"}},
	}
}
