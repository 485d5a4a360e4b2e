package vimeo

import (
	"context"
	"testing"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/vimeo/vimeotest"
)

// BenchmarkTusUpload measures publishing a 32 MiB video through tus
// against the fake on loopback (8 MiB PATCHes, checkpoints around the
// create call): the connector's own cost, not Vimeo's.
func BenchmarkTusUpload(b *testing.B) {
	srv := vimeotest.New(b, vimeotest.Options{RateLimit: 1 << 30})
	var cp checkpoints
	env := cp.env()
	c, err := provider(srv).Open(env, network.Stored{Settings: map[string]string{"user_uri": vimeotest.UserURI}, Secrets: map[string]string{secretAccess: srv.Token()}})
	if err != nil {
		b.Fatal(err)
	}
	v := video(32 << 20)
	b.SetBytes(int64(len(v.Data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "bench", Media: []network.Media{v}}}}); err != nil {
			b.Fatal(err)
		}
	}
}
