package listen_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/relais/relais/internal/listen"
)

// FuzzDecodeJet: any message decodes without panic; a post it reads names
// its author and links to bsky.app; on valid JSON it agrees with
// encoding/json about what is a post.
func FuzzDecodeJet(f *testing.F) {
	for _, raw := range listen.GenerateFixture(20, 3, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)) {
		f.Add(raw)
	}
	f.Add([]byte(`{"did":"x","time_us":1,"kind":"commit","commit":{"operation":"create","collection":"app.bsky.feed.post","rkey":"r","record":{"text":"\u00e9","facets":[{"index":{"byteStart":5,"byteEnd":2},"features":[{"$type":"app.bsky.richtext.facet#mention","did":"d"}]}]}}}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		it, _, ok, err := listen.DecodeJet(raw)
		if err != nil || !ok {
			return
		}
		if it.Network != "bluesky" || !strings.HasPrefix(it.URL, "https://bsky.app/profile/") || !strings.HasPrefix(it.RemoteID, "at://") {
			t.Fatalf("post read as %+v", it)
		}
		var ev listen.JetEvent
		if json.Unmarshal(raw, &ev) == nil {
			if _, std := ev.ToItem(); !std && ev.Commit != nil && ev.Commit.Record != nil {
				t.Fatalf("DecodeJet reads a post encoding/json does not: %s", raw)
			}
		}
	})
}
