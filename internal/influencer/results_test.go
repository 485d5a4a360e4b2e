package influencer

import (
	"bytes"
	"html"
	"strings"
	"testing"
	"time"
)

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

func sampleResults() CampaignResults {
	c := Unknown
	c.Likes, c.Comments, c.Views, c.Clicks = 900, 100, 20_000, 40
	r := Results{Counts: c, Cost: 500, Revenue: 800}.Compute()
	cr := CampaignResults{Currency: "EUR", EMVRules: DefaultEMV, Rows: []DealResult{{Influencer: "=Léa", Network: "instagram", Results: r}}, Total: r}
	cr.Campaign.Name = "Été"
	return cr
}

func TestReports(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, lang := range ReportLangs {
		var csvOut, htmlOut, pdfOut bytes.Buffer
		if err := WriteCSV(&csvOut, sampleResults(), lang); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(csvOut.String()), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], ReportLabel(lang, "influencer")+",") {
			t.Fatalf("%s csv: %q", lang, csvOut.String())
		}
		// A formula-like name is neutralised; ROI 0.6, CPC 12.5, unknown reach "-".
		if !strings.HasPrefix(lines[1], "'=Léa,instagram,-,20000,1000,40,-,500.00,800.00,") || !strings.HasSuffix(lines[1], ",0.50,12.50,0.60") {
			t.Errorf("%s csv row: %q", lang, lines[1])
		}
		if err := WriteHTML(&htmlOut, sampleResults(), lang, now); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(htmlOut.String(), html.EscapeString(ReportLabel(lang, "def_roi"))) || !strings.Contains(htmlOut.String(), "=Léa") {
			t.Errorf("%s html lacks the definitions or the row", lang)
		}
		if err := WritePDF(&pdfOut, sampleResults(), lang, "Agence", now); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(pdfOut.Bytes(), []byte("%PDF-")) || pdfOut.Len() < 1000 {
			t.Errorf("%s pdf: %d bytes", lang, pdfOut.Len())
		}
	}
	if ReportLabel("fr", "revenue") == ReportLabel("en", "revenue") || ReportLabel("de", "cost") == ReportLabel("en", "cost") {
		t.Error("reports are not translated")
	}
}
