package tiktok

import (
	"context"
	"fmt"
	"testing"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/tiktok/tiktoktest"
)

// BenchmarkPublishChunked publishes a 64 MB video in 10 MB chunks to the
// fake over loopback HTTP (init, 6 chunk PUTs, status polls): the
// connector's own cost per video, without TikTok's network or processing.
func BenchmarkPublishChunked(b *testing.B) {
	srv := tiktoktest.New(b, tiktoktest.Options{})
	c := open(&testing.T{}, srv, network.Env{}, false)
	c.chunkSize = DefaultChunkSize
	v := video(64 << 20)
	b.SetBytes(int64(len(v.Data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 && i%6 == 0 {
			srv = tiktoktest.New(b, tiktoktest.Options{}) // a fresh minute window of 6 inits
			c = open(&testing.T{}, srv, network.Env{}, false)
			c.chunkSize = DefaultChunkSize
		}
		_, err := c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: fmt.Sprint("b", b.N, "-", i), Parts: []network.Part{{Media: []network.Media{v}}}, Options: map[string]string{"privacy_level": "SELF_ONLY"}})
		if err != nil {
			b.Fatal(err)
		}
	}
}
