package x

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/x/xtest"
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

func (s *saved) get() (map[string]string, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last, s.n
}

func testEnv(sv *saved) network.Env {
	env := network.Env{HTTP: &http.Client{Timeout: 10 * time.Second}}
	if sv != nil {
		env.SaveSecrets = sv.save
	}
	return env
}

func testProvider(srv *xtest.Server) Provider {
	return Provider{App: &App{ClientID: srv.ClientID(), APIURL: srv.URL}}
}

// open connects a connector to the fake with its first tokens, polling fast.
func open(t *testing.T, srv *xtest.Server, sv *saved) *Connector {
	t.Helper()
	access, refresh := srv.Tokens()
	c, err := testProvider(srv).Open(testEnv(sv), network.Stored{
		Settings: map[string]string{"user_id": srv.UserID(), "username": srv.Username()},
		Secrets:  map[string]string{secretAccess: access, secretRefresh: refresh},
	})
	if err != nil {
		t.Fatal(err)
	}
	xc := c.(*Connector)
	xc.pollEvery, xc.lookupEvery = time.Millisecond, time.Millisecond
	return xc
}

func classOf(t *testing.T, err error) network.Class {
	t.Helper()
	if err == nil {
		return ""
	}
	return network.ClassOf(err)
}
