package snapchat

import "github.com/relais/relais/internal/network"

// PostOptions are Snapchat's choices: where the media goes (a Story for 24
// hours, a Saved Story kept on the profile, or Spotlight) and a Saved
// Story's title. The composer shows them (registered in init).
func PostOptions() []network.Field {
	return []network.Field{
		{Name: "placement", Label: "Post as", Type: network.FieldChoice, Options: []string{"story", "saved_story", "spotlight"}},
		{Name: "title", Label: "Saved Story title", Help: "At most 45 characters; empty: the text's first line"},
	}
}
