package analytics

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// PDFText is the report's wording in the reader's language: Labels by
// measure key ("posts", "likes", "engagement_rate", "channel", "post",
// "published", "previous", "definitions", "title", "period"), and the
// definitions as sentences.
type PDFText struct {
	Labels      map[string]string
	Definitions []string
	// Brand is printed in the header (the workspace's or agency's name).
	Brand string
}

// WritePDF writes the report as an A4 PDF in pure Go (core fonts, so text
// is limited to Windows-1252: accents of French and German print, emoji do not).
func WritePDF(w io.Writer, rep PeriodReport, tx PDFText) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	l := func(k string) string {
		if s, ok := tx.Labels[k]; ok {
			return tr(s)
		}
		return k
	}
	pdf.SetTitle(tx.Brand+" – "+tx.Labels["title"], true)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 6, tr(fmt.Sprintf("relais · %s · %d", tx.Brand, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 9, tr(tx.Brand)+" – "+l("title"), "", 1, "", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 6, fmt.Sprintf("%s: %s – %s", l("period"), rep.From.Format(time.DateOnly), rep.To.Add(-time.Second).Format(time.DateOnly)), "", 1, "", false, 0, "")
	pdf.Ln(3)

	m, p := rep.Workspace.Measures, rep.Workspace.Previous
	rows := [][3]string{
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

// table prints a header row and the rows add gives, breaking pages as needed.
func table(pdf *fpdf.Fpdf, head []string, widths []float64, rows func(add func(...string))) {
	header := func() {
		pdf.SetFont("Helvetica", "B", 8)
		pdf.SetFillColor(230, 236, 245)
		for i, h := range head {
			pdf.CellFormat(widths[i], 6, h, "1", 0, "", true, 0, "")
		}
		pdf.Ln(-1)
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
