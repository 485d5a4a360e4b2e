package x

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/x/xtest"
)

// TestPublicProfile reads another account on the fake: its counts through
// user lookup and its latest posts with their public metrics; an unknown
// username is not found and a malformed one is refused before any call.
func TestPublicProfile(t *testing.T) {
	t.Parallel()
	srv := xtest.New(t, xtest.Options{})
	first := srv.AddPost("globex", "Spring drop #sneakers", "")
	second := srv.AddPost("globex", "Thanks for 1k!", "")
	srv.SetUserFollowers("globex", 4200)
	srv.SetMetrics(second, 120, 30, 12, 3, 9000)
	c := open(t, srv, nil)
	ctx := context.Background()

	p, err := c.PublicProfile(ctx, "@Globex", 10)
	if err != nil {
		t.Fatal(err)
	}
	if p.Handle != "globex" || p.Followers != 4200 || p.Posts != 2 || p.URL != "https://x.com/globex" {
		t.Fatalf("profile: %+v", p)
	}
	if len(p.Recent) != 2 || p.Recent[0].ID != second || p.Recent[1].ID != first {
		t.Fatalf("recent posts, newest first: %+v", p.Recent)
	}
	if r := p.Recent[0]; r.Likes != 120 || r.Comments != 12 || r.Shares != 33 || r.Views != 9000 || !strings.HasSuffix(r.URL, "/globex/status/"+second) {
		t.Fatalf("metrics: %+v", r)
	}
	if _, err := c.PublicProfile(ctx, "nobody_here", 5); !errors.Is(err, network.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	before := len(srv.Requests())
	if _, err := c.PublicProfile(ctx, "not a name", 5); err == nil || !strings.Contains(err.Error(), "not a username") {
		t.Fatalf("malformed: %v", err)
	}
	if len(srv.Requests()) != before {
		t.Fatal("a malformed username is refused before any call")
	}
}
