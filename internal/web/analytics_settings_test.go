package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/analytics/pdftest"
	"github.com/relais/relais/internal/store"
)

// TestReportSettings sets the brand with a logo from the media library and
// schedules a report by e-mail on the report page; the PDF carries the brand.
func TestReportSettings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("ana@example.com")
	ws := analyticsSite(t, b, u)
	img := image.NewRGBA(image.Rect(0, 0, 30, 12))
	for x := range 30 {
		img.Set(x, 5, color.RGBA{200, 10, 10, 255})
	}
	var logo bytes.Buffer
	require.NoError(t, png.Encode(&logo, img))
	m, err := b.media.Upload(context.Background(), ws.ID, u.ID, "agence-logo.png", &logo, 0)
	require.NoError(t, err)

	page := br.get("/workspaces/lune/analytics/report")
	require.Equal(t, 200, page.StatusCode, page.Body)
	for _, want := range []string{"Reports by e-mail", "No report is sent by e-mail yet.", "no SMTP server", "Brand of the reports", "agence-logo.png (30×12)"} {
		require.Contains(t, page.Body, want)
	}

	res := br.post("/workspaces/lune/analytics/brand", form("display_name", "Agence Soleil", "accent_color", "orange", "logo_media_id", "0", "footer", ""))
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, res.Body, "accent_color: a colour is #rrggbb")
	require.Contains(t, res.Body, `value="Agence Soleil"`, "what was typed stays")
	br.lang = "fr"
	res = br.post("/workspaces/lune/analytics/brand", form("display_name", "Agence Soleil", "accent_color", "orange", "logo_media_id", "0"))
	br.lang = "en"
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, res.Body, "Une couleur s&#39;écrit #rrggbb")
	res = br.post("/workspaces/lune/analytics/brand", form("display_name", "Agence Soleil", "accent_color", "#0A7D3B",
		"logo_media_id", strconv.FormatInt(m.ID, 10), "footer", "Rapport préparé par Agence Soleil"))
	require.Equal(t, 303, res.StatusCode, res.Body)
	page = br.get("/workspaces/lune/analytics/report")
	require.Contains(t, page.Body, "The brand is saved.")
	require.Contains(t, page.Body, `value="#0a7d3b"`)

	pdf := br.get("/workspaces/lune/analytics/report.pdf?from=" + time.Now().Add(-10*24*time.Hour).Format(time.DateOnly))
	require.Equal(t, 200, pdf.StatusCode)
	text := pdftest.Text([]byte(pdf.Body))
	require.Contains(t, text, "(Agence Soleil)")
	require.Contains(t, text, "0.039 0.490 0.231 rg", "the accent colour fills the table headers")
	require.Regexp(t, `/Subtype /Image\s*/Width 30\s*/Height 12`, text, "the logo is embedded")

	res = br.post("/workspaces/lune/analytics/schedules", form("frequency", "weekly", "language", "de", "recipients", "kunde@example.com, nope"))
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, res.Body, `recipients: &#34;nope&#34; is not an e-mail address`)
	require.Contains(t, res.Body, "kunde@example.com, nope", "what was typed stays")
	res = br.post("/workspaces/lune/analytics/schedules", form("frequency", "monthly", "language", "de", "recipients", "kunde@example.com\nchef@example.com"))
	require.Equal(t, 303, res.StatusCode, res.Body)
	page = br.get("/workspaces/lune/analytics/report")
	require.Contains(t, page.Body, "kunde@example.com, chef@example.com")
	require.Contains(t, page.Body, "Deutsch")
	list, err := b.st.ReportSchedules(context.Background(), ws.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "monthly", list[0].Frequency)

	other := b.browser(t)
	other.signIn("eve@example.com")
	id := strconv.FormatInt(list[0].ID, 10)
	require.NotEqual(t, 303, other.post("/workspaces/lune/analytics/schedules/"+id+"/delete", nil).StatusCode)
	require.NotEqual(t, 303, other.post("/workspaces/lune/analytics/brand", form("display_name", "Eve")).StatusCode)
	res = br.post("/workspaces/lune/analytics/schedules/"+id+"/delete", nil)
	require.Equal(t, 303, res.StatusCode)
	list, err = b.st.ReportSchedules(context.Background(), ws.ID)
	require.NoError(t, err)
	require.Empty(t, list)
}

// TestDashboardCampaignStatus shows the running campaigns on the dashboard
// with their progress against their goals; ended and future ones are not.
func TestDashboardCampaignStatus(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("ana@example.com")
	ws := analyticsSite(t, b, u)
	ctx := context.Background()
	now := time.Now().UTC()
	day := func(d int) *time.Time { t := now.AddDate(0, 0, d); return &t }
	require.Contains(t, br.get("/workspaces/lune/analytics").Body, "No campaign is running now.")
	running := store.Campaign{WorkspaceID: ws.ID, Name: "Soldes d'hiver", StartsAt: day(-5), EndsAt: day(10), CreatedAt: now.AddDate(0, 0, -6),
		Goals: []store.CampaignGoal{{Metric: "clicks", Target: 8}, {Metric: "reach", Target: 5000}}}
	open := store.Campaign{WorkspaceID: ws.ID, Name: "Toujours là", CreatedAt: now}
	ended := store.Campaign{WorkspaceID: ws.ID, Name: "Rentrée passée", StartsAt: day(-40), EndsAt: day(-20), CreatedAt: now.AddDate(0, 0, -41)}
	future := store.Campaign{WorkspaceID: ws.ID, Name: "Noël prochain", StartsAt: day(20), CreatedAt: now}
	for _, c := range []*store.Campaign{&running, &open, &ended, &future} {
		require.NoError(t, b.st.CreateCampaign(ctx, c))
	}
	l := store.Link{WorkspaceID: ws.ID, Code: "soldes1", TargetURL: "https://shop.example/soldes", CampaignID: running.ID, CreatedAt: now}
	require.NoError(t, b.st.CreateLink(ctx, &l))
	var clicks []store.Click
	for i := range 6 {
		clicks = append(clicks, store.Click{LinkID: l.ID, WorkspaceID: ws.ID, At: now.Add(-time.Duration(i) * time.Hour), Visitor: "v" + strconv.Itoa(i), Device: "mobile"})
	}
	clicks = append(clicks, store.Click{LinkID: l.ID, WorkspaceID: ws.ID, At: now, Visitor: "bot", Bot: "Slackbot"})
	require.NoError(t, b.st.RecordClicks(ctx, clicks))

	page := br.get("/workspaces/lune/analytics")
	require.Equal(t, 200, page.StatusCode)
	body := page.Body
	i := regexp.MustCompile(`(?s)<section class="card" id="campaign-status">.*?</section>`).FindString(body)
	require.NotEmpty(t, i)
	require.Contains(t, i, "Active campaigns")
	require.Contains(t, i, "Soldes d&#39;hiver")
	require.Contains(t, i, "ends "+day(10).Format(time.DateOnly))
	require.Contains(t, i, `Link clicks: 6 / 8`, "people's clicks, the bot apart")
	require.Contains(t, i, `value="75"`)
	require.Contains(t, i, "Reach: target 5000, not measured yet")
	require.Contains(t, i, "Toujours là")
	require.NotContains(t, i, "Rentrée passée")
	require.NotContains(t, i, "Noël prochain")
	require.Less(t, strings.Index(i, "Soldes"), strings.Index(i, "Toujours"), "the one that ends first comes first")
}
