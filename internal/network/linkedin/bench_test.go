package linkedin

import (
	"context"
	"strconv"
	"testing"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/linkedin/linkedintest"
)

// BenchmarkPublishText publishes text posts to the fake over loopback HTTP
// (one POST /rest/posts each, with the attempt recorded in memory): the
// connector's own cost per post, network latency aside.
func BenchmarkPublishText(b *testing.B) {
	srv := linkedintest.New(b, linkedintest.Options{})
	access, _ := srv.Tokens()
	conn, err := testProvider(srv, "").Open(testEnv(nil), network.Stored{Settings: map[string]string{"as": AsOrganization, "author": "urn:li:organization:2414183"}, Secrets: map[string]string{"access_token": access}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := conn.Publish(ctx, network.PublishRequest{IdempotencyKey: strconv.Itoa(i), Parts: []network.Part{{Text: "Portes ouvertes (samedi) #coop " + strconv.Itoa(i)}}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEscapeText escapes a 3,000-character commentary.
func BenchmarkEscapeText(b *testing.B) {
	s := ""
	for len([]rune(s)) < 3000 {
		s += "Nouveautés (enfin) : 50% *today* #bakery @shop "
	}
	s = string([]rune(s)[:3000])
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = EscapeText(s)
	}
}
