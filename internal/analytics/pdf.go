package analytics

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// ReportText is the report's wording in the reader's language and its
// brand: Labels by measure key ("posts", "likes", "engagement_rate",
// "channel", "post", "published", "previous", "definitions", "title",
// "period"), and the definitions as sentences.
type ReportText struct {
	Lang        string
	Labels      map[string]string
	Definitions []string
	// Brand is printed in the header (the workspace's or agency's name).
	Brand string
	// Accent is the #rrggbb of titles and table headers ("" for the default).
	Accent string
	// Footer is printed at the foot of every page.
	Footer string
	// Logo is the brand's image (LogoType "PNG", "JPG" or "GIF"; LogoMIME its MIME type).
	Logo               []byte
	LogoType, LogoMIME string
}

// label is the text of a key, the key itself when missing.
func (tx ReportText) label(k string) string {
	if s, ok := tx.Labels[k]; ok {
		return s
	}
	return k
}

// WritePDF writes the report as an A4 PDF in pure Go (core fonts, so text
// is limited to Windows-1252: accents of French and German print, emoji do not).
func WritePDF(w io.Writer, rep PeriodReport, tx ReportText) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	l := func(k string) string { return tr(tx.label(k)) }
	r, g, b := rgb(tx.Accent)
	pdf.SetTitle(tx.Brand+" – "+tx.label("title"), true)
	pdf.SetAuthor(tx.Brand, true)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		foot := fmt.Sprintf("%s · %d", tx.Brand, pdf.PageNo())
		if tx.Footer != "" {
			foot = fmt.Sprintf("%s · %d", tx.Footer, pdf.PageNo())
		}
		pdf.CellFormat(0, 6, tr(foot), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	if len(tx.Logo) > 0 {
		opts := fpdf.ImageOptions{ImageType: tx.LogoType, ReadDpi: false}
		if info := pdf.RegisterImageOptionsReader("brand-logo", opts, bytes.NewReader(tx.Logo)); info != nil && pdf.Ok() {
			// 14 mm high at most, 60 mm wide at most, right-aligned.
			wmm, hmm := info.Width(), info.Height()
			scale := math.Min(14/hmm, 60/wmm)
			pageW, _ := pdf.GetPageSize()
			_, _, right, _ := pdf.GetMargins()
			pdf.ImageOptions("brand-logo", pageW-right-wmm*scale, 8, wmm*scale, hmm*scale, false, opts, 0, "")
		} else {
			// An unreadable logo leaves the report without it, never without a report.
			pdf.ClearError()
		}
	}
	pdf.SetFont("Helvetica", "B", 16)
	pdf.SetTextColor(r, g, b)
	pdf.CellFormat(120, 9, tr(tx.Brand), "", 1, "", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFont("Helvetica", "B", 12)
	pdf.CellFormat(120, 7, l("title"), "", 1, "", false, 0, "")
	pdf.SetY(math.Max(pdf.GetY(), 24))
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 6, fmt.Sprintf("%s: %s – %s", l("period"), rep.From.Format(time.DateOnly), rep.To.Add(-time.Second).Format(time.DateOnly)), "", 1, "", false, 0, "")
	pdf.Ln(3)

	rows := headlineRows(rep, func(k string) string { return tr(tx.label(k)) })
	head := [3]int{r, g, b}
	table := func(pdf *fpdf.Fpdf, cols []string, widths []float64, rows func(add func(...string))) {
		drawTable(pdf, head, cols, widths, rows)
	}
	table(pdf, []string{"", l("period"), l("previous")}, []float64{80, 50, 50}, func(add func(...string)) {
		for _, r := range rows {
			add(r[0], r[1], r[2])
		}
	})
	pdf.Ln(4)
	heading(pdf, l("channel"))
	table(pdf, []string{l("channel"), l("posts"), l("likes"), l("reposts"), l("replies"), l("engagement_rate"), l("followers")},
		[]float64{50, 18, 22, 22, 22, 28, 28}, func(add func(...string)) {
			for _, g := range rep.Channels {
				add(tr(g.Network+" "+g.Handle), strconv.Itoa(g.Posts), inumDash(g.Likes), inumDash(g.Reposts), inumDash(g.Replies), pct(g.EngagementRate), inumDash(g.Followers))
			}
		})
	pdf.Ln(4)
	heading(pdf, l("post"))
	table(pdf, []string{l("published"), l("post"), l("likes"), l("reposts"), l("replies"), l("engagement_rate")},
		[]float64{24, 86, 18, 18, 18, 26}, func(add func(...string)) {
			for _, post := range rep.Posts {
				add(post.PublishedAt.Format(time.DateOnly), tr(Excerpt(post.Text, 48)), inumDash(post.Likes), inumDash(post.Reposts), inumDash(post.Replies), pct(post.EngagementRate))
			}
		})
	pdf.Ln(4)
	heading(pdf, l("definitions"))
	pdf.SetFont("Helvetica", "", 8)
	for _, d := range tx.Definitions {
		pdf.MultiCell(0, 4, tr(d), "", "", false)
	}
	return pdf.Output(w)
}

func heading(pdf *fpdf.Fpdf, s string) {
	pdf.SetFont("Helvetica", "B", 12)
	pdf.CellFormat(0, 8, s, "", 1, "", false, 0, "")
}

// drawTable prints a header row in the accent colour and the rows add
// gives, breaking pages as needed.
func drawTable(pdf *fpdf.Fpdf, accent [3]int, head []string, widths []float64, rows func(add func(...string))) {
	header := func() {
		pdf.SetFont("Helvetica", "B", 8)
		pdf.SetFillColor(accent[0], accent[1], accent[2])
		pdf.SetTextColor(ink(accent[0], accent[1], accent[2]))
		for i, h := range head {
			pdf.CellFormat(widths[i], 6, h, "1", 0, "", true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetTextColor(0, 0, 0)
		pdf.SetFont("Helvetica", "", 8)
	}
	header()
	_, pageH := pdf.GetPageSize()
	rows(func(cells ...string) {
		if pdf.GetY() > pageH-25 {
			pdf.AddPage()
			header()
		}
		for i, c := range cells {
			align := "R"
			if i == 0 || (i == 1 && widths[1] > 60) {
				align = "L"
			}
			pdf.CellFormat(widths[i], 5, c, "1", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	})
}

func inumDash(v *int64) string { return FormatCount(v, "-") }

func pct(v *float64) string { return FormatRate(v, 2, " %", "-") }

func dec(v *float64) string { return FormatRate(v, 2, "", "-") }

// ink is the text colour readable on a background: black on light colours,
// white on dark ones (relative luminance, WCAG).
func ink(r, g, b int) (int, int, int) {
	lin := func(c int) float64 {
		v := float64(c) / 255
		if v <= 0.03928 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	if 0.2126*lin(r)+0.7152*lin(g)+0.0722*lin(b) > 0.179 {
		return 0, 0, 0
	}
	return 255, 255, 255
}

// headlineRows are the workspace's measures against the previous period:
// label, period, previous.
func headlineRows(rep PeriodReport, l func(string) string) [][3]string {
	m, p := rep.Workspace.Measures, rep.Workspace.Previous
	return [][3]string{
		{l("posts"), strconv.Itoa(m.Posts), strconv.Itoa(p.Posts)},
		{l("interactions"), inumDash(m.Interactions), inumDash(p.Interactions)},
		{l("engagement_rate"), pct(m.EngagementRate), pct(p.EngagementRate)},
		{l("followers"), inumDash(m.Followers), inumDash(p.Followers)},
		{l("follower_growth"), inumDash(m.FollowerGrowth), inumDash(p.FollowerGrowth)},
		{l("applause_rate"), dec(m.ApplauseRate), dec(p.ApplauseRate)},
		{l("conversation_rate"), dec(m.ConversationRate), dec(p.ConversationRate)},
		{l("amplification_rate"), dec(m.AmplificationRate), dec(p.AmplificationRate)},
		{l("virality_rate"), pct(m.ViralityRate), pct(p.ViralityRate)},
		{l("posts_per_week"), dec(&m.PostsPerWeek), dec(&p.PostsPerWeek)},
	}
}
