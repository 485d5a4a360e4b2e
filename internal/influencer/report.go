package influencer

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// ReportLangs are the languages of campaign reports.
var ReportLangs = []string{"en", "fr", "de"}

// reportLabels are the report's wording per language.
var reportLabels = map[string]map[string]string{
	"en": {
		"title": "Influencer campaign report", "influencer": "Influencer", "network": "Network", "reach": "Reach", "views": "Views",
		"interactions": "Interactions", "clicks": "Clicks", "conversions": "Conversions", "cost": "Cost", "revenue": "Revenue",
		"emv": "EMV", "cpe": "Cost per engagement", "cpc": "Cost per click", "roi": "ROI", "total": "Total", "definitions": "How each number is computed",
		"emv_table": "EMV values (impressions and views: per 1,000)", "action": "Action", "value": "Value", "generated": "Generated",
		"def_interactions": "Interactions = likes + comments + shares + saves of the deliverables, as the network reports them or as entered.",
		"def_clicks":       "Clicks = people who followed the influencer's short link (bots and link previews left out).",
		"def_emv":          "EMV = Σ (impressions or views × CPM / 1,000) + Σ (count of each action × its value), with the table below. EMV is not revenue.",
		"def_cpe":          "Cost per engagement = cost / interactions; cost per click = cost / clicks; shown as - when the divisor is 0 or unknown.",
		"def_roi":          "ROI = (revenue − cost) / cost; revenue and conversions are entered or imported (discount codes, shop).",
		"unknown":          "-",
	},
	"fr": {
		"title": "Rapport de campagne d'influence", "influencer": "Influenceur", "network": "Réseau", "reach": "Portée", "views": "Vues",
		"interactions": "Interactions", "clicks": "Clics", "conversions": "Conversions", "cost": "Coût", "revenue": "Chiffre d'affaires",
		"emv": "EMV", "cpe": "Coût par engagement", "cpc": "Coût par clic", "roi": "ROI", "total": "Total", "definitions": "Comment chaque chiffre est calculé",
		"emv_table": "Valeurs EMV (impressions et vues : pour 1 000)", "action": "Action", "value": "Valeur", "generated": "Généré le",
		"def_interactions": "Interactions = j'aime + commentaires + partages + enregistrements des livrables, tels que le réseau les donne ou saisis.",
		"def_clicks":       "Clics = personnes ayant suivi le lien court de l'influenceur (robots et aperçus de liens exclus).",
		"def_emv":          "EMV = Σ (impressions ou vues × CPM / 1 000) + Σ (nombre de chaque action × sa valeur), selon le tableau ci-dessous. L'EMV n'est pas un chiffre d'affaires.",
		"def_cpe":          "Coût par engagement = coût / interactions ; coût par clic = coût / clics ; « - » quand le diviseur est nul ou inconnu.",
		"def_roi":          "ROI = (chiffre d'affaires − coût) / coût ; chiffre d'affaires et conversions sont saisis ou importés (codes promo, boutique).",
		"unknown":          "-",
	},
	"de": {
		"title": "Bericht zur Influencer-Kampagne", "influencer": "Influencer", "network": "Netzwerk", "reach": "Reichweite", "views": "Aufrufe",
		"interactions": "Interaktionen", "clicks": "Klicks", "conversions": "Conversions", "cost": "Kosten", "revenue": "Umsatz",
		"emv": "EMV", "cpe": "Kosten pro Interaktion", "cpc": "Kosten pro Klick", "roi": "ROI", "total": "Summe", "definitions": "Wie jede Zahl berechnet wird",
		"emv_table": "EMV-Werte (Impressionen und Aufrufe: pro 1.000)", "action": "Aktion", "value": "Wert", "generated": "Erstellt am",
		"def_interactions": "Interaktionen = Likes + Kommentare + Shares + Speicherungen der Deliverables, wie das Netzwerk sie meldet oder eingetragen.",
		"def_clicks":       "Klicks = Personen, die dem Kurzlink des Influencers gefolgt sind (Bots und Link-Vorschauen ausgenommen).",
		"def_emv":          "EMV = Σ (Impressionen oder Aufrufe × CPM / 1.000) + Σ (Anzahl jeder Aktion × ihr Wert), nach der Tabelle unten. EMV ist kein Umsatz.",
		"def_cpe":          "Kosten pro Interaktion = Kosten / Interaktionen; Kosten pro Klick = Kosten / Klicks; „-“, wenn der Teiler 0 oder unbekannt ist.",
		"def_roi":          "ROI = (Umsatz − Kosten) / Kosten; Umsatz und Conversions werden eingetragen oder importiert (Rabattcodes, Shop).",
		"unknown":          "-",
	},
}

// ReportLabel returns a report label in a language (English when unknown).
func ReportLabel(lang, key string) string {
	if l, ok := reportLabels[lang]; ok {
		if s, ok := l[key]; ok {
			return s
		}
	}
	return reportLabels["en"][key]
}

// reportColumns are the table's columns, in order.
var reportColumns = []string{"influencer", "network", "reach", "views", "interactions", "clicks", "conversions", "cost", "revenue", "emv", "cpe", "cpc", "roi"}

func count(v int64, lang string) string {
	if v < 0 {
		return ReportLabel(lang, "unknown")
	}
	return strconv.FormatInt(v, 10)
}

func money(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func ratio(v *float64, lang string) string {
	if v == nil {
		return ReportLabel(lang, "unknown")
	}
	return strconv.FormatFloat(*v, 'f', 2, 64)
}

func cells(name, netw string, r Results, lang string) []string {
	return []string{name, netw, count(r.Reach, lang), count(r.Views, lang), strconv.FormatInt(r.Interactions, 10), count(r.Clicks, lang),
		count(r.Conversions, lang), money(r.Cost), money(r.Revenue), money(r.EMV), ratio(r.CPE, lang), ratio(r.CPC, lang), ratio(r.ROI, lang)}
}

func (cr CampaignResults) table(lang string) [][]string {
	rows := make([][]string, 0, len(cr.Rows)+1)
	for _, r := range cr.Rows {
		rows = append(rows, cells(r.Influencer, r.Network, r.Results, lang))
	}
	return append(rows, cells(ReportLabel(lang, "total"), "", cr.Total, lang))
}

func headers(lang string) []string {
	h := make([]string, len(reportColumns))
	for i, c := range reportColumns {
		h[i] = ReportLabel(lang, c)
	}
	return h
}

// WriteCSV writes the campaign's results as CSV (header in the language, one
// row per influencer and a total; "-" for unknown).
func WriteCSV(w io.Writer, cr CampaignResults, lang string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(headers(lang)); err != nil {
		return err
	}
	for _, row := range cr.table(lang) {
		if err := cw.Write(safeCSV(row)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCSV neutralises cells a spreadsheet would run as formulas.
func safeCSV(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+@\t\r", rune(c[0])) || strings.HasPrefix(c, "-") && len(c) > 1 && (c[1] < '0' || c[1] > '9') {
			c = "'" + c
		}
		out[i] = c
	}
	return out
}

var reportHTML = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}} – {{.Campaign}}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}tr:last-child td{font-weight:bold}</style>
</head><body>
<h1>{{.Title}} – {{.Campaign}}</h1>
<p>{{.Generated}} {{.Now}} · {{.Currency}}</p>
<table><thead><tr>{{range .Headers}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</tbody></table>
<h2>{{.DefTitle}}</h2><ul>{{range .Defs}}<li>{{.}}</li>{{end}}</ul>
<h3>{{.EMVTitle}}</h3><table><thead><tr><th>{{.NetworkLabel}}</th><th>{{.ActionLabel}}</th><th>{{.ValueLabel}}</th></tr></thead>
<tbody>{{range .EMV}}<tr><td>{{.Network}}</td><td>{{.Action}}</td><td>{{printf "%.2f" .Value}}</td></tr>{{end}}</tbody></table>
</body></html>
`))

func definitions(lang string) []string {
	return []string{ReportLabel(lang, "def_interactions"), ReportLabel(lang, "def_clicks"), ReportLabel(lang, "def_emv"),
		ReportLabel(lang, "def_cpe"), ReportLabel(lang, "def_roi")}
}

// WriteHTML writes the campaign's results as a standalone HTML page.
func WriteHTML(w io.Writer, cr CampaignResults, lang string, now time.Time) error {
	return reportHTML.Execute(w, map[string]any{
		"Lang": lang, "Title": ReportLabel(lang, "title"), "Campaign": cr.Campaign.Name, "Generated": ReportLabel(lang, "generated"),
		"Now": now.UTC().Format(time.DateOnly), "Currency": cr.Currency, "Headers": headers(lang), "Rows": cr.table(lang),
		"DefTitle": ReportLabel(lang, "definitions"), "Defs": definitions(lang), "EMVTitle": ReportLabel(lang, "emv_table"),
		"NetworkLabel": ReportLabel(lang, "network"), "ActionLabel": ReportLabel(lang, "action"), "ValueLabel": ReportLabel(lang, "value"),
		"EMV": cr.EMVRules,
	})
}

// WritePDF writes the campaign's results as an A4 landscape PDF (core
// fonts: accents of French and German print, emoji do not).
func WritePDF(w io.Writer, cr CampaignResults, lang, brand string, now time.Time) error {
	pdf := fpdf.New("L", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	title := ReportLabel(lang, "title")
	pdf.SetTitle(tr(brand+" – "+title), false)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 6, tr(fmt.Sprintf("relais · %s · %d", brand, pdf.PageNo())), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 15)
	pdf.CellFormat(0, 9, tr(title+" – "+cr.Campaign.Name), "", 1, "", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	pdf.CellFormat(0, 6, tr(fmt.Sprintf("%s · %s %s · %s", brand, ReportLabel(lang, "generated"), now.UTC().Format(time.DateOnly), cr.Currency)), "", 1, "", false, 0, "")
	pdf.Ln(2)
	widths := []float64{44, 22, 18, 18, 22, 16, 20, 20, 22, 20, 22, 18, 15}
	pdf.SetFont("Helvetica", "B", 7)
	pdf.SetFillColor(230, 236, 245)
	for i, h := range headers(lang) {
		pdf.CellFormat(widths[i], 6, tr(h), "1", 0, "C", true, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont("Helvetica", "", 8)
	_, pageH := pdf.GetPageSize()
	for _, row := range cr.table(lang) {
		if pdf.GetY() > pageH-25 {
			pdf.AddPage()
		}
		for i, c := range row {
			align := "R"
			if i < 2 {
				align = "L"
			}
			pdf.CellFormat(widths[i], 5, tr(c), "1", 0, align, false, 0, "")
		}
		pdf.Ln(-1)
	}
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(0, 7, tr(ReportLabel(lang, "definitions")), "", 1, "", false, 0, "")
	pdf.SetFont("Helvetica", "", 8)
	for _, d := range definitions(lang) {
		pdf.MultiCell(0, 4, tr(d), "", "", false)
	}
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "B", 9)
	pdf.CellFormat(0, 6, tr(ReportLabel(lang, "emv_table")), "", 1, "", false, 0, "")
	pdf.SetFont("Helvetica", "", 8)
	for _, r := range cr.EMVRules {
		pdf.CellFormat(30, 5, tr(r.Network), "1", 0, "L", false, 0, "")
		pdf.CellFormat(30, 5, tr(r.Action), "1", 0, "L", false, 0, "")
		pdf.CellFormat(20, 5, money(r.Value), "1", 1, "R", false, 0, "")
	}
	return pdf.Output(w)
}
