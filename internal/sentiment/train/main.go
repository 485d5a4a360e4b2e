// Command train fits the learned layers of internal/sentiment and
// internal/feedback on the brand corpus (internal/sentiment/testdata/brand)
// and evaluates them. Run from internal/sentiment (go generate does):
//
//	go run ./train -write     # train on every round but the held-out ones, write the weight files
//	go run ./train -loro      # leave-one-round-out table, rules alone vs rules + model
//	go run ./train -heldout   # each held-out round (never trained on), rules alone vs the shipped model
//
// Training is deterministic: the same corpus and options give the same files.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/relais/relais/internal/feedback"
	"github.com/relais/relais/internal/sentiment"
	"github.com/relais/relais/internal/textmodel"
)

func main() {
	brand := flag.String("brand", filepath.Join("testdata", "brand"), "brand corpus directory")
	flag.StringVar(&devDir, "dev", filepath.Join("testdata", "dev"), "sentiment-only tuning sets, added to every sentiment training run (\"\": none, experiments only)")
	write := flag.Bool("write", false, "train on every round but "+strings.Join(textmodel.HeldOut, ", ")+" and write the weight files")
	sentOut := flag.String("sentiment-out", filepath.Join("model", "sentiment.rtm"), "sentiment weight file")
	themesOut := flag.String("themes-out", filepath.Join("..", "feedback", "model", "themes.rtm"), "themes weight file")
	loro := flag.Bool("loro", false, "print the leave-one-round-out table")
	heldout := flag.Bool("heldout", false, "score each of "+strings.Join(textmodel.HeldOut, ", ")+" with the rules alone and with the model trained on every other round")
	perTheme := flag.Bool("per-theme", false, "with -heldout or -loro: also each theme's precision and recall per language (counts only, never texts)")
	so, fo := &sentiment.TrainOptions, &feedback.TrainOptions
	epochs := flag.Int("epochs", so.Epochs, "passes (experiments only; the shipped files use the packages' TrainOptions)")
	rate := flag.Float64("rate", so.Rate, "AdaGrad rate (experiments only)")
	l2 := flag.Float64("l2", so.L2, "L2 penalty (experiments only)")
	shift := flag.Float64("shift", fo.LabelShift[0], "themes bias shift (experiments only)")
	negShift := flag.Float64("negshift", so.LabelShift[0], "negative bias shift (experiments only)")
	bits := flag.Uint("bits", uint(so.Bits), "hash bits (experiments only)")
	ruleKeep := flag.Float64("rule-keep", float64(feedback.RuleKeep), "score above which a theme the cue tables found is kept (experiments only)")
	themesOnly := flag.Bool("themes-only", false, "train and score the themes layer only (experiments; sentiment figures are the rules')")
	misses := flag.String("theme-misses", "", "print the themes misses of this training round, scored by a model trained without it (held-out rounds refused)")
	flag.Parse()
	for _, o := range []*textmodel.Options{so, fo} {
		o.Epochs, o.Rate, o.L2, o.Bits = *epochs, *rate, *l2, uint8(*bits)
	}
	so.LabelShift[0] = *negShift
	feedback.RuleKeep = float32(*ruleKeep)
	skipSentiment = *themesOnly
	for i := range fo.LabelShift {
		fo.LabelShift[i] = *shift
	}
	rows, err := textmodel.ReadBrand(*brand)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	train := textmodel.WithoutHeldOut(rows)
	if *write {
		s, t := Train(train)
		for path, m := range map[string]*textmodel.Model{*sentOut: s, *themesOut: t} {
			raw, _ := m.MarshalBinary()
			if err := os.WriteFile(path, textmodel.Compress(raw), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	}
	if *misses != "" {
		if textmodel.IsHeldOut(*misses) {
			fmt.Fprintln(os.Stderr, "train: the misses of a held-out round are never printed")
			os.Exit(2)
		}
		t := TrainThemes(Without(train, *misses))
		for _, r := range Only(train, *misses) {
			got := feedback.ThemesModel(t, r.Text, r.Lang)
			missed := false
			compareThemes(r.Themes, got, func(_ string, k outcome) { missed = missed || k != truePos })
			if missed {
				fmt.Printf("%s\tgold=%v\tgot=%v\t%s\n", r.Lang, r.Themes, got, r.Text)
			}
		}
	}
	if *loro {
		c := LeaveOneRoundOut(os.Stdout, train)
		if *perTheme {
			c.Print(os.Stdout)
		}
	}
	if *heldout {
		s, t := Train(train)
		for _, round := range textmodel.HeldOut {
			test := Only(rows, round)
			if len(test) == 0 {
				continue
			}
			fmt.Println("| " + round + " | EN / FR / DE | macro-F1 | neg recall | pos/neg acc | neu recall | themes micro-F1 |")
			fmt.Println("|---|---|---|---|---|---|---|")
			c := ThemeCounts{}
			fmt.Println(Row("rules alone", Score(test, nil, nil, nil)))
			fmt.Println(Row("rules + model", Score(test, s, t, c)))
			if *perTheme {
				c.Print(os.Stdout)
			}
			fmt.Println()
		}
	}
}

// Without is rows minus one round.
func Without(rows []textmodel.BrandRow, round string) []textmodel.BrandRow {
	return slices.DeleteFunc(slices.Clone(rows), func(r textmodel.BrandRow) bool { return r.Round == round })
}

// Only is the rows of one round.
func Only(rows []textmodel.BrandRow, round string) []textmodel.BrandRow {
	return slices.DeleteFunc(slices.Clone(rows), func(r textmodel.BrandRow) bool { return r.Round != round })
}

// skipSentiment leaves the sentiment layer untrained (nil) in experiments on the themes.
var skipSentiment bool

// devDir holds the sentiment-only sets every sentiment model also learns from (-dev).
var devDir string

// Train fits both learned layers on rows; the sentiment layer also on the sets of devDir.
func Train(rows []textmodel.BrandRow) (*textmodel.Model, *textmodel.Model) {
	if skipSentiment {
		return nil, TrainThemes(rows)
	}
	ex := sentiment.BrandExamples(rows)
	if devDir != "" {
		var err error
		if ex, err = sentiment.TrainingExamples(rows, devDir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	return sentiment.TrainModel(ex, sentiment.TrainOptions),
		TrainThemes(rows)
}

// TrainThemes fits the themes layer alone on rows.
func TrainThemes(rows []textmodel.BrandRow) *textmodel.Model {
	return feedback.TrainModel(feedback.BrandExamples(rows), feedback.TrainOptions)
}

// Metrics are the floors' figures for one language of one set.
type Metrics struct {
	N                                       int
	MacroF1, NegRecall, PolarAcc, NeuRecall float64
	ThemesF1                                float64
	ThemesTP, ThemesFP, ThemesFN            int
	tp, fp, fn                              [3]int
	negN, neuN, polarN, polarOK             int
}

var langs = []string{"en", "fr", "de"}

// Score evaluates rows per language with the given layers (nil: rules alone).
// Each theme's outcome is also added to themes when it is not nil.
func Score(rows []textmodel.BrandRow, s, t *textmodel.Model, themes ThemeCounts) map[string]*Metrics {
	out := map[string]*Metrics{}
	for _, l := range langs {
		out[l] = &Metrics{}
	}
	idx := map[string]int{"neg": 0, "neu": 1, "pos": 2}
	for _, r := range rows {
		m := out[r.Lang]
		if m == nil {
			continue
		}
		m.N++
		got := sentiment.AnalyzeModel(s, r.Text, r.Lang).Label
		g := map[sentiment.Label]int{sentiment.Negative: 0, sentiment.Neutral: 1, sentiment.Positive: 2}[got]
		w := idx[r.Label]
		if g == w {
			m.tp[w]++
		} else {
			m.fp[g]++
			m.fn[w]++
		}
		if w != 1 {
			m.polarN++
			if g == w {
				m.polarOK++
			}
		}
		compareThemes(r.Themes, feedback.ThemesModel(t, r.Text, r.Lang), func(th string, k outcome) {
			switch k {
			case truePos:
				m.ThemesTP++
			case falsePos:
				m.ThemesFP++
			default:
				m.ThemesFN++
			}
			themes.add(r.Lang, th, k)
		})
	}
	for _, m := range out {
		m.finish()
	}
	return out
}

func (m *Metrics) finish() {
	f1 := 0.0
	for c := range 3 {
		p := frac(m.tp[c], m.tp[c]+m.fp[c])
		r := frac(m.tp[c], m.tp[c]+m.fn[c])
		if p+r > 0 {
			f1 += 2 * p * r / (p + r)
		}
	}
	m.MacroF1 = f1 / 3
	m.NegRecall = frac(m.tp[0], m.tp[0]+m.fn[0])
	m.NeuRecall = frac(m.tp[1], m.tp[1]+m.fn[1])
	m.PolarAcc = frac(m.polarOK, m.polarN)
	p := frac(m.ThemesTP, m.ThemesTP+m.ThemesFP)
	r := frac(m.ThemesTP, m.ThemesTP+m.ThemesFN)
	if p+r > 0 {
		m.ThemesF1 = 2 * p * r / (p + r)
	}
}

func frac(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Row formats one table row: each figure for EN / FR / DE.
func Row(name string, ms map[string]*Metrics) string {
	var n []string
	for _, l := range langs {
		n = append(n, fmt.Sprint(ms[l].N))
	}
	f := func(get func(*Metrics) float64) string {
		var s []string
		for _, l := range langs {
			if ms[l].N == 0 {
				s = append(s, "–")
				continue
			}
			s = append(s, fmt.Sprintf("%.3f", get(ms[l])))
		}
		return strings.Join(s, " / ")
	}
	return fmt.Sprintf("| %s | %s | %s | %s | %s | %s | %s |", name, strings.Join(n, " / "),
		f(func(m *Metrics) float64 { return m.MacroF1 }), f(func(m *Metrics) float64 { return m.NegRecall }),
		f(func(m *Metrics) float64 { return m.PolarAcc }), f(func(m *Metrics) float64 { return m.NeuRecall }),
		f(func(m *Metrics) float64 { return m.ThemesF1 }))
}

// LeaveOneRoundOut trains on every round but one and scores that one, for every round.
func LeaveOneRoundOut(w *os.File, rows []textmodel.BrandRow) ThemeCounts {
	themes := ThemeCounts{}
	fmt.Fprintln(w, "| Round held out | n EN / FR / DE | macro-F1 | neg recall | pos/neg acc | neu recall | themes micro-F1 |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	sumR := map[string]*Metrics{}
	sumM := map[string]*Metrics{}
	poolR := map[string]*Metrics{}
	poolM := map[string]*Metrics{}
	for _, l := range langs {
		sumR[l], sumM[l], poolR[l], poolM[l] = &Metrics{}, &Metrics{}, &Metrics{}, &Metrics{}
	}
	rounds := textmodel.Rounds(rows)
	counts := map[string]int{}
	for _, round := range rounds {
		test := Only(rows, round)
		s, t := Train(Without(rows, round))
		r := Score(test, nil, nil, nil)
		m := Score(test, s, t, themes)
		fmt.Fprintln(w, Row(round+", rules", r))
		fmt.Fprintln(w, Row(round+", rules + model", m))
		for _, l := range langs {
			if r[l].N == 0 {
				continue
			}
			counts[l]++
			add(sumR[l], r[l])
			add(sumM[l], m[l])
			pool(poolR[l], r[l])
			pool(poolM[l], m[l])
		}
	}
	for _, l := range langs {
		div(sumR[l], counts[l])
		div(sumM[l], counts[l])
		poolR[l].finish()
		poolM[l].finish()
	}
	fmt.Fprintln(w, Row("**mean over rounds, rules**", sumR))
	fmt.Fprintln(w, Row("**mean over rounds, rules + model**", sumM))
	fmt.Fprintln(w, Row("**all rounds pooled, rules**", poolR))
	fmt.Fprintln(w, Row("**all rounds pooled, rules + model**", poolM))
	for _, l := range langs {
		r, m := poolR[l], poolM[l]
		fmt.Fprintf(w, "themes %s: rules P=%.3f R=%.3f, model P=%.3f R=%.3f\n", l, frac(r.ThemesTP, r.ThemesTP+r.ThemesFP), frac(r.ThemesTP, r.ThemesTP+r.ThemesFN),
			frac(m.ThemesTP, m.ThemesTP+m.ThemesFP), frac(m.ThemesTP, m.ThemesTP+m.ThemesFN))
	}
	return themes
}

func add(a, b *Metrics) {
	a.N += b.N
	a.MacroF1 += b.MacroF1
	a.NegRecall += b.NegRecall
	a.PolarAcc += b.PolarAcc
	a.NeuRecall += b.NeuRecall
	a.ThemesF1 += b.ThemesF1
}

func div(a *Metrics, n int) {
	if n == 0 {
		return
	}
	f := float64(n)
	a.MacroF1 /= f
	a.NegRecall /= f
	a.PolarAcc /= f
	a.NeuRecall /= f
	a.ThemesF1 /= f
}

// pool adds b's counts to a, to compute pooled figures with finish.
func pool(a, b *Metrics) {
	a.N += b.N
	for c := range 3 {
		a.tp[c] += b.tp[c]
		a.fp[c] += b.fp[c]
		a.fn[c] += b.fn[c]
	}
	a.polarN += b.polarN
	a.polarOK += b.polarOK
	a.ThemesTP += b.ThemesTP
	a.ThemesFP += b.ThemesFP
	a.ThemesFN += b.ThemesFN
}

// ThemeCounts are per-language, per-theme true positives, false positives
// and false negatives: aggregate counts only, so that a held-out set shows
// where the themes fail without its texts.
type ThemeCounts map[string]map[string]*[3]int

// outcome is a theme's fate in one text: found and labelled, found only, labelled only.
type outcome int

const (
	truePos outcome = iota
	falsePos
	falseNeg
)

// compareThemes calls f once for each theme found (got) or labelled (gold).
func compareThemes(gold []string, got []feedback.Theme, f func(theme string, k outcome)) {
	for _, th := range got {
		if slices.Contains(gold, string(th)) {
			f(string(th), truePos)
		} else {
			f(string(th), falsePos)
		}
	}
	for _, th := range gold {
		if !slices.Contains(got, feedback.Theme(th)) {
			f(th, falseNeg)
		}
	}
}

// add counts one outcome (a nil ThemeCounts counts nothing).
func (c ThemeCounts) add(lang, theme string, k outcome) {
	if c == nil {
		return
	}
	if c[lang] == nil {
		c[lang] = map[string]*[3]int{}
	}
	if c[lang][theme] == nil {
		c[lang][theme] = &[3]int{}
	}
	c[lang][theme][k]++
}

// Print writes the counts with each theme's precision and recall.
func (c ThemeCounts) Print(w *os.File) {
	fmt.Fprintln(w, "| theme | lang | tp | fp | fn | precision | recall |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, th := range feedback.All {
		for _, l := range langs {
			n := [3]int{}
			if p := c[l][string(th)]; p != nil {
				n = *p
			}
			fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %.2f | %.2f |\n", th, l, n[0], n[1], n[2], frac(n[0], n[0]+n[1]), frac(n[0], n[0]+n[2]))
		}
	}
}
