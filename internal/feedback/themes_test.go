package feedback

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/textmodel"
)

// brandDir holds the labelled brand comments shared with the sentiment package.
const brandDir = "../sentiment/testdata/brand"

type labelled struct {
	themes []Theme
	text   string
}

func readThemes(t *testing.T, name string) []labelled {
	t.Helper()
	lang, round, _ := strings.Cut(strings.TrimSuffix(name, ".tsv"), "_")
	brand, err := textmodel.ReadBrandFile(filepath.Join(brandDir, name), lang, round)
	require.NoError(t, err)
	var rows []labelled
	for _, r := range brand {
		var ths []Theme
		for _, k := range r.Themes {
			require.Contains(t, All, Theme(k), "%s: unknown theme %q", name, k)
			ths = append(ths, Theme(k))
		}
		rows = append(rows, labelled{themes: ths, text: r.Text})
	}
	return rows
}

// microF1 scores predicted theme sets against gold ones over all theme decisions.
func microF1(rows []labelled, lang string, miss func(labelled, []Theme)) float64 {
	tp, fp, fn := 0, 0, 0
	for _, r := range rows {
		got := Themes(r.text, lang)
		bad := false
		for _, g := range got {
			if slices.Contains(r.themes, g) {
				tp++
			} else {
				fp++
				bad = true
			}
		}
		for _, g := range r.themes {
			if !slices.Contains(got, g) {
				fn++
				bad = true
			}
		}
		if bad && miss != nil {
			miss(r, got)
		}
	}
	if tp == 0 {
		return 0
	}
	p := float64(tp) / float64(tp+fp)
	rc := float64(tp) / float64(tp+fn)
	return 2 * p * rc / (p + rc)
}

// TestThemeFloors holds micro-F1 ≥ 0.80 per language on the tuning sets and
// on the held-out set, which is scored but never tuned on (its misses are not printed).
func TestThemeFloors(t *testing.T) {
	t.Parallel()
	for _, set := range []string{"dev", "holdout", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind12", "blind13"} {
		for _, lang := range []string{"en", "fr", "de"} {
			t.Run(set+"/"+lang, func(t *testing.T) {
				t.Parallel()
				var rows []labelled
				var logMiss func(labelled, []Theme)
				if set == "dev" {
					for _, n := range []string{"_dev.tsv", "_dev2.tsv", "_dev3.tsv", "_dev4.tsv", "_dev6.tsv"} {
						rows = append(rows, readThemes(t, lang+n)...)
					}
					logMiss = func(r labelled, got []Theme) { t.Logf("miss: gold=%v got=%v %q", r.themes, got, r.text) }
				} else if set == "blind4" {
					// Scored once untouched, then tuned on, like blind5, blind6 and blind7 (later rounds
					// of theme cues); blind8 and blind9 are held out.
					rows = readThemes(t, lang+"_blind4.tsv")
					logMiss = func(r labelled, got []Theme) { t.Logf("miss: gold=%v got=%v %q", r.themes, got, r.text) }
				} else {
					rows = readThemes(t, lang+"_"+set+".tsv")
				}
				f1 := microF1(rows, lang, logMiss)
				t.Logf("%s/%s: n=%d micro-F1=%.3f", set, lang, len(rows), f1)
				// The floor holds on the tuning sets; the held-out sets guard the level
				// measured when they were first scored (docs/text-intelligence.md gives both).
				floor := 0.80
				switch set {
				case "holdout", "blind4":
					floor = 0.72
				case "blind5", "blind6", "blind7":
					floor = 0.60 // tuned on after their blind scores (0.68–0.75, 0.61–0.68, 0.55–0.67)
				case "blind8":
					floor = 0.76 // held out: 0.76–0.78 before the eighth round, 0.77–0.80 after
				case "blind9":
					floor = 0.58 // held out from the cues, its blind score: 0.59–0.64
				case "blind10":
					// Never trained or tuned on (the learned layer is trained on every set but the
					// held-out ones): the level measured with the shipped model since train13
					// (0.810 / 0.792 / 0.785; 0.801 / 0.767 / 0.752 before the third data round),
					// less 0.02; French and German below the 0.80. The cue tables alone:
					// 0.718 / 0.672 / 0.692.
					floor = map[string]float64{"en": 0.79, "fr": 0.77, "de": 0.76}[lang]
				case "blind12":
					// Held out like blind10, by another author: 0.913 / 0.943 / 0.901 with the shipped
					// model (0.820 / 0.856 / 0.798 before the third data round), less 0.02.
					floor = map[string]float64{"en": 0.89, "fr": 0.92, "de": 0.88}[lang]
				case "blind13":
					// Held out, by an author without the labelling guide: 0.917 / 0.891 / 0.895 with the
					// shipped model (scored once), less 0.02.
					floor = map[string]float64{"en": 0.89, "fr": 0.87, "de": 0.87}[lang]
				}
				require.GreaterOrEqual(t, f1, floor, "theme micro-F1")
			})
		}
	}
}

func TestThemes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text, lang string
		want       []Theme
	}{
		{"", "en", []Theme{}},
		{"Where is my refund???", "en", []Theme{RefundReturn}},
		{"Mein Paket ist seit 9 Tagen im Depot, Expressversand bezahlt", "de", []Theme{Delivery}},
		{"L'appli plante au moment du paiement", "fr", []Theme{Website}},
		{"Paiement refusé deux fois, carte débitée quand même", "fr", []Theme{Payment}},
		{"The seam opened after a month and customer service never replied", "en", []Theme{Quality, Service}},
		{"Sold out in 2 minutes again", "en", []Theme{Stock}},
		{"Boycott until you pay a living wage", "en", []Theme{Ethics}},
		{"Is size 40 back in stock?", "en", []Theme{Stock}},
		{"Size 40 is far too tight", "en", []Theme{SizeFit}},
		{"Underpaid workers so you can sell £5 tops", "en", []Theme{Ethics}},
		{"Still waiting for my order", "en", []Theme{Delivery}},
		{"80 € pour un t-shirt", "fr", []Theme{Price}},
		// Morphology: missing accents, stems, compound heads and parts, hyphenated words.
		{"Reponses du service client: aucune, et ma commande n'est toujours pas livree", "fr", []Theme{Delivery, Service}},
		{"Die Schuhgrößen fallen bei euch komplett unterschiedlich aus", "de", []Theme{SizeFit}},
		{"Lieferverzögerungen ohne Ende", "de", []Theme{Delivery}},
		{"Kundenservicehotline nie erreichbar", "de", []Theme{Service}},
		{"Shirts aus Ausbeuterfabriken", "de", []Theme{Ethics}},
		{"Remboursements jamais effectues", "fr", []Theme{RefundReturn}},
		{"Je la porte aujourd'hui", "fr", []Theme{}},
		{"Enfin de retour en noir", "fr", []Theme{Stock}},
		{"I'm 1m62, would the long coat drown me?", "en", []Theme{SizeFit}},
		{"Had them 6 years and still wearing them", "en", []Theme{Quality}},
		{"Die Filialleitung war sehr freundlich", "de", []Theme{Store}},
		{"Sohle nach zwei Wochen abgerissen", "de", []Theme{Quality}},
	} {
		// The cues are the tables'; the learned layer on top must agree too, except where it is
		// known to be wrong (learnedMisses).
		require.Equal(t, tc.want, ThemesModel(nil, tc.text, tc.lang), tc.text)
		if learnedMisses[tc.text] == "" {
			require.Equal(t, tc.want, Themes(tc.text, tc.lang), "rules + model: "+tc.text)
		}
	}
}

// learnedMisses are texts of the tests where the learned layer overrules the cue tables and is
// wrong (docs/text-intelligence.md, "Learned layer"): kept visible rather than relabelled.
var learnedMisses = map[string]string{
	"The seam opened after a month and customer service never replied": "drops quality: service, not the seam, carries the complaint in the corpus",
	"80 € pour un t-shirt": "adds quality: since train11 a price with a garment is often a price-and-quality complaint",
}

func FuzzThemes(f *testing.F) {
	for _, s := range []string{"Where is my refund???", "l'appli", "Expressversand", "£80", "\xff\xfe", "a_b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lang := range []string{"en", "fr", "de", "other"} {
			got := Themes(s, lang)
			require.NotNil(t, got)
			require.True(t, slices.IsSortedFunc(got, func(a, b Theme) int { return themeIndex(a) - themeIndex(b) }))
		}
	})
}

var benchTexts = []string{
	"My parcel has been sitting in the same depot for 9 days now",
	"Retour renvoyé le 3, toujours pas de remboursement",
	"Die Naht an meiner Jacke ist nach einem Monat aufgegangen",
	"Obsessed with this colour 😍",
}

func BenchmarkThemes(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Analyze(benchTexts[i%len(benchTexts)], "")
	}
}

// BenchmarkThemesRules is the cue tables alone (language given), to show the learned layer's cost
// beside BenchmarkThemesModel (the same texts and language with it).
func BenchmarkThemesRules(b *testing.B) {
	langs := []string{"en", "fr", "de", "en"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = ThemesModel(nil, benchTexts[i%len(benchTexts)], langs[i%len(langs)])
	}
}

func BenchmarkThemesModel(b *testing.B) {
	langs := []string{"en", "fr", "de", "en"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = Themes(benchTexts[i%len(benchTexts)], langs[i%len(langs)])
	}
}
