package media_test

import (
	"fmt"
	"time"

	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// A network that fetches media by URL (Instagram, Threads) gets a signed
// link to the rendition that fits its limits; the public handler verifies it
// against the stored item (workspace, id, content hash) with OpenSigned.
func ExampleLibrary_SignedURL() {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	lib := &media.Library{SignKey: []byte("an example key of 32 bytes......"), BaseURL: "https://relais.example.com",
		Now: func() time.Time { return now }}
	photo := store.Media{ID: 42, WorkspaceID: 7, Kind: store.MediaImage,
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	rendition := media.RenditionName(photo, network.DefaultLimits[network.Instagram])
	fmt.Println(lib.SignedURL(photo, rendition, 15*time.Minute))
	// Output:
	// https://relais.example.com/media/42/fit-8388608?exp=1777637700&sig=6af8e286ca5cc9dea90df61d750307629c2aa69da59aec933d531932b2dee0e4
}
