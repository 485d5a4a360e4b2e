package influencer

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// healthy is a micro influencer (~20k followers) growing about 50 a day,
// with varied engagement (~2.5% ER) and varied comments from varied people.
func healthy() History {
	r := rand.New(rand.NewPCG(1, 2))
	var h History
	f := int64(20_000)
	for d := range 30 {
		f += 40 + int64(r.IntN(20))
		h.Snapshots = append(h.Snapshots, Snapshot{At: t0.AddDate(0, 0, d), Followers: f, Following: 480 + int64(r.IntN(20)), Posts: 100 + int64(d/2)})
	}
	texts := []string{
		"Where did you buy that jacket? I have been looking for one like it",
		"This light in the photo is gorgeous, which lens do you use",
		"I tried the recipe yesterday and my kids loved it",
		"Can you share the route you took on this hike please",
		"Finally someone talks about the price of these shoes honestly",
		"The colours of the city at night are great in this series",
		"How long did the whole trip take you from the station",
		"I would love a tutorial on how you edit these pictures",
	}
	for i := range 15 {
		id := fmt.Sprintf("p%d", i)
		h.Posts = append(h.Posts, Post{ID: id, At: t0.AddDate(0, 0, 2*i), Likes: 350 + int64(r.IntN(300)), Comments: 10 + int64(r.IntN(20)), Shares: int64(r.IntN(15)),
			Text: "A day out in the hills with the new bag"})
		for k := range 4 {
			h.Comments = append(h.Comments, Comment{PostID: id, Author: fmt.Sprintf("user%d", r.IntN(500)), Text: texts[(i+k)%len(texts)] + fmt.Sprintf(" (%d)", i*4+k)})
		}
	}
	h.TargetLanguages = []string{"en"}
	h.BrandSafetyTerms = []string{"casino", "gambling"}
	return h
}

func component(s Score, key string) Component {
	for _, c := range s.Components {
		if c.Key == key {
			return c
		}
	}
	panic("no component " + key)
}

func TestComputeHealthy(t *testing.T) {
	s := Compute(healthy())
	if !s.Known || s.Partial || s.Score != 100 || s.Tier != "micro" {
		for _, c := range s.Components {
			t.Logf("%s %s %.2f %s", c.Key, c.Status, c.Severity, c.Reason)
		}
		t.Fatalf("healthy: score %d known %v partial %v tier %q, want 100, known, complete, micro", s.Score, s.Known, s.Partial, s.Tier)
	}
	for _, c := range s.Components {
		if c.Reason == "" {
			t.Errorf("%s has no reason", c.Key)
		}
	}
}

func TestComputeAnomalies(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(h *History)
		flag   string
		reason string
	}{
		{"bought-follower jump", func(h *History) {
			for i := 15; i < len(h.Snapshots); i++ {
				h.Snapshots[i].Followers += 5_000
			}
		}, "growth_anomaly", "jumped by +5"},
		{"sudden drop", func(h *History) {
			for i := 20; i < len(h.Snapshots); i++ {
				h.Snapshots[i].Followers -= 3_000
			}
		}, "growth_anomaly", "dropped by 29"},
		{"flat then spike engagement", func(h *History) {
			for i := range h.Posts {
				h.Posts[i].Likes, h.Posts[i].Comments, h.Posts[i].Shares = 400+int64(i%3), 20, 0
			}
			h.Posts[13].Likes = 9_000
			h.Posts[13].Comments = 200
		}, "engagement_consistency", "flat"},
		{"identical like counts", func(h *History) {
			for i := range h.Posts {
				h.Posts[i].Likes, h.Posts[i].Comments, h.Posts[i].Shares = 500, 20, 0
			}
		}, "engagement_consistency", "varies unnaturally little"},
		{"emoji-only comment pod", func(h *History) {
			h.Comments = nil
			for i := range 15 {
				for k, a := range []string{"ann", "bob", "cyd", "dee"} {
					h.Comments = append(h.Comments, Comment{PostID: fmt.Sprintf("p%d", i), Author: a, Text: []string{"🔥🔥🔥", "😍", "👏👏", "❤️"}[k]})
				}
			}
		}, "comment_quality", "emoji-only"},
		{"same commenters everywhere", func(h *History) {
			for i := range h.Comments {
				h.Comments[i].Author = fmt.Sprintf("pod%d", i%4)
			}
		}, "pod_signature", "engagement pod"},
		{"repeated comments", func(h *History) {
			for i := range h.Comments {
				h.Comments[i].Text = "Check out my profile for more great content"
			}
		}, "comment_quality", "repeats"},
		{"bought followers: low ER", func(h *History) {
			for i := range h.Snapshots {
				h.Snapshots[i].Followers *= 20
			}
		}, "tier_er", "below"},
		{"bought likes: few comments", func(h *History) {
			for i := range h.Posts {
				h.Posts[i].Likes *= 400
				h.Posts[i].Likes += int64(i * 1000)
				h.Posts[i].Comments = 1
			}
		}, "like_comment_ratio", "likes may be bought"},
		{"follow/unfollow waves", func(h *History) {
			for i := range h.Snapshots {
				if i%4 < 2 {
					h.Snapshots[i].Following = 3_000
				}
			}
		}, "following_churn", "mass follow"},
		{"off-language audience", func(h *History) {
			h.TargetLanguages = []string{"de"}
		}, "audience_language_fit", "only 0%"},
		{"brand-safety term", func(h *History) {
			h.Posts[3].Text = "Tonight at the Casino with friends"
		}, "brand_safety", `"casino" ×1`},
	}
	base := Compute(healthy())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := healthy()
			tc.mutate(&h)
			s := Compute(h)
			c := component(s, tc.flag)
			if c.Status != StatusFlag {
				t.Fatalf("%s not flagged: %s %q", tc.flag, c.Status, c.Reason)
			}
			if c.Severity < 0.5 || c.Severity > 1 {
				t.Errorf("severity %.2f outside [0.5, 1]", c.Severity)
			}
			if !strings.Contains(c.Reason, tc.reason) {
				t.Errorf("reason %q lacks %q", c.Reason, tc.reason)
			}
			if s.Score >= base.Score || s.Score < 0 {
				t.Errorf("score %d, want below the healthy %d", s.Score, base.Score)
			}
		})
	}
}

func TestComputeUnknown(t *testing.T) {
	// Nothing collected: no score at all, every component unknown.
	s := Compute(History{})
	if s.Known || s.Score != 0 || !s.Partial {
		t.Fatalf("empty history: %+v", s)
	}
	for _, c := range s.Components {
		if c.Status != StatusUnknown || c.Reason == "" {
			t.Errorf("%s: %s %q, want unknown with a reason", c.Key, c.Status, c.Reason)
		}
	}
	// Only posts and one snapshot: growth is unknown, never invented, and
	// the score stands on the rest and is marked partial.
	h := healthy()
	h.Snapshots = h.Snapshots[len(h.Snapshots)-1:]
	h.Comments = nil
	s = Compute(h)
	if !s.Known || !s.Partial || s.Score != 100 {
		t.Fatalf("partial history: score %d known %v partial %v", s.Score, s.Known, s.Partial)
	}
	for _, k := range []string{"growth_anomaly", "following_churn", "comment_quality", "pod_signature", "audience_language_fit"} {
		if c := component(s, k); c.Status != StatusUnknown {
			t.Errorf("%s is %s with no data", k, c.Status)
		}
	}
	// A growth flag weighs the same whatever else is unknown: the score is
	// relative to the known points.
	h.Snapshots = healthy().Snapshots
	for i := 15; i < len(h.Snapshots); i++ {
		h.Snapshots[i].Followers += 5_000
	}
	if s := Compute(h); s.Score >= 100 || !s.Partial {
		t.Errorf("jump on partial data: score %d partial %v", s.Score, s.Partial)
	}
}

func TestGenericComment(t *testing.T) {
	for text, want := range map[string]bool{
		"🔥🔥": true, "Nice pic!!": true, "MAGNIFIQUE 😍": true, "@bob mega": true, "love it 🔥": true,
		"Where is this place?": false, "Schöne Farben, welches Objektiv?": false,
	} {
		if got := GenericComment(text); got != want {
			t.Errorf("GenericComment(%q) = %v, want %v", text, got, want)
		}
	}
}

// BenchmarkCompute scores one account with 30 snapshots, 15 posts and 60 comments.
func BenchmarkCompute(b *testing.B) {
	h := healthy()
	for b.Loop() {
		Compute(h)
	}
}

// BenchmarkParseCSV parses a 1,000-row influencer list.
func BenchmarkParseCSV(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("name;instagram;mastodon;email;consent;tags\n")
	for i := range 1000 {
		fmt.Fprintf(&sb, "Person %d;person_%d;p%d@masto.example;p%d@example.com;oui;mode|lyon\n", i, i, i, i)
	}
	data := sb.String()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, bad, err := ParseCSV(strings.NewReader(data)); err != nil || len(bad) > 0 {
			b.Fatal(err, bad)
		}
	}
}
