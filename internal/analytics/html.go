package analytics

import (
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"time"
)

//go:embed report_html.html
var reportHTMLSource string

var reportHTML = template.Must(template.New("report").Parse(reportHTMLSource))

// htmlView is what the standalone HTML report shows.
type htmlView struct {
	T               ReportText
	Accent, Ink     template.CSS
	From, To        string
	Intro           string
	LogoSrc         template.URL
	Headline        [][3]string
	Channels, Posts [][]string
}

func (v htmlView) L(k string) string { return v.T.label(k) }

// WriteHTML writes the report as one self-contained HTML page (inline
// style, the logo as a data: URL), the body of the scheduled e-mail and
// the API's text/html answer. intro is a sentence printed above the
// measures ("" for none).
func WriteHTML(w io.Writer, rep PeriodReport, tx ReportText, intro string) error {
	r, g, b := rgb(tx.Accent)
	ir, ig, ib := ink(r, g, b)
	v := htmlView{T: tx, Intro: intro, From: rep.From.Format(time.DateOnly), To: rep.To.Add(-time.Second).Format(time.DateOnly),
		Accent: template.CSS(fmt.Sprintf("#%02x%02x%02x", r, g, b)), Ink: template.CSS(fmt.Sprintf("#%02x%02x%02x", ir, ig, ib))}
	if len(tx.Logo) > 0 && tx.LogoMIME != "" {
		v.LogoSrc = template.URL("data:" + tx.LogoMIME + ";base64," + base64.StdEncoding.EncodeToString(tx.Logo))
	}
	v.Headline = headlineRows(rep, tx.label)
	for _, g := range rep.Channels {
		v.Channels = append(v.Channels, []string{g.Network + " " + g.Handle, strconv.Itoa(g.Posts), inumDash(g.Likes), inumDash(g.Reposts),
			inumDash(g.Replies), pct(g.EngagementRate), inumDash(g.Followers)})
	}
	for _, p := range rep.Posts {
		v.Posts = append(v.Posts, []string{p.PublishedAt.Format(time.DateOnly), Excerpt(p.Text, 80), inumDash(p.Likes), inumDash(p.Reposts),
			inumDash(p.Replies), pct(p.EngagementRate)})
	}
	return reportHTML.Execute(w, v)
}
