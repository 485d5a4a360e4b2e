package feedback

import (
	_ "embed"

	"github.com/relais/relais/internal/textmodel"
)

// modelData is the learned layer's weights (docs/text-intelligence.md, "Learned layer"),
// written by internal/sentiment/train from the brand corpus; empty, the cues decide alone.
//
//go:embed model/themes.rtm
var modelData []byte

// ModelLabels are the learned layer's labels: the theme keys in report order.
var ModelLabels = func() []string {
	out := make([]string, len(All))
	for i, t := range All {
		out[i] = string(t)
	}
	return out
}()

var embedded = textmodel.Embedded("feedback", modelData)

// EmbeddedModel returns the shipped learned layer (nil when none is embedded).
func EmbeddedModel() *textmodel.Model { return embedded() }

// Rule feature kinds, after textmodel's own.
const (
	kindRuleTheme = textmodel.KindRule + 8 + iota
	kindRuleCount
)

// ruleKeys are the hashes of the cue tables' features, computed once: one per
// theme found, then how many were found (0, 1, 2, 3 or more).
var ruleKeys = func() (k struct{ theme, count []uint32 }) {
	for i := range All {
		k.theme = append(k.theme, textmodel.KeyN(kindRuleTheme, "", i))
	}
	for n := range 4 {
		k.count = append(k.count, textmodel.KeyN(kindRuleCount, "", n))
	}
	return k
}()

// modelFeatures fills b with the text's hashed features and the cue tables' themes.
func modelFeatures(b *textmodel.Bag, text, lang string, rules themeSet) {
	b.AddText(text, lang)
	n := 0
	for k := range All {
		if rules&(1<<k) != 0 {
			b.Add(ruleKeys.theme[k])
			n++
		}
	}
	b.Add(ruleKeys.count[min(n, 3)])
}

// ThemesModel is Themes with another learned layer (nil: the cue tables alone), for evaluations.
func ThemesModel(m *textmodel.Model, text, lang string) []Theme {
	rules := ruleThemes(text, lang)
	if m == nil {
		return rules.list()
	}
	var b textmodel.Bag
	modelFeatures(&b, text, lang, rules)
	if b.Words() == 0 {
		return rules.list() // nothing to read: no word, only emoji or punctuation
	}
	var s [textmodel.MaxLabels]float32
	m.ScoreBag(&b, s[:len(All)])
	var hit themeSet
	for k := range All {
		if s[k] > 0 || rules&(1<<k) != 0 && s[k] > RuleKeep {
			hit |= 1 << k
		}
	}
	return hit.list()
}

// TrainOptions are the settings the shipped layer is trained with: the common ones, and each
// theme's threshold lowered from one half to about 0.32 (a bias shift of 0.75); with RuleKeep,
// a theme the cue tables find stays unless the model's score is below −1 (a probability of
// 0.27 with the shift). Both were chosen on the leave-one-round-out evaluation, never on the
// held-out round: at one half and without the rules' say the model kept precision and lost recall.
var TrainOptions = func() textmodel.Options {
	o := textmodel.DefaultOptions
	o.LabelShift = make([]float64, len(All))
	for i := range o.LabelShift {
		o.LabelShift[i] = 0.75
	}
	return o
}()

// RuleKeep is the score above which a theme the cue tables found is kept
// (the trainer's experiments change it; nothing else does).
var RuleKeep float32 = -1

// Example is one labelled text for TrainModel.
type Example struct {
	Text, Lang string
	Themes     []Theme
}

// BrandExamples turns brand-corpus rows into training examples, in order.
func BrandExamples(rows []textmodel.BrandRow) []Example {
	ex := make([]Example, len(rows))
	for i, r := range rows {
		ths := make([]Theme, len(r.Themes))
		for k, t := range r.Themes {
			ths[k] = Theme(t)
		}
		ex[i] = Example{Text: r.Text, Lang: r.Lang, Themes: ths}
	}
	return ex
}

// TrainModel fits the learned layer on labelled texts read in their language.
func TrainModel(ex []Example, o textmodel.Options) *textmodel.Model {
	tex := make([]textmodel.Example, len(ex))
	b := new(textmodel.Bag)
	for i, e := range ex {
		var set []int
		for _, t := range e.Themes {
			set = append(set, themeIndex(t))
		}
		modelFeatures(b, e.Text, e.Lang, ruleThemes(e.Text, e.Lang))
		tex[i] = textmodel.Example{Feats: b.Features(), Set: set}
	}
	return textmodel.Train(ModelLabels, true, tex, o)
}
