package sentiment

import (
	"math"
	"strings"
)

// Label is the three-class verdict shown to community managers.
type Label string

// The three labels; thresholds follow VADER (compound ≥ 0.05 positive, ≤ −0.05 negative).
const (
	Positive Label = "positive"
	Negative Label = "negative"
	Neutral  Label = "neutral"
)

// Engine constants from Hutto & Gilbert (2014), kept as published so scores stay comparable.
const (
	boostIncr     = 0.293 // booster or dampener step
	capsIncr      = 0.733 // ALL-CAPS word in mixed-case text
	negScalar     = -0.74 // valence multiplier under negation
	normAlpha     = 15.0  // compound = x / sqrt(x² + alpha)
	exclaimIncr   = 0.292 // per "!", at most maxExclaims
	maxExclaims   = 4
	questionIncr  = 0.18 // per "?" for 2–3 question marks
	questionMany  = 0.96 // more than 3 question marks
	labelCutoff   = 0.05
	beforeContrst = 0.5
	afterContrast = 1.5
)

// Driver is one word, emoji or emoticon that moved the score, with the valence
// it contributed after negation, boosters, caps and contrast were applied.
type Driver struct {
	Word    string  `json:"word"`
	Valence float64 `json:"valence"`
}

// Result is the verdict for one text.
type Result struct {
	Label    Label   `json:"label"`
	Compound float64 `json:"compound"`
	Lang     string  `json:"lang"`
	// LangConfidence and Mixed come from Detect (1 and false when a tag decided).
	LangConfidence float64  `json:"lang_confidence"`
	Mixed          bool     `json:"mixed"`
	Drivers        []Driver `json:"drivers"`
}

// Analyze scores text; langHint is the network's language tag ("fr", "de-AT",
// "en_GB") or "" / "auto" to detect the language from the text. Texts in other
// languages are scored with the English data (emoji and loanwords still count)
// and reported with Lang "other".
func Analyze(text, langHint string) Result { return AnalyzeFallback(text, langHint, "") }

// AnalyzeFallback is Analyze where a short text (one to four words) whose
// language is unsure is read in fallback, the channel's or workspace's language.
func AnalyzeFallback(text, langHint, fallback string) Result {
	r, v := analyzeRules(text, langHint, fallback)
	if m := embedded(); m != nil {
		decide(m, &r, text, &v)
	}
	return r
}

// analyzeRules is the rule engine's verdict and what the learned layer reads of it.
func analyzeRules(text, langHint, fallback string) (Result, ruleView) {
	d := Detect(text, langHint, fallback)
	lang := d.Lang
	ld := data.langs[lang]
	if ld == nil {
		ld = data.langs["en"]
	}
	var buf [48]token
	toks, st := tokenize(buf[:0], text, ld.code, data.emoticons)
	comp := findComplaint(ld.code, toks, text)
	sum, head, drivers := score(ld, toks, st, comp.closing)
	v := ruleView{lexical: sum, comp: comp}
	for _, d := range drivers {
		if d.Valence > 0 {
			v.pos++
		} else if d.Valence < 0 {
			v.neg++
		}
	}
	sum, drivers = applyComplaint(sum, head, drivers, comp)
	c := normalize(sum)
	v.compound = c
	return Result{Label: labelFor(c), Compound: c, Lang: lang, LangConfidence: d.Confidence, Mixed: d.Mixed, Drivers: drivers}, v
}

// labelFor applies the VADER cut-offs to a compound score.
func labelFor(c float64) Label {
	switch {
	case c >= labelCutoff:
		return Positive
	case c <= -labelCutoff:
		return Negative
	}
	return Neutral
}

// normalize maps an unbounded valence sum into [-1, 1].
func normalize(x float64) float64 {
	if x == 0 || math.IsNaN(x) {
		return 0
	}
	c := x / math.Sqrt(x*x+normAlpha)
	return math.Max(-1, math.Min(1, c))
}

// valence looks a token up: emoji and emoticons first, then the exact word,
// its de-elongated forms, its stem and, for German, the head of a compound.
func valence(ld *langData, t token) (v float64, elongated bool) {
	switch t.kind {
	case kindMention:
		return 0, false
	case kindEmoji:
		return data.emoji[t.low] * emojiScale, false
	case kindEmoticon:
		return data.emoticons[t.low], false
	}
	if v, ok := ld.words[t.low]; ok {
		return v, false
	}
	if hasElongation(t.low) {
		for _, max := range []int{2, 1} {
			if w, ok := collapseRepeats(t.low, max); ok {
				if v, ok := lookupWord(ld, w); ok {
					return v, true
				}
			}
		}
	}
	v, _ = lookupWord(ld, t.low)
	return v, false
}

// maxCompoundBytes bounds the compound-head search, which is quadratic in the word's length;
// real German compounds are far shorter, and a pasted blob must not stall the scorer.
const maxCompoundBytes = 64

// lookupWord finds a word through the exact key, the stem or the compound head.
func lookupWord(ld *langData, w string) (float64, bool) {
	if v, ok := ld.words[w]; ok {
		return v, true
	}
	if ld.stem == nil {
		return 0, false
	}
	for _, e := range ld.endings {
		if len(w)-len(e) >= 3 && strings.HasSuffix(w, e) {
			if v, ok := ld.words[w[:len(w)-len(e)]]; ok {
				return v, true
			}
		}
	}
	if v, ok := ld.stems[ld.stem(w)]; ok {
		return v, true
	}
	if ld.compounds && len(w) >= 9 {
		// Evaluative first parts: "Lieblingsjacke", "Traumkleid", "Schrottqualität".
		for _, m := range germanModifiers {
			if strings.HasPrefix(w, m.prefix) {
				return m.v, true
			}
		}
	}
	if ld.compounds && len(w) >= 9 && len(w) <= maxCompoundBytes {
		// Try heads of at least five letters, longest first: "lieferverzögerung" → "verzögerung".
		for i := 3; i+5 <= len(w); i++ {
			if w[i]&0xC0 == 0x80 { // not a rune boundary
				continue
			}
			head := w[i:]
			if v, ok := ld.words[head]; ok {
				return v, true
			}
			if v, ok := ld.stems[ld.stem(head)]; ok {
				return v, true
			}
		}
	}
	return 0, false
}

// score runs the rule engine over tokens and returns the raw valence sum, the part of
// it from the tokens before split (all of it when split < 0) and the drivers.
func score(ld *langData, toks []token, st tokenStats, split int) (sum, head float64, drivers []Driver) {
	mixedCase := st.capsWords > 0 && st.capsWords < st.words
	contrastAt := -1
	regretAt := false // the contrast is a regret word, which keeps its own weight (×1.5)
	for i := range toks {
		if toks[i].kind == kindWord {
			toks[i].info = ld.info[toks[i].low]
		}
		if contrastAt < 0 && toks[i].has(fContrast) {
			contrastAt = i
		}
		if contrastAt < 0 && toks[i].has(fRegret) && i > 0 && sentenceEnd(toks[i-1]) {
			contrastAt, regretAt = i, true
		}
	}
	// Stack buffers cover typical comments; long texts fall back to the heap.
	var vals, lexv [48]float64
	var spans [48]int
	var elong [48]bool
	var vs, lv []float64 // vs: final contribution; lv: the token's own lexicon valence
	var span []int       // tokens covered by a phrase starting here, minus one
	var el []bool
	if len(toks) > len(vals) {
		vs, lv, span, el = make([]float64, len(toks)), make([]float64, len(toks)), make([]int, len(toks)), make([]bool, len(toks))
	} else {
		vs, lv, span, el = vals[:len(toks)], lexv[:len(toks)], spans[:len(toks)], elong[:len(toks)]
	}
	for i, t := range toks {
		lv[i], el[i] = valence(ld, t)
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		v, n := phraseAt(ld, toks, i)
		elongated := false
		if n == 0 {
			if t.has(fNegator) || t.has(fContrast) {
				if !(t.low == "no" && i+1 < len(toks) && lv[i+1] == 0) {
					continue
				}
			}
			if t.kind == kindWord && t.info.boost != 0 && boostsNext(toks, lv, i) {
				continue // "super bequem": "super" intensifies; "…, super!" judges on its own
			}
			v, elongated = lv[i], el[i]
		}
		if t.muted && n == 0 {
			v = 0
		}
		if v == 0 {
			if n > 1 {
				i += n - 1 // a neutral phrase ("true to size") hides its words
			}
			continue
		}
		if t.question && t.kind == kindWord && (v > -1 || t.asked) {
			// Praise and mildly negative words inside a question ask about a quality ("Is it
			// comfy?", "Can I pay with Klarna?", "Is the long coat in stock?"); they do not judge.
			// In a question about the product no negative word judges either ("Is it scratchy?").
			continue
		}
		sign := math.Copysign(1, v)
		if elongated {
			v += sign * boostIncr
		}
		if t.kind == kindWord && mixedCase && isAllCaps(t.raw) {
			v += sign * capsIncr
		}
		if t.kind == kindWord && !(n > 1 && spanHasNegator(ld, toks[i:i+n])) {
			// Phrases that carry their own negation ("personne ne répond") are not negated again.
			// Emoji and emoticons keep their own sign: "neither showed up 🙄" is not a happy eye-roll.
			v = applyBoosters(ld, toks, i, v, mixedCase)
			v = applyNegation(ld, toks, lv, i+max(n-1, 0), i, v)
		}
		vs[i] = v
		if n > 1 {
			span[i] = n - 1
			i += n - 1
		}
	}
	if contrastAt >= 0 {
		for i := range vs {
			switch {
			case i < contrastAt:
				vs[i] *= beforeContrst
			case i > contrastAt || regretAt && i == contrastAt:
				vs[i] *= afterContrast
			}
		}
	}
	nonzero := 0
	for _, v := range vs {
		if v != 0 {
			nonzero++
		}
	}
	drivers = make([]Driver, 0, nonzero) // never nil, so JSON shows [] rather than null
	for i, v := range vs {
		if v == 0 {
			continue
		}
		sum += v
		if split < 0 || i < split {
			head += v
		}
		word := toks[i].raw
		for k := 1; k <= span[i]; k++ {
			if !strings.HasSuffix(toks[i+k-1].raw, "'") { // "j'adore" stays one word
				word += " "
			}
			word += toks[i+k].raw
		}
		drivers = append(drivers, Driver{Word: word, Valence: math.Round(v*1000) / 1000})
	}
	if sum != 0 {
		e := math.Copysign(punctuationEmphasis(st), sum)
		sum += e
		if split < 0 {
			head += e
		}
	}
	return sum, head, drivers
}

// phraseAt returns the valence and length of the longest lexicon phrase
// starting at toks[i], or n == 0 when none starts there.
func phraseAt(ld *langData, toks []token, i int) (v float64, n int) {
	if !toks[i].has(fPhraseStart) {
		return 0, 0
	}
	var buf [128]byte
	for n = min(maxPhrase, len(toks)-i); n >= 2; n-- {
		key := append(buf[:0], toks[i].low...)
		ok := true
		for k := 1; k < n; k++ {
			if toks[i+k].kind != kindWord {
				ok = false
				break
			}
			key = append(append(key, ' '), toks[i+k].low...)
		}
		if !ok {
			continue
		}
		if v, found := ld.phrases[string(key)]; found { // the compiler does not allocate for this lookup
			return v, n
		}
	}
	return 0, 0
}

// boostsNext reports whether the booster at toks[i] modifies a following
// sentiment word in the same clause rather than standing alone.
func boostsNext(toks []token, lv []float64, i int) bool {
	for d := 1; d <= 3 && i+d-1 < len(toks) && !toks[i+d-1].clauseEnd && i+d < len(toks); d++ {
		n := toks[i+d]
		if n.kind != kindWord {
			return false
		}
		if n.info.boost != 0 || n.has(fNegator) {
			continue
		}
		return lv[i+d] != 0
	}
	return false
}

// spanHasNegator reports whether a phrase contains a negator word.
func spanHasNegator(ld *langData, toks []token) bool {
	for _, t := range toks {
		if t.has(fNegator) || strings.HasSuffix(t.low, "n't") {
			return true
		}
	}
	return false
}

// applyBoosters adds intensifier and dampener steps from up to three preceding
// words, scaled down with distance as in VADER.
func applyBoosters(ld *langData, toks []token, i int, v float64, mixedCase bool) float64 {
	scales := [3]float64{1, 0.95, 0.9}
	for d := 1; d <= 3 && i-d >= 0; d++ {
		p := toks[i-d]
		if p.kind != kindWord {
			continue
		}
		b := p.info.boost
		if b == 0 && hasElongation(p.low) {
			// Elongated fillers such as "sooooo" boost too.
			b = boostIncr
			if w, ok := collapseRepeats(p.low, 1); ok && ld.info[w].boost != 0 {
				b = ld.info[w].boost
			}
		}
		if p.has(fNeedsNe) && hasNe(toks, i-d) {
			continue // "ne … plus" negates, it does not intensify
		}
		if p.low == "peu" && i-d-1 >= 0 && toks[i-d-1].low == "un" {
			b = -boostIncr // "un peu" dampens; bare "peu" negates
		}
		if b == 0 {
			continue
		}
		if mixedCase && isAllCaps(p.raw) {
			b += math.Copysign(capsIncr, b)
		}
		v += b * math.Copysign(1, v) * scales[d-1] // b < 0 for dampeners pulls towards zero
	}
	return v
}

// hasNe reports whether French "ne"/"n'" occurs in the three tokens before index i.
func hasNe(toks []token, i int) bool {
	for d := 1; d <= 3 && i-d >= 0; d++ {
		if l := toks[i-d].low; l == "ne" || l == "n'" {
			return true
		}
	}
	return false
}

// applyNegation flips valence for a negator up to three words back (or, in
// German, a "nicht" after the verb in the same clause); "never so" boosts instead.
func applyNegation(ld *langData, toks []token, lv []float64, last, i int, v float64) float64 {
	for d := 1; d <= 3 && i-d >= 0; d++ {
		p := toks[i-d]
		if p.clauseEnd || p.has(fContrast) {
			break // a comma, a full stop or a "but" between the negator and the word stops its reach
		}
		if !isNegator(ld, toks, i-d) {
			continue
		}
		if p.low == "peu" && i-d-1 >= 0 && toks[i-d-1].low == "un" {
			continue
		}
		if p.has(fNever) && d > 1 && toks[i-d+1].has(fNeverBoost) {
			return v * 1.25
		}
		if ld.code == "en" && d == 2 && v > 0 && toks[i-1].low == "be" && strings.HasSuffix(toks[i].low, "er") {
			return v * 1.25 // "couldn't be happier", "can't be better": the comparative says it is the best
		}
		return v * negScalar
	}
	if !toks[last].clauseEnd && last+1 < len(toks) {
		// "regret nothing", "thanks for nothing", "merci pour rien", "bereue nichts"
		if n := toks[last+1]; n.has(fPostNothing) {
			return v * negScalar
		}
		if last+2 < len(toks) && isFor(toks[last+1].low) && !toks[last+1].clauseEnd && toks[last+2].has(fPostNothing) {
			return v * negScalar
		}
	}
	if ld.code == "fr" && !toks[last].clauseEnd && last+1 < len(toks) && i > 0 && frPronouns[toks[i-1].low] {
		// Spoken French drops "ne": "j'aime pas", "ça marche pas", "vous décevez jamais".
		if n := toks[last+1].low; n == "pas" || n == "jamais" {
			return v * negScalar
		}
	}
	if ld.postNegators != nil && !toks[last].clauseEnd {
		for d := 1; d <= 3 && last+d < len(toks); d++ {
			n := toks[last+d]
			if n.has(fPostNeg) {
				return v * negScalar
			}
			if lv[last+d] != 0 || n.clauseEnd || n.has(fContrast) {
				break
			}
		}
	}
	return v
}

// isNegator reports whether toks[j] negates what follows.
func isNegator(ld *langData, toks []token, j int) bool {
	t := toks[j]
	if t.kind != kindWord {
		return false
	}
	if t.has(fNeedsNe) {
		return hasNe(toks, j)
	}
	if t.has(fNegator) {
		return true
	}
	return ld.code == "en" && strings.HasSuffix(t.low, "n't")
}

// punctuationEmphasis adds VADER's weight for "!" and repeated "?".
func punctuationEmphasis(st tokenStats) float64 {
	e := float64(min(st.exclaims, maxExclaims)) * exclaimIncr
	switch {
	case st.questions > 3:
		e += questionMany
	case st.questions > 1:
		e += float64(st.questions) * questionIncr
	}
	return e
}

// isFor reports the preposition of "thanks for nothing" in the three languages.
func isFor(w string) bool { return w == "for" || w == "pour" || w == "für" }

// frPronouns are the French pronouns a verb follows: a "pas" after such a verb negates it.
var frPronouns = map[string]bool{"je": true, "j'": true, "tu": true, "il": true, "elle": true, "on": true, "vous": true,
	"ils": true, "elles": true, "ça": true, "ca": true, "me": true, "m'": true, "te": true, "t'": true, "le": true,
	"la": true, "les": true, "l'": true, "lui": true, "nous": true}

// germanModifiers are first parts of German compounds that carry the compound's valence.
var germanModifiers = []struct {
	prefix string
	v      float64
}{{"lieblings", 2.2}, {"traum", 2.2}, {"schrott", -2.5}, {"horror", -2.5}, {"albtraum", -2.5}, {"mist", -2}}
