package publish

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// TestBuildRequestLanguage: the language sent is the composer's choice,
// else the one detected from the text, else none (never a wrong guess).
func TestBuildRequestLanguage(t *testing.T) {
	t.Parallel()
	french := "Notre nouvelle boutique ouvre ses portes demain matin, venez nous voir avec vos amis !"
	for _, tc := range []struct {
		name, options, variantText, postText, want string
	}{
		{"chosen wins over the text", `{"language":"de"}`, french, "", "de"},
		{"detected French", ``, french, "", "fr"},
		{"detected from the post's text", `{"visibility":"public"}`, "", french, "fr"},
		{"auto is detected", `{"language":"auto"}`, "", "We are opening the new shop tomorrow morning, come and see us with your friends!", "en"},
		{"German", ``, "Wir eröffnen morgen unseren neuen Laden und freuen uns auf euren Besuch!", "", "de"},
		{"nothing to go by", ``, "🎉🎉 #launch", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			j := store.PublishJob{PostText: tc.postText, Variant: store.Variant{Text: tc.variantText}}
			if tc.options != "" {
				j.Variant.Options = json.RawMessage(tc.options)
			}
			req, err := BuildRequest(context.Background(), j, nil)
			require.NoError(t, err)
			require.Equal(t, tc.want, req.Language)
		})
	}
}
