package sentiment

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// compound is a shorthand for the compound score of a text in a forced language.
// compound is the rule engine's compound: TestRules checks its mechanisms, which the learned
// layer on top does not follow (it decides the label from the rules' outputs and the words).
func compound(text, lang string) float64 { return AnalyzeModel(nil, text, lang).Compound }

func TestLabels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, lang string
		want       Label
	}{
		{"I love this jacket", "en", Positive},
		{"This jacket is awful", "en", Negative},
		{"Is the jacket lined?", "en", Neutral},
		{"J'adore cette veste", "fr", Positive},
		{"Cette veste est horrible", "fr", Negative},
		{"La veste est doublée ?", "fr", Neutral},
		{"Ich liebe diese Jacke", "de", Positive},
		{"Diese Jacke ist furchtbar", "de", Negative},
		{"Ist die Jacke gefüttert?", "de", Neutral},
		{"😍😍", "en", Positive},
		{"😡", "fr", Negative},
		{"", "", Neutral},
	}
	for _, tc := range tests {
		t.Run(tc.lang+" "+tc.text, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, Analyze(tc.text, tc.lang).Label)
		})
	}
}

func TestRules(t *testing.T) {
	t.Parallel()
	// Each case compares a text with a variant that triggers one rule.
	tests := []struct {
		name, lang, base, variant string
		check                     func(t *testing.T, base, variant float64)
	}{
		{"en negation flips", "en", "the quality is good", "the quality is not good", flips},
		{"fr ne pas flips", "fr", "la qualité est bonne", "la qualité n'est pas bonne", flips},
		{"fr bare pas flips", "fr", "c'est top", "c'est pas top", flips},
		{"fr sans flips", "fr", "un défaut", "sans défaut", flips},
		{"de kein flips", "de", "ein Problem", "kein Problem", flips},
		{"de nicht after the verb flips", "de", "das gefällt mir", "das gefällt mir nicht", flips},
		{"de nicht before the adjective flips", "de", "die Jacke ist gut", "die Jacke ist nicht gut", flips},
		{"de comma stops post-negation", "de", "gefällt mir, nicht teuer", "gefällt mir", samePolarity},
		{"en booster raises", "en", "the fit is good", "the fit is very good", stronger},
		{"fr booster raises", "fr", "la coupe est belle", "la coupe est vraiment belle", stronger},
		{"de booster raises", "de", "die Jacke ist schön", "die Jacke ist mega schön", stronger},
		{"en dampener lowers", "en", "the fit is good", "the fit is slightly good", weaker},
		{"fr un peu lowers", "fr", "c'est décevant", "c'est un peu décevant", weaker},
		{"de etwas lowers", "de", "das ist enttäuschend", "das ist etwas enttäuschend", weaker},
		{"en caps emphasise", "en", "this is great, thanks", "this is GREAT, thanks", stronger},
		{"en exclamation emphasises", "en", "this is great", "this is great!!", stronger},
		{"en elongation emphasises", "en", "this is good", "this is goooood", stronger},
		{"fr elongation emphasises", "fr", "c'est super", "c'est superrrr", stronger},
		{"en but shifts to the second clause", "en", "the colour is lovely but the fabric is cheap", "", negativeResult},
		{"fr mais shifts to the second clause", "fr", "la couleur est belle mais le tissu est nul", "", negativeResult},
		{"de aber shifts to the second clause", "de", "die Farbe ist schön, aber der Stoff ist schlecht", "", negativeResult},
		{"en never so boosts", "en", "comfortable jeans", "never so comfortable", samePolarity},
		{"fr jamais aussi boosts", "fr", "un jean confortable", "jamais un jean aussi confortable", samePolarity},
		{"de nie so boosts", "de", "eine bequeme Jeans", "noch nie so eine bequeme Jeans", samePolarity},
		{"fr stem finds feminine plural", "fr", "déçu", "déçues", samePolarity},
		{"fr accents optional", "fr", "déçue", "decue", samePolarity},
		{"de stem finds inflection", "de", "bequem", "bequemen", samePolarity},
		{"de compound head", "de", "Verzögerung", "Lieferverzögerung", samePolarity},
		{"de Mode is not negative", "de", "", "Die neue Mode ist da", neutralResult},
		{"fr function words never borrow a lemma", "fr", "", "C'est le même modèle", neutralResult}, // not "mémé" through accent folding
		{"en praise in a question is not a judgement", "en", "", "Are these comfortable?", neutralResult},
		{"en complaint in a question still counts", "en", "Why is my order always late?", "", negativeResult},
		{"emoji is not negated", "en", "🙄", "not 🙄", sameValue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.check(t, compound(tc.base, tc.lang), compound(tc.variant, tc.lang))
		})
	}
}

func flips(t *testing.T, base, variant float64) {
	t.Helper()
	require.NotZero(t, base)
	require.Less(t, base*variant, 0.0, "sign flips: %v vs %v", base, variant)
}

func stronger(t *testing.T, base, variant float64) {
	t.Helper()
	require.NotZero(t, base)
	require.Greater(t, math.Abs(variant), math.Abs(base))
	require.Equal(t, math.Signbit(base), math.Signbit(variant))
}

func weaker(t *testing.T, base, variant float64) {
	t.Helper()
	require.NotZero(t, variant)
	require.Less(t, math.Abs(variant), math.Abs(base))
	require.Equal(t, math.Signbit(base), math.Signbit(variant))
}

func samePolarity(t *testing.T, base, variant float64) {
	t.Helper()
	require.NotZero(t, base)
	require.NotZero(t, variant)
	require.Equal(t, math.Signbit(base), math.Signbit(variant), "%v vs %v", base, variant)
}

func sameValue(t *testing.T, base, variant float64) {
	t.Helper()
	require.NotZero(t, base)
	require.InDelta(t, base, variant, 1e-9)
}

func negativeResult(t *testing.T, base, _ float64) {
	t.Helper()
	if base == 0 {
		t.Fatal("expected a negative score, got 0")
	}
	require.Less(t, base, -labelCutoff)
}

func neutralResult(t *testing.T, _, variant float64) {
	t.Helper()
	require.InDelta(t, 0, variant, labelCutoff)
}

func TestDrivers(t *testing.T) {
	t.Parallel()
	r := Analyze("Love the colour but the zip broke after a week 😡", "en")
	require.Equal(t, Negative, r.Label)
	words := map[string]float64{}
	for _, d := range r.Drivers {
		words[d.Word] = d.Valence
	}
	require.Greater(t, words["Love"], 0.0, "drivers %v", r.Drivers)
	require.Less(t, words["😡"], 0.0, "drivers %v", r.Drivers)

	r = Analyze("Ce pull n'est pas terrible, je renvoie tout", "fr")
	var got []string
	for _, d := range r.Drivers {
		got = append(got, d.Word)
	}
	require.Contains(t, got, "je renvoie tout", "phrases are reported whole")

	r = Analyze("C'est n'importe quoi", "fr")
	require.Equal(t, []Driver{{Word: "n'importe quoi", Valence: -2.2}}, r.Drivers, "elided phrases keep their apostrophe")

	r = Analyze("Is the jacket lined?", "en")
	require.NotNil(t, r.Drivers)
	require.Empty(t, r.Drivers)
}

func TestCompoundBounds(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("AMAZING!!! love love love 😍 ", 200)
	c := compound(long, "en")
	require.LessOrEqual(t, c, 1.0)
	require.Greater(t, c, 0.99)
	c = compound(strings.Repeat("horrible nul arnaque 😡 ", 200), "fr")
	require.GreaterOrEqual(t, c, -1.0)
	require.Less(t, c, -0.99)
}

func TestHugeInputsStayLinear(t *testing.T) {
	t.Parallel()
	// One pasted 200 KB "word" must not trigger the quadratic compound-head search.
	blob := strings.Repeat("lieferverzögerung", 12000)
	r := Analyze(blob, "de")
	require.Equal(t, LangGerman, r.Lang)
	r = Analyze(strings.Repeat("great ", 50000), "en")
	require.Greater(t, r.Compound, 0.99)
}

func TestTokenize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text, lang string
		want       []string
	}{
		{"J'adore l’ourlet!", "fr", []string{"j'", "adore", "l'", "ourlet"}},
		{"can't wait :) see https://x.example/a", "en", []string{"can't", "wait", ":)", "see"}},
		{"super😍😍 @anna_b.", "de", []string{"super", "😍", "😍", "@anna_b"}},
		{"T-Shirt, Newsletter-Rabatt", "de", []string{"t", "shirt", "newsletter", "rabatt"}},
		{"👍🏽 top", "fr", []string{"👍", "top"}},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			t.Parallel()
			toks, _ := tokenize(nil, tc.text, tc.lang, data.emoticons)
			var got []string
			for _, tk := range toks {
				got = append(got, tk.low)
			}
			require.Equal(t, tc.want, got)
		})
	}
}

func TestQuestionMarking(t *testing.T) {
	t.Parallel()
	toks, _ := tokenize(nil, "Love it! Is it warm? Yes.", "en", data.emoticons)
	var q []bool
	for _, tk := range toks {
		q = append(q, tk.question)
	}
	require.Equal(t, []bool{false, false, true, true, true, false}, q)
}

func TestEmoji(t *testing.T) {
	t.Parallel()
	got := Emoji("Merci ❤️ 🥨 😡")
	require.Len(t, got, 2, "unscored emoji are left out: %v", got)
	require.Equal(t, "❤", got[0].Emoji)
	require.Greater(t, got[0].Score, 0.3)
	require.Less(t, got[1].Score, 0.0)
}

func TestLexiconsLoaded(t *testing.T) {
	t.Parallel()
	require.Greater(t, len(data.langs["en"].words), 7000, "VADER lexicon")
	require.GreaterOrEqual(t, len(data.langs["fr"].words)+len(data.langs["fr"].phrases), 500, "French lexicon")
	require.GreaterOrEqual(t, len(data.langs["de"].words)+len(data.langs["de"].phrases), 500, "German lexicon")
	require.Greater(t, len(data.emoji), 250, "emoji scores")
	_, err := load()
	require.NoError(t, err)
}

func TestBuildStemsIsDeterministic(t *testing.T) {
	t.Parallel()
	words := map[string]float64{"faute": -1.3, "faut": 0, "fautes": -1.4, "nulle": -2.5, "nuls": -2.4}
	for range 20 {
		stems := buildStems(words, stemFrench)
		require.Equal(t, 0.0, stems["faut"], "the word that is its own stem wins")
		require.Equal(t, -2.4, stems["nul"], "otherwise the shortest word wins")
	}
}

func TestAppendStemFrench(t *testing.T) {
	t.Parallel()
	words := []string{"déçue", "déçues", "effacée", "tombent", "heureuses", "sportives", "rapidement", "nulle", "été", "œuvre", "à", "ça", "grincent"}
	for w := range data.langs["fr"].words {
		words = append(words, w)
	}
	for _, w := range words {
		require.Equal(t, stemFrench(w), string(appendStemFrench(nil, w)), w)
	}
}

func FuzzAppendStemFrench(f *testing.F) {
	for _, s := range []string{"déçue", "heureuses", "x", "\xff", "éééé"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		require.Equal(t, stemFrench(s), string(appendStemFrench(nil, s)))
	})
}
