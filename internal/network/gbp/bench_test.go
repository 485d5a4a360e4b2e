package gbp

import (
	"context"
	"strconv"
	"testing"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/gbp/gbptest"
)

// BenchmarkPublishEvent publishes event posts with a button to the fake over
// loopback HTTP: the connector's own cost per local post.
func BenchmarkPublishEvent(b *testing.B) {
	srv := gbptest.New(b, gbptest.Options{})
	access, _ := srv.Tokens()
	conn, err := testProvider(srv).Open(testEnv(nil), network.Stored{Settings: map[string]string{"account": gbptest.AccountName, "location": "locations/4242"}, Secrets: map[string]string{"access_token": access}})
	if err != nil {
		b.Fatal(err)
	}
	opts := map[string]string{"topic_type": "EVENT", "event_title": "Dégustation", "event_start": "2026-12-24 18:00", "event_end": "2026-12-24 21:00", "cta": "BOOK", "cta_url": "https://example.com/book"}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := conn.Publish(ctx, network.PublishRequest{IdempotencyKey: strconv.Itoa(i), Options: opts, Parts: []network.Part{{Text: "Soirée " + strconv.Itoa(i)}}}); err != nil {
			b.Fatal(err)
		}
	}
}
