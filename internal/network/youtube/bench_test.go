package youtube

import (
	"context"
	"testing"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/youtube/youtubetest"
)

// BenchmarkResumableUpload measures publishing a 32 MiB video through the
// resumable protocol against the fake on loopback (8 MiB chunks, a
// checkpoint before the first byte): the connector's own cost, not Google's.
func BenchmarkResumableUpload(b *testing.B) {
	srv := youtubetest.New(b, youtubetest.Options{UploadsPerDay: 1 << 30, DailyUnits: 1 << 30})
	var cp checkpoints
	q := DefaultQuota()
	q.Buckets["videos.insert"] = 1 << 30
	q.Costs["bench:"+b.Name()] = 1
	access, refresh := srv.Tokens()
	conn, err := testProvider(srv, q).Open(cp.env(testEnv(nil)), network.Stored{Settings: map[string]string{"channel_id": youtubetest.ChannelID},
		Secrets: map[string]string{secretAccess: access, secretRefresh: refresh}})
	if err != nil {
		b.Fatal(err)
	}
	c := conn.(*Connector)
	v := videoOf(32<<20, 1920, 1080)
	b.SetBytes(int64(len(v.Data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "bench", Media: []network.Media{v}}}}); err != nil {
			b.Fatal(err)
		}
	}
}
