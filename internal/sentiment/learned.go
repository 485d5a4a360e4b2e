package sentiment

import (
	"bufio"
	_ "embed"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/relais/relais/internal/textmodel"
)

//go:generate go run ./train -write

// modelData is the learned layer's weights (docs/text-intelligence.md, "Learned layer"),
// written by ./train from the brand corpus; empty, the rules decide alone.
//
//go:embed model/sentiment.rtm
var modelData []byte

// ModelLabels are the learned layer's classes, in the order of its scores.
var ModelLabels = []string{string(Negative), string(Neutral), string(Positive)}

// embedded is the shipped model, read on first use.
var embedded = textmodel.Embedded("sentiment", modelData)

// EmbeddedModel returns the shipped learned layer (nil when none is embedded).
func EmbeddedModel() *textmodel.Model { return embedded() }

// ruleView is what the rule engine found in a text, as the learned layer reads it.
type ruleView struct {
	lexical  float64 // the lexicon's valence sum before the complaint layer
	compound float64 // the rules' final compound
	comp     complaint
	pos, neg int // drivers of each sign
}

// Rule feature kinds, after textmodel's own.
const (
	kindRuleLabel = textmodel.KindRule + iota
	kindRuleLabelLang
	kindRuleBin
)

// modelFeatures fills b with the text's hashed features and the rule engine's outputs.
func modelFeatures(b *textmodel.Bag, text, lang string, v *ruleView) {
	b.AddText(text, lang)
	label := labelFor(v.compound)
	b.Add(ruleKeys.label[label])
	if h, ok := ruleKeys.labelLang[string(label)+lang]; ok {
		b.Add(h)
	} else {
		b.Add(textmodel.Key(kindRuleLabelLang, string(label)+lang))
	}
	b.Add(ruleKeys.compound[bin(v.compound)])
	b.Add(ruleKeys.lexical[bin(normalize(v.lexical))])
	c := &v.comp
	strength := 0
	switch {
	case c.strength >= 2:
		strength = 3
	case c.strength >= complaintMin:
		strength = 2
	case c.strength > 0:
		strength = 1
	}
	b.Add(ruleKeys.strength[strength])
	flags := [len(ruleKeys.cue)]bool{c.sarcasm, c.relief > 0, c.past, c.fast, c.report, c.quoted, c.addressed, c.closing >= 0, c.contrast,
		c.rating >= 0 && c.rating < 0.5, c.rating > 0.5}
	for i, on := range flags {
		if on {
			b.Add(ruleKeys.cue[i])
		}
	}
	b.Add(ruleKeys.pos[min(v.pos, 2)])
	b.Add(ruleKeys.neg[min(v.neg, 2)])
}

// ruleKeys are the rule features' hashes, computed once.
var ruleKeys = func() (k struct {
	label             map[Label]uint32
	labelLang         map[string]uint32
	compound, lexical [12]uint32
	strength          [4]uint32
	cue               [11]uint32
	pos, neg          [3]uint32
}) {
	k.label, k.labelLang = map[Label]uint32{}, map[string]uint32{}
	for _, l := range []Label{Positive, Negative, Neutral} {
		k.label[l] = textmodel.Key(kindRuleLabel, string(l))
		for _, lang := range []string{"en", "fr", "de", "other"} {
			k.labelLang[string(l)+lang] = textmodel.Key(kindRuleLabelLang, string(l)+lang)
		}
	}
	for i := range k.compound {
		k.compound[i] = textmodel.KeyN(kindRuleBin, "compound", i)
		k.lexical[i] = textmodel.KeyN(kindRuleBin, "lexical", i)
	}
	for i := range k.strength {
		k.strength[i] = textmodel.KeyN(kindRuleBin, "strength", i)
	}
	for i := range k.cue {
		k.cue[i] = textmodel.KeyN(kindRuleBin, "cue", i)
	}
	for i := range k.pos {
		k.pos[i] = textmodel.KeyN(kindRuleBin, "pos", i)
		k.neg[i] = textmodel.KeyN(kindRuleBin, "neg", i)
	}
	return k
}()

// bin maps a compound in [-1, 1] to one of eleven bins, exact zero apart.
func bin(c float64) int {
	if c == 0 {
		return 11
	}
	return int(math.Floor((math.Max(-1, math.Min(1, c)) + 1) * 5))
}

// decide applies the learned layer to the rules' result: the model's most
// probable class is the label; the compound stays the rules' when they agree,
// otherwise it becomes P(positive) − P(negative) kept inside the label's band.
func decide(m *textmodel.Model, r *Result, text string, v *ruleView) {
	var b textmodel.Bag
	modelFeatures(&b, text, r.Lang, v)
	if b.Words() == 0 {
		return // no word: emoji and punctuation are the rules' (their scores are curated)
	}
	var s [3]float32
	m.ScoreBag(&b, s[:])
	m.Probabilities(s[:])
	best := 0
	for c := 1; c < 3; c++ {
		if s[c] > s[best] {
			best = c
		}
	}
	label := [3]Label{Negative, Neutral, Positive}[best]
	if label == r.Label {
		return
	}
	d := float64(s[2] - s[0])
	switch label {
	case Positive:
		r.Compound = math.Max(labelCutoff, d)
	case Negative:
		r.Compound = math.Min(-labelCutoff, d)
	default:
		r.Compound = math.Max(-0.04, math.Min(0.04, d))
	}
	r.Compound = math.Round(r.Compound*1e4) / 1e4
	r.Label = label
	if v := math.Round(d*1000) / 1000; v != 0 { // drivers never carry 0 (a tie says nothing)
		r.Drivers = append(r.Drivers, Driver{Word: "(model)", Valence: v})
	}
}

// TrainOptions are the settings the shipped layer is trained with: the common ones, and the
// negative class favoured in close calls (recall of complaints first, chosen on the
// leave-one-round-out evaluation, never on the held-out round).
var TrainOptions = func() textmodel.Options {
	o := textmodel.DefaultOptions
	o.LabelShift = []float64{negativeShift, 0, 0}
	return o
}()

const negativeShift = 1.0

// Example is one labelled text for TrainModel.
type Example struct {
	Text, Lang string
	Label      Label
}

// corpusLabels maps the labelled sets' label column to labels.
var corpusLabels = map[string]Label{"pos": Positive, "neg": Negative, "neu": Neutral}

// BrandExamples turns brand-corpus rows into training examples, in order.
func BrandExamples(rows []textmodel.BrandRow) []Example {
	ex := make([]Example, len(rows))
	for i, r := range rows {
		ex[i] = Example{Text: r.Text, Lang: r.Lang, Label: corpusLabels[r.Label]}
	}
	return ex
}

// TrainingExamples are what the shipped layer learns from: the brand rows (the corpus minus
// the held-out round), then the sentiment-only tuning sets of devDir (testdata/dev,
// LANG.tsv and LANG_more.tsv, "label<TAB>text" per line, no themes), files in name order.
func TrainingExamples(rows []textmodel.BrandRow, devDir string) ([]Example, error) {
	ex := BrandExamples(rows)
	files, err := filepath.Glob(filepath.Join(devDir, "*.tsv"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("sentiment: no tuning sets in %s", devDir)
	}
	sort.Strings(files)
	for _, path := range files {
		lang, _, _ := strings.Cut(strings.TrimSuffix(filepath.Base(path), ".tsv"), "_")
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			label, text, ok := strings.Cut(sc.Text(), "\t")
			if line == 1 || strings.TrimSpace(sc.Text()) == "" {
				continue
			}
			l, known := corpusLabels[label]
			if !ok || !known {
				f.Close()
				return nil, fmt.Errorf("%s:%d: want label<TAB>text", path, line)
			}
			ex = append(ex, Example{Text: text, Lang: lang, Label: l})
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return ex, nil
}

// TrainModel fits the learned layer on labelled texts, each read with its
// language forced as a network tag would, over the rules' own outputs.
func TrainModel(ex []Example, o textmodel.Options) *textmodel.Model {
	tex := make([]textmodel.Example, len(ex))
	b := new(textmodel.Bag)
	for i, e := range ex {
		r, v := analyzeRules(e.Text, e.Lang, "")
		modelFeatures(b, e.Text, r.Lang, &v)
		tex[i] = textmodel.Example{Feats: b.Features(), Class: slices.Index(ModelLabels, string(e.Label))}
	}
	return textmodel.Train(ModelLabels, false, tex, o)
}

// AnalyzeModel is Analyze with another learned layer (nil: the rules alone), for evaluations.
func AnalyzeModel(m *textmodel.Model, text, langHint string) Result {
	r, v := analyzeRules(text, langHint, "")
	if m != nil {
		decide(m, &r, text, &v)
	}
	return r
}
