package bluesky

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
)

// TestE2EPostLanguage: the publishing engine's request carries the post's
// language into the record's langs on the PDS: detected from a French text,
// or as chosen in the composer; a text with no language evidence has none.
func TestE2EPostLanguage(t *testing.T) {
	t.Parallel()
	a := newE2EAccount(t)
	conn, _ := connectE2E(t, a, newE2EEnv())
	for i, tc := range []struct {
		name, options, text string
		want                []string
	}{
		{"detected", ``, "Notre nouvelle boutique ouvre ses portes demain matin, venez nous voir !", []string{"fr"}},
		{"chosen", `{"language":"de"}`, "Unser neuer Laden öffnet morgen früh, kommt vorbei!", []string{"de"}},
		{"unknown", ``, "🎉🎉🎉", nil},
	} {
		job := store.PublishJob{Publication: store.Publication{IdempotencyKey: randomHex(8), CreatedAt: time.Now().Add(time.Duration(i) * time.Second)},
			Variant: store.Variant{Text: tc.text}}
		if tc.options != "" {
			job.Variant.Options = []byte(tc.options)
		}
		req, err := publish.BuildRequest(context.Background(), job, nil)
		require.NoError(t, err)
		res, err := conn.Publish(context.Background(), req)
		require.NoError(t, err, tc.name)
		rec, _ := storedRecord(t, a, res.Parts[0].ID)
		require.Equal(t, tc.want, rec.Langs, tc.name)
	}
}

// TestE2ELinkWithImagesGoesInTheText: a post with images has no room for a
// link card, so the link is sent in the text (with its link facet) rather
// than lost, as the composer counts it.
func TestE2ELinkWithImagesGoesInTheText(t *testing.T) {
	t.Parallel()
	a := newE2EAccount(t)
	conn, _ := connectE2E(t, a, newE2EEnv())
	link := "https://example.com/winter"
	res, err := conn.Publish(context.Background(), network.PublishRequest{
		IdempotencyKey: randomHex(8), CreatedAt: time.Now(),
		Parts: []network.Part{{Text: "New coats", Link: link, Media: []network.Media{{MIME: "image/png", Data: pngBytes(t, 32, 24, false), AltText: "a coat"}}}},
	})
	require.NoError(t, err)
	rec, _ := storedRecord(t, a, res.Parts[0].ID)
	require.Equal(t, "New coats\n\n"+link, rec.Text)
	require.Equal(t, "app.bsky.embed.images", rec.Embed.Type)
	require.Len(t, rec.Facets, 1)
	require.Equal(t, link, rec.Facets[0].Features[0].URI)
}
