package youtube

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/youtube/youtubetest"
)

// saved records the secrets a connector persists after a refresh.
type saved struct {
	mu   sync.Mutex
	last map[string]string
	n    int
}

func (s *saved) save(_ context.Context, m map[string]string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last, s.n = m, s.n+1
	return nil
}

// checkpoints is a host's durable checkpoint table, shared by the
// connectors of successive "processes" in a test.
type checkpoints struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *checkpoints) env(env network.Env) network.Env {
	env.Checkpoint = func(_ context.Context, key string) (string, error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.m[key], nil
	}
	env.SetCheckpoint = func(_ context.Context, key, value string) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.m == nil {
			c.m = map[string]string{}
		}
		c.m[key] = value
		return nil
	}
	return env
}

func testEnv(sv *saved) network.Env {
	env := network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}}
	if sv != nil {
		env.SaveSecrets = sv.save
	}
	return env
}

func testProvider(srv *youtubetest.Server, q QuotaConfig) Provider {
	return Provider{App: &App{ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), APIURL: srv.URL, Quota: q}}
}

// open connects a connector to the fake with its first tokens, a fresh
// quota counter per test, and 256 KiB chunks.
func open(t *testing.T, srv *youtubetest.Server, env network.Env) *Connector {
	t.Helper()
	q := DefaultQuota()
	q.Costs["test:"+t.Name()] = 1 // a counter of its own: the quota is shared per project
	access, refresh := srv.Tokens()
	c, err := testProvider(srv, q).Open(env, network.Stored{
		Settings: map[string]string{"channel_id": youtubetest.ChannelID},
		Secrets:  map[string]string{secretAccess: access, secretRefresh: refresh},
	})
	if err != nil {
		t.Fatal(err)
	}
	yc := c.(*Connector)
	yc.chunkSize = chunkUnit
	return yc
}

// videoOf is a fake MP4 of n bytes.
func videoOf(n int, w, h int) network.Media {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return network.Media{MIME: "video/mp4", Data: b, Width: w, Height: h}
}
