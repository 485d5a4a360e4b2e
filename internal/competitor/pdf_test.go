package competitor

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// TestWritePDF writes the report in English, French and German: a PDF
// whose text holds the ranking (accents in Windows-1252), the measures, the
// top post and the translated definitions.
func TestWritePDF(t *testing.T) {
	pdfCompression = false
	defer func() { pdfCompression = true }()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	r := PanelReport{Panel: "Mode allemande", Since: now.AddDate(0, 0, -30), Until: now, Rows: []PanelRow{
		{Rank: 1, Brand: "Zalando Größe", Network: "bluesky", Handle: "zalando.bsky.social", Followers: 52000, Growth: 1200, GrowthRate: 0.0236,
			PostsWeek: 9, EngagementPost: 41.5, TopPostURL: "https://bsky.app/profile/zalando/post/1", TopPostEng: 310, Hashtags: []string{"mode"},
			ShareOfVoice: 0.75, Measured: true},
		{Rank: 2, Brand: "Café Kleid", Network: "mastodon", Handle: "kleid@social.example", ShareOfVoice: 0.25},
	}}
	for _, lang := range []string{"en", "fr", "de"} {
		var b bytes.Buffer
		if err := WritePDF(&b, r, lang, "Agence Lumière", now); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
			t.Fatalf("%s: not a PDF", lang)
		}
		text, err := charmap.Windows1252.NewDecoder().String(b.String())
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Zalando Größe", "52000", "+1200", "2.4 %", "41.5", "#mode", "75.0 %", "Café Kleid",
			"https://bsky.app/profile/zalando/post/1", ReportLabel(lang, "title"), ReportLabel(lang, "not_measured"), ReportLabel(lang, "share")} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the PDF lacks %q", lang, want)
			}
		}
	}
	if ReportLabel("fr", "followers") == ReportLabel("en", "followers") || ReportLabel("de", "growth") == ReportLabel("en", "growth") {
		t.Error("the report is not translated")
	}
	if ReportLabel("xx", "followers") != "Followers" {
		t.Error("an unknown language falls back to English")
	}
}
