package media_test

import (
	"fmt"
	"net/url"
	"time"

	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// A network that fetches media by URL (Instagram, Threads) gets a signed
// link to the rendition that fits its limits; the public handler verifies it.
func ExampleLibrary_SignedURL() {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	lib := &media.Library{SignKey: []byte("an example key of 32 bytes......"), BaseURL: "https://relais.example.com",
		Now: func() time.Time { return now }}
	photo := store.Media{ID: 42, Kind: store.MediaImage}
	rendition := media.RenditionName(photo, network.DefaultLimits[network.Instagram])
	link := lib.SignedURL(photo, rendition, 15*time.Minute)
	fmt.Println(link)

	u, _ := url.Parse(link)
	id, r, err := lib.VerifySigned(u.Path, u.Query())
	fmt.Println(id, r, err)

	now = now.Add(16 * time.Minute)
	_, _, err = lib.VerifySigned(u.Path, u.Query())
	fmt.Println(err)
	// Output:
	// https://relais.example.com/media/42/fit-8388608?exp=1777637700&sig=2a6b35a1c0d1b33c0e8965fa69f5a847d55aea4b0022227cfd1d6c291ea14238
	// 42 fit-8388608 <nil>
	// media: the signed URL has expired
}
