package competitor

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// reportLabels are the report's words in English, French and German.
var reportLabels = map[string]map[string]string{
	"en": {"title": "Competitor benchmark", "period": "Period", "generated": "generated", "rank": "#", "brand": "Brand", "account": "Account",
		"followers": "Followers", "growth": "Growth", "growth_rate": "Growth %", "posts_week": "Posts/week", "engagement": "Eng./post",
		"hashtags": "Top hashtags", "share": "Share of voice", "not_measured": "not measured yet", "top_posts": "Top posts", "engagement_top": "Engagement",
		"definitions": "Definitions",
		"def_growth":  "Growth: followers on the last day measured minus followers on the first day measured in the period; growth % divides it by the latter.",
		"def_posts":   "Posts/week: the account's posts of the last 7 days. Eng./post: mean likes, reposts, replies and quotes of its recent posts.",
		"def_share":   "Share of voice: the workspace's listening mentions of the period naming the brand, over those naming any brand of the panel.",
		"no_top":      "No top post measured yet."},
	"fr": {"title": "Comparatif de la concurrence", "period": "Période", "generated": "généré le", "rank": "#", "brand": "Marque", "account": "Compte",
		"followers": "Abonnés", "growth": "Croissance", "growth_rate": "Croiss. %", "posts_week": "Publ./sem.", "engagement": "Eng./publ.",
		"hashtags": "Mots-dièse", "share": "Part de voix", "not_measured": "pas encore mesuré", "top_posts": "Meilleures publications", "engagement_top": "Engagement",
		"definitions": "Définitions",
		"def_growth":  "Croissance : abonnés du dernier jour mesuré moins ceux du premier jour mesuré de la période ; la croissance en % la divise par ces derniers.",
		"def_posts":   "Publ./sem. : publications du compte sur les 7 derniers jours. Eng./publ. : moyenne des j'aime, partages, réponses et citations de ses publications récentes.",
		"def_share":   "Part de voix : mentions de la période, dans la veille de l'espace, qui nomment la marque, sur celles qui nomment une marque du panel.",
		"no_top":      "Aucune meilleure publication mesurée pour l'instant."},
	"de": {"title": "Wettbewerbsvergleich", "period": "Zeitraum", "generated": "erstellt am", "rank": "#", "brand": "Marke", "account": "Konto",
		"followers": "Follower", "growth": "Wachstum", "growth_rate": "Wachst. %", "posts_week": "Posts/Woche", "engagement": "Eng./Post",
		"hashtags": "Top-Hashtags", "share": "Share of Voice", "not_measured": "noch nicht gemessen", "top_posts": "Top-Beiträge", "engagement_top": "Engagement",
		"definitions": "Definitionen",
		"def_growth":  "Wachstum: Follower am letzten gemessenen Tag minus Follower am ersten gemessenen Tag des Zeitraums; Wachstum in % teilt es durch Letztere.",
		"def_posts":   "Posts/Woche: Beiträge des Kontos der letzten 7 Tage. Eng./Post: mittlere Likes, Reposts, Antworten und Zitate seiner neueren Beiträge.",
		"def_share":   "Share of Voice: Erwähnungen des Zeitraums im Monitoring des Arbeitsbereichs, die die Marke nennen, geteilt durch die, die eine Marke des Panels nennen.",
		"no_top":      "Noch kein Top-Beitrag gemessen."},
}

// ReportLabel is a report word in lang (English when lang is unknown).
func ReportLabel(lang, key string) string {
	if l, ok := reportLabels[lang]; ok {
		if s, ok := l[key]; ok {
			return s
		}
	}
	return reportLabels["en"][key]
}

// pdfCompression compresses the PDF's streams (tests read them plain).
var pdfCompression = true

// WritePDF writes the report as an A4 landscape PDF in lang (en, fr, de):
// the ranking table, the top posts and the definitions, in pure Go (core
// fonts: text is limited to Windows-1252, so the accents of French and
// German print and emoji do not).
func WritePDF(w io.Writer, r PanelReport, lang, brand string, now time.Time) error {
	l := func(k string) string { return ReportLabel(lang, k) }
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetCompression(pdfCompression)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetTitle(brand+" – "+l("title")+" – "+r.Panel, true)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 6, tr(fmt.Sprintf("relais · %s · %d", brand, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 16)
	pdf.CellFormat(0, 9, tr(l("title")+" – "+r.Panel), "", 1, "", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.CellFormat(0, 6, tr(fmt.Sprintf("%s · %s: %s – %s · %s %s", brand, l("period"), r.Since.Format(time.DateOnly), r.Until.Format(time.DateOnly),
		l("generated"), now.UTC().Format(time.DateOnly))), "", 1, "", false, 0, "")
	pdf.Ln(3)

	head := []string{l("rank"), l("brand"), l("account"), l("followers"), l("growth"), l("growth_rate"), l("posts_week"), l("engagement"), l("hashtags"), l("share")}
	widths := []float64{9, 36, 58, 24, 22, 20, 22, 20, 46, 20}
	header := func() {
		pdf.SetFont("Helvetica", "B", 9)
		pdf.SetFillColor(230, 236, 245)
		for i, hd := range head {
			pdf.CellFormat(widths[i], 7, tr(hd), "1", 0, "L", true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont("Helvetica", "", 9)
	}
	header()
	for _, row := range r.Rows {
		if pdf.GetY() > 180 {
			pdf.AddPage()
			header()
		}
		cells := []string{strconv.Itoa(row.Rank), clip(row.Brand, 22), clip(row.Network+" "+row.Handle, 38)}
		if row.Measured {
			cells = append(cells, strconv.FormatInt(row.Followers, 10), fmt.Sprintf("%+d", row.Growth), fmt.Sprintf("%.1f %%", 100*row.GrowthRate),
				strconv.FormatInt(row.PostsWeek, 10), fmt.Sprintf("%.1f", row.EngagementPost), clip(hashtagList(row.Hashtags), 30))
		} else {
			cells = append(cells, l("not_measured"), "", "", "", "", "")
		}
		cells = append(cells, fmt.Sprintf("%.1f %%", 100*row.ShareOfVoice))
		for i, c := range cells {
			pdf.CellFormat(widths[i], 6, tr(c), "1", 0, "L", false, 0, "")
		}
		pdf.Ln(-1)
	}

	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 12)
	pdf.CellFormat(0, 7, tr(l("top_posts")), "", 1, "", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	any := false
	for _, row := range r.Rows {
		if row.TopPostURL == "" {
			continue
		}
		any = true
		pdf.CellFormat(0, 5, tr(fmt.Sprintf("%s (%s %s): %s · %s %d", row.Brand, row.Network, row.Handle, row.TopPostURL, l("engagement_top"), row.TopPostEng)), "", 1, "", false, 0, "")
	}
	if !any {
		pdf.CellFormat(0, 5, tr(l("no_top")), "", 1, "", false, 0, "")
	}

	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 12)
	pdf.CellFormat(0, 7, tr(l("definitions")), "", 1, "", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	for _, k := range []string{"def_growth", "def_posts", "def_share"} {
		pdf.MultiCell(0, 5, tr(l(k)), "", "L", false)
	}
	return pdf.Output(w)
}

func hashtagList(tags []string) string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		out = append(out, "#"+t)
	}
	return strings.Join(out, " ")
}

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
