package listen

import (
	"testing"
	"time"
)

// BenchmarkPipeline is the per-event cost of decode, match (1,000 queries)
// and score; relais bench listen reports the same as events/s.
func BenchmarkPipeline(b *testing.B) {
	events := GenerateFixture(50_000, 42, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	p := pipeline{m: NewMatcher(BenchQueries(1000))}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := p.handle(events[i%len(events)]); err != nil {
			b.Fatal(err)
		}
	}
}
