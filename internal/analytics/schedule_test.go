package analytics_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/analytics/pdftest"
	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/mail/mailtest"
	"github.com/relais/relais/internal/media"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/web"
)

// logoPNG is a 40×20 image.
func logoPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		for y := range 20 {
			img.Set(x, y, color.RGBA{0xaa, 0x33, byte(x * 6), 0xff})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// TestScheduledReportMail sends a weekly report through a real SMTP
// conversation and reads the e-mail back: the branded HTML, the PDF with
// the brand's name and logo, the CSV with the post's counts; once per
// period, with two instances sending at the same time.
func TestScheduledReportMail(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			st := storetest.Open(t, d)
			u := storetest.NewUser(t, st, "schedule@analytics.example")
			ws := storetest.NewWorkspace(t, st, "schedule", u.ID)
			ch := storetest.NewChannel(t, st, ws.ID, "mastodon", "lune")
			now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC) // a Monday
			posts := storetest.NewPosts(t, st, ws.ID, 1, ch.ID)
			pubs := storetest.PublishAt(t, st, ws.ID, posts, time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC))
			likes, reposts, replies := int64(17), int64(4), int64(2)
			require.NoError(t, st.SaveMetricSnapshots(ctx, []store.MetricSnapshot{{PublicationID: pubs[0].ID, HorizonHours: 24,
				WorkspaceID: ws.ID, PostID: posts[0].ID, ChannelID: ch.ID, Network: "mastodon", PublishedAt: pubs[0].PublishedAt.UTC(),
				TakenAt: now.Add(-96 * time.Hour), Counts: store.Counts{Likes: &likes, Reposts: &reposts, Replies: &replies}}}))

			root, err := os.OpenRoot(t.TempDir())
			require.NoError(t, err)
			t.Cleanup(func() { root.Close() })
			lib := &media.Library{Store: st, Root: root, SignKey: bytes.Repeat([]byte{5}, 32), BaseURL: "https://relais.test"}
			logo, err := lib.Upload(ctx, ws.ID, u.ID, "logo.png", bytes.NewReader(logoPNG(t)), 0)
			require.NoError(t, err)
			svc := &analytics.Service{Store: st, Texts: web.ReportText, Media: lib}
			_, err = svc.SaveBrand(ctx, ws.ID, analytics.BrandInput{DisplayName: "Agence Lune", AccentColor: "#AA3300", LogoMediaID: logo.ID,
				Footer: "Préparé par Agence Lune pour Maison Soleil"}, now)
			require.NoError(t, err)

			sc, err := svc.CreateSchedule(ctx, ws.ID, analytics.ScheduleInput{Frequency: "weekly", Language: "fr",
				Recipients: []string{"Client <client@soleil.example>, direction@soleil.example", "client@soleil.example"}}, now)
			require.NoError(t, err)
			require.Equal(t, []string{"client@soleil.example", "direction@soleil.example"}, sc.Recipients, "split, parsed and without doubles")
			require.Equal(t, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), sc.NextFrom, "the last full week, Monday to Monday")

			srv := mailtest.NewServer(t)
			sender, err := mail.New("smtp://"+srv.Addr(), "relais <reports@relais.example>")
			require.NoError(t, err)
			// Two instances run the job at the same moment: the period goes out once.
			var wg sync.WaitGroup
			sent := make([]int, 2)
			for i := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var err error
					sent[i], err = (&analytics.Mailer{Service: svc, Mail: sender}).SendDue(ctx, now)
					require.NoError(t, err)
				}()
			}
			wg.Wait()
			require.Equal(t, 2, sent[0]+sent[1], "two recipients, once")
			msgs := srv.Messages()
			require.Len(t, msgs, 2)
			require.ElementsMatch(t, []string{"<client@soleil.example>", "<direction@soleil.example>"}, []string{msgs[0].To, msgs[1].To})
			require.Contains(t, msgs[0].Data, "Subject: Agence Lune : rapport hebdomadaire du 2026-03-02 au 2026-03-08\r\n")

			parts, err := msgs[0].Parts()
			require.NoError(t, err)
			require.Len(t, parts, 4)
			require.Equal(t, "text/plain", parts[0].ContentType)
			require.Contains(t, string(parts[0].Data), "Votre rapport du 2026-03-02 au 2026-03-08")
			html := string(parts[1].Data)
			require.Equal(t, "text/html", parts[1].ContentType)
			require.Contains(t, html, `<html lang="fr">`)
			require.Contains(t, html, "<h1>Agence Lune</h1>")
			require.Contains(t, html, "h1{color:#aa3300", "the accent colour")
			require.Contains(t, html, `src="data:image/png;base64,`, "the logo")
			require.Contains(t, html, "Préparé par Agence Lune pour Maison Soleil")
			require.Contains(t, html, "Taux d&#39;engagement")

			pdf := parts[2]
			require.Equal(t, "report-schedule-2026-03-02.pdf", pdf.Filename)
			require.True(t, bytes.HasPrefix(pdf.Data, []byte("%PDF-")))
			text := pdftest.Text(pdf.Data)
			require.Contains(t, text, "(Agence Lune)", "the brand's name printed")
			require.Contains(t, text, "Pr\xe9par\xe9 par Agence Lune", "the footer, in Windows-1252")
			require.Regexp(t, `/Subtype /Image\s*/Width 40\s*/Height 20`, text, "the logo embedded")

			rows, err := csv.NewReader(bytes.NewReader(parts[3].Data)).ReadAll()
			require.NoError(t, err)
			require.Equal(t, analytics.CSVHeader, rows[0])
			post := rows[len(rows)-1]
			require.Equal(t, "post", post[0])
			require.Equal(t, "17", post[12], "the post's likes")
			require.Equal(t, "4", post[13])

			// Later the same week: nothing more; the next Monday: the next week.
			n, err := (&analytics.Mailer{Service: svc, Mail: sender}).SendDue(ctx, now.Add(72*time.Hour))
			require.NoError(t, err)
			require.Zero(t, n)
			list, err := svc.Schedules(ctx, ws.ID, now)
			require.NoError(t, err)
			require.Equal(t, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), *list[0].LastPeriod)
			require.Equal(t, time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), list[0].NextFrom)

			// SMTP down: the period is released and sent by a later run.
			down, err := mail.New("smtp://127.0.0.1:1", "relais <reports@relais.example>")
			require.NoError(t, err)
			next := now.AddDate(0, 0, 7)
			n, err = (&analytics.Mailer{Service: svc, Mail: down}).SendDue(ctx, next)
			require.Error(t, err)
			require.Zero(t, n)
			list, err = svc.Schedules(ctx, ws.ID, next)
			require.NoError(t, err)
			require.Equal(t, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), *list[0].LastPeriod, "released")
			n, err = (&analytics.Mailer{Service: svc, Mail: sender}).SendDue(ctx, next)
			require.NoError(t, err)
			require.Equal(t, 2, n)
		})
	}
}

func TestScheduleValidation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := storetest.Open(t, "sqlite")
	u := storetest.NewUser(t, st, "validate@analytics.example")
	ws := storetest.NewWorkspace(t, st, "validate", u.ID)
	svc := &analytics.Service{Store: st}
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in    analytics.ScheduleInput
		field string
	}{
		{analytics.ScheduleInput{Frequency: "daily", Language: "en", Recipients: []string{"a@b.example"}}, "frequency"},
		{analytics.ScheduleInput{Frequency: "weekly", Language: "it", Recipients: []string{"a@b.example"}}, "language"},
		{analytics.ScheduleInput{Frequency: "weekly", Language: "en", Recipients: []string{"not an address"}}, "recipients"},
		{analytics.ScheduleInput{Frequency: "weekly", Language: "en"}, "recipients"},
		{analytics.ScheduleInput{Frequency: "weekly", Language: "en", Recipients: []string{strings.Repeat("x@y.example,", 21) + "z@y.example"}}, ""},
	} {
		_, err := svc.CreateSchedule(ctx, ws.ID, tc.in, now)
		if tc.field == "" {
			require.NoError(t, err, "21 addresses are one after removing doubles")
			continue
		}
		require.ErrorContains(t, err, tc.field+":")
	}
	var many []string
	for i := range 21 {
		many = append(many, strings.Repeat("a", i+1)+"@b.example")
	}
	_, err := svc.CreateSchedule(ctx, ws.ID, analytics.ScheduleInput{Frequency: "weekly", Language: "en", Recipients: many}, now)
	require.ErrorContains(t, err, "at most 20 addresses; got 21")

	for _, tc := range []struct {
		in   analytics.BrandInput
		want string
	}{
		{analytics.BrandInput{AccentColor: "red"}, "accent_color: a colour is #rrggbb"},
		{analytics.BrandInput{DisplayName: strings.Repeat("n", 101)}, "display_name: at most 100 characters; this one has 101"},
		{analytics.BrandInput{Footer: strings.Repeat("f", 301)}, "footer: at most 300 characters"},
		{analytics.BrandInput{LogoMediaID: 999}, "logo_media_id: 999 is not an item"},
	} {
		_, err := svc.SaveBrand(ctx, ws.ID, tc.in, now)
		require.ErrorContains(t, err, tc.want)
	}
	video := storetest.NewMedia(t, st, ws.ID, store.MediaVideo, "v1")
	_, err = svc.SaveBrand(ctx, ws.ID, analytics.BrandInput{LogoMediaID: video.ID}, now)
	require.ErrorContains(t, err, "the logo must be a PNG, JPEG or GIF image")
	b, err := svc.Brand(ctx, ws.ID)
	require.NoError(t, err)
	require.Zero(t, b, "nothing saved")
}

func TestLastFullPeriod(t *testing.T) {
	t.Parallel()
	sunday := time.Date(2026, 3, 8, 23, 59, 0, 0, time.UTC)
	from, to := analytics.LastFullPeriod("weekly", sunday)
	require.Equal(t, time.Date(2026, 2, 23, 0, 0, 0, 0, time.UTC), from)
	require.Equal(t, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), to)
	from, to = analytics.LastFullPeriod("monthly", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.Equal(t, time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), from)
	require.Equal(t, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), to)
}
