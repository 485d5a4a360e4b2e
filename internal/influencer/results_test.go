package influencer

import "testing"

func TestCheckMove(t *testing.T) {
	for _, tc := range []struct {
		from, to string
		ok       bool
	}{
		{"shortlisted", "contacted", true},
		{"shortlisted", "contracted", true},
		{"contracted", "negotiating", true},
		{"live", "contacted", false},
		{"paid", "declined", false},
		{"negotiating", "declined", true},
		{"declined", "live", false},
		{"declined", "shortlisted", true},
		{"live", "bogus", false},
	} {
		if err := CheckMove(tc.from, tc.to); (err == nil) != tc.ok {
			t.Errorf("%s→%s: %v, want ok %v", tc.from, tc.to, err, tc.ok)
		}
	}
}

func TestEMV(t *testing.T) {
	c := Unknown
	c.Views, c.Likes, c.Comments, c.Shares = 10_000, 500, 40, 10
	// Instagram: views at its own CPM 7 (70), likes 0.05 (25), comments 0.5 (20), shares 1 (10).
	if got := EMV("instagram", c, DefaultEMV); got != 125 {
		t.Errorf("instagram EMV %v, want 125", got)
	}
	// Mastodon: the "*" CPM 5 for views (50) and the same action values.
	if got := EMV("mastodon", c, DefaultEMV); got != 105 {
		t.Errorf("mastodon EMV %v, want 105", got)
	}
	custom := []EMVRule{{"*", "likes", 1}}
	if got := EMV("instagram", c, custom); got != 500 {
		t.Errorf("custom EMV %v, want 500", got)
	}
	if err := CheckEMV([]EMVRule{{"myspace", "likes", 1}}); err == nil {
		t.Error("unknown network accepted")
	}
	if err := CheckEMV([]EMVRule{{"*", "likes", -1}}); err == nil {
		t.Error("negative value accepted")
	}
}

func TestResults(t *testing.T) {
	c := Unknown
	c.Likes, c.Comments, c.Clicks = 900, 100, 250
	r := Results{Counts: c, Cost: 500, Revenue: 1250}.Compute()
	if r.Interactions != 1000 || *r.CPE != 0.5 || *r.CPC != 2 || *r.ROI != 1.5 {
		t.Errorf("results %+v cpe %v cpc %v roi %v", r, *r.CPE, *r.CPC, *r.ROI)
	}
	r = Results{Counts: Unknown}.Compute()
	if r.CPE != nil || r.CPC != nil || r.ROI != nil {
		t.Errorf("no cost or counts: ratios must be unknown, got %+v", r)
	}
	if s := Unknown.Add(c); s.Likes != 900 || s.Views != -1 {
		t.Errorf("add %+v", s)
	}
}
