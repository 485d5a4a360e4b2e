package sentiment

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

//go:embed data/*.tsv
var dataFS embed.FS

// emojiScale turns an Emoji Sentiment Ranking score in [-1, 1] into a lexicon
// valence; ×3 puts a strongly positive emoji (❤ 0.8 → 2.4) next to "love" (3.2).
const emojiScale = 3.0

// wordFlags marks the roles a word plays in the rule engine.
type wordFlags uint16

const (
	fNegator wordFlags = 1 << iota
	fNeedsNe
	fPostNeg
	fContrast
	fPhraseStart
	fNever
	fNeverBoost
	fPostNothing
	fRegret
)

// wordInfo is everything the engine needs about a word's role, fetched with one
// map lookup per token (lexicon valence is looked up separately, with stemming).
type wordInfo struct {
	boost float64 // > 0 intensifier, < 0 dampener
	flags wordFlags
}

// langData is the swappable per-language part of the engine.
type langData struct {
	code      string
	words     map[string]float64
	phrases   map[string]float64 // multi-word expressions keyed by their tokens' lower-case forms joined by spaces
	starts    map[string]bool    // first tokens of phrases, so most words skip the phrase lookup
	stems     map[string]float64 // stem → valence, so inflected forms find their lemma
	stem      func(string) string
	endings   []string // inflection endings stripped to reach a lemma key directly ("bequeme" → "bequem")
	compounds bool     // German: score "Lieferverzögerung" through its head "verzögerung"
	// boosters holds intensifiers (positive) and dampeners (negative).
	boosters map[string]float64
	// negators flip valence when they precede a word within three tokens.
	negators map[string]bool
	// needsNe are French words that only negate after "ne"/"n'" ("ne … plus").
	needsNe map[string]bool
	// postNegators negate a preceding verb in the same clause (German "gefällt mir nicht").
	postNegators map[string]bool
	// postNothing negates the word right before it, or two before across "for":
	// "regret nothing", "thanks for nothing", "merci pour rien", "bereue nichts".
	postNothing map[string]bool
	// contrast words halve what came before and weigh what follows by 1.5.
	contrast map[string]bool
	// regret words opening a later sentence act as a contrast and keep their own weight:
	// "Lovely campaign. Shame about the workers who sewed it."
	regret map[string]bool
	// never words boost instead of negate before so/such ("never so comfy").
	never      map[string]bool
	neverBoost map[string]bool
	// info merges boosters and the sets above for the hot path.
	info map[string]wordInfo
}

// buildInfo merges the role tables into one map.
func (l *langData) buildInfo() {
	l.info = make(map[string]wordInfo)
	add := func(m map[string]bool, f wordFlags) {
		for w := range m {
			wi := l.info[w]
			wi.flags |= f
			l.info[w] = wi
		}
	}
	for w, b := range l.boosters {
		wi := l.info[w]
		wi.boost = b
		l.info[w] = wi
	}
	add(l.negators, fNegator)
	add(l.needsNe, fNeedsNe)
	add(l.postNegators, fPostNeg)
	add(l.contrast, fContrast)
	add(l.postNothing, fPostNothing)
	add(l.regret, fRegret)
	add(l.starts, fPhraseStart)
	add(l.never, fNever)
	add(l.neverBoost, fNeverBoost)
}

// set builds a lookup set from a space-separated list.
func set(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// scalars builds a booster table from space-separated words sharing one scalar.
func scalars(m map[string]float64, words string, v float64) map[string]float64 {
	if m == nil {
		m = make(map[string]float64)
	}
	for _, w := range strings.Fields(words) {
		m[w] = v
	}
	return m
}

// parseTSV reads "key<TAB>value" lines, skipping blank lines and "#" comments.
func parseTSV(name string) ([][2]string, error) {
	f, err := dataFS.Open("data/" + name)
	if err != nil {
		return nil, fmt.Errorf("sentiment: open %s: %w", name, err)
	}
	defer f.Close()
	var rows [][2]string
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || strings.HasPrefix(t, "# ") {
			continue
		}
		k, v, ok := strings.Cut(t, "\t")
		if !ok {
			return nil, fmt.Errorf("sentiment: %s line %d: want key<TAB>value", name, line)
		}
		rows = append(rows, [2]string{k, v})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sentiment: read %s: %w", name, err)
	}
	return rows, nil
}

// loadLexicon parses a language's lexicon file into words, phrases and, for
// keys that are neither, emoticons.
func loadLexicon(name string, ld *langData, emoticons map[string]float64) error {
	rows, err := parseTSV(name)
	if err != nil {
		return err
	}
	for _, r := range rows {
		v, err := strconv.ParseFloat(strings.TrimSpace(r[1]), 64)
		if err != nil {
			return fmt.Errorf("sentiment: %s entry %q: %w", name, r[0], err)
		}
		if v < -4 || v > 4 {
			return fmt.Errorf("sentiment: %s entry %q: valence %v outside [-4, 4]", name, r[0], v)
		}
		switch {
		case allPlainWords(r[0]) && (strings.ContainsAny(r[0], " -")):
			// Hyphenated keys become phrases because the tokenizer splits on hyphens.
			toks, _ := tokenize(nil, r[0], ld.code, nil)
			keys := make([]string, len(toks))
			for i, t := range toks {
				keys[i] = t.low
			}
			if len(keys) == 1 {
				ld.words[keys[0]] = v
				continue
			}
			if len(keys) > maxPhrase {
				return fmt.Errorf("sentiment: %s phrase %q: want 2 to %d tokens", name, r[0], maxPhrase)
			}
			ld.phrases[strings.Join(keys, " ")] = v
			ld.starts[keys[0]] = true
		case emoticons != nil && !isPlainWord(r[0]):
			emoticons[r[0]] = v
		default:
			ld.words[strings.ToLower(r[0])] = v
		}
	}
	return nil
}

// maxPhrase is the longest multi-word expression the engine matches.
const maxPhrase = 5

// loadValences parses "key<TAB>score" lines into one map.
func loadValences(name string, words, emoticons map[string]float64) error {
	rows, err := parseTSV(name)
	if err != nil {
		return err
	}
	for _, r := range rows {
		v, err := strconv.ParseFloat(strings.TrimSpace(r[1]), 64)
		if err != nil {
			return fmt.Errorf("sentiment: %s entry %q: %w", name, r[0], err)
		}
		if v < -4 || v > 4 {
			return fmt.Errorf("sentiment: %s entry %q: valence %v outside [-4, 4]", name, r[0], v)
		}
		if emoticons != nil && !isPlainWord(r[0]) {
			emoticons[r[0]] = v
			continue
		}
		words[strings.ToLower(r[0])] = v
	}
	return nil
}

// isPlainWord reports whether a lexicon key is made of letters, apostrophes and hyphens only.
func isPlainWord(k string) bool {
	for _, r := range k {
		if !(isWordRune(r) || r == '\'' || r == '-') {
			return false
		}
	}
	return k != ""
}

// allPlainWords reports whether every space-separated part of k is a plain word.
func allPlainWords(k string) bool {
	for _, f := range strings.Fields(k) {
		if !isPlainWord(strings.ReplaceAll(f, "’", "'")) {
			return false
		}
	}
	return true
}

// tables holds everything loaded from the embedded data.
type tables struct {
	langs     map[string]*langData
	emoji     map[string]float64 // emoji → Emoji Sentiment Ranking score in [-1, 1]
	emoticons map[string]float64
}

var data = mustLoad()

// mustLoad panics on broken embedded data: it is part of the binary, so a
// failure is a build defect caught by the first test run, never a runtime condition.
func mustLoad() *tables {
	t, err := load()
	if err != nil {
		panic(err)
	}
	return t
}

func load() (*tables, error) {
	t := &tables{langs: make(map[string]*langData), emoji: make(map[string]float64), emoticons: make(map[string]float64)}
	for _, name := range []string{"emoji.tsv", "emoji_relais.tsv"} {
		if err := loadValences(name, t.emoji, nil); err != nil {
			return nil, err
		}
	}
	for k, v := range t.emoji {
		if v < -1 || v > 1 {
			return nil, fmt.Errorf("sentiment: emoji %q score %v outside [-1, 1]", k, v)
		}
	}
	en, fr, de := englishData(), frenchData(), germanData()
	for _, f := range []struct {
		name string
		ld   *langData
	}{{"en.tsv", en}, {"en_relais.tsv", en}, {"fr.tsv", fr}, {"de.tsv", de}} {
		if err := loadLexicon(f.name, f.ld, t.emoticons); err != nil {
			return nil, err
		}
	}
	for _, l := range []*langData{en, fr, de} {
		if l.stem != nil {
			l.stems = buildStems(l.words, l.stem)
			// Function words are the most frequent tokens and never carry valence: pinning them
			// at 0 spares them the stem and compound lookups on the hot path.
			for w, e := range stopWords {
				if _, ok := l.words[w]; !ok && e[langIndex(l.code)] > 0 {
					l.words[w] = 0
				}
			}
		}
		l.buildInfo()
		t.langs[l.code] = l
	}
	return t, nil
}

// buildStems indexes a lexicon by stem. When several words share a stem with
// different valences, the word that is itself the stem wins, then the shortest,
// then the first in byte order, so lookups never depend on map iteration order.
func buildStems(words map[string]float64, stem func(string) string) map[string]float64 {
	keys := make([]string, 0, len(words))
	for w := range words {
		keys = append(keys, w)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) < len(keys[j])
		}
		return keys[i] < keys[j]
	})
	stems := make(map[string]float64, len(words))
	owner := make(map[string]string, len(words))
	for _, w := range keys {
		s := stem(w)
		if prev, dup := owner[s]; dup && prev == s {
			continue
		} else if dup && w != s {
			continue
		}
		stems[s] = words[w]
		owner[s] = w
	}
	return stems
}

func englishData() *langData {
	b := scalars(nil, `absolutely amazingly awfully completely considerably decidedly deeply effing enormously
		entirely especially exceptionally extremely fabulously flipping flippin fricking frickin frigging friggin
		fully fucking greatly hella highly hugely incredibly intensely majorly more most particularly purely quite
		really remarkably so soo sooo substantially super thoroughly totally tremendously uber unbelievably
		unusually utterly very way`, boostIncr)
	b = scalars(b, `almost barely hardly kinda kindof less little marginally occasionally partly scarcely slightly
		somewhat sorta sortof`, -boostIncr)
	return &langData{
		code:     "en",
		phrases:  make(map[string]float64),
		starts:   make(map[string]bool),
		words:    make(map[string]float64, 7600),
		boosters: b,
		negators: set(`aint arent cannot cant couldnt darent didnt doesnt ain't aren't can't couldn't daren't didn't
			doesn't dont hadnt hasnt havent isnt mightnt mustnt neither don't hadn't hasn't haven't isn't mightn't
			mustn't neednt needn't never none nope nor not nothing nowhere oughtnt shant shouldnt uhuh wasnt werent
			oughtn't shan't shouldn't uh-uh wasn't weren't without wont wouldnt won't wouldn't rarely seldom despite
			no`),
		contrast:    set("but however although though"),
		postNothing: set("nothing"),
		regret:      set("shame pity sadly unfortunately"),
		never:       set("never"),
		neverBoost:  set("so this such"),
	}
}

func frenchData() *langData {
	b := scalars(nil, `très trop vraiment tellement super hyper grave hyper-bien archi ultra extrêmement
		totalement complètement absolument carrément franchement vachement si plus particulièrement
		incroyablement parfaitement énormément beaucoup fort`, boostIncr)
	b = scalars(b, `assez plutôt moyennement légèrement quasi presque`, -boostIncr)
	return &langData{
		code:        "fr",
		phrases:     make(map[string]float64),
		starts:      make(map[string]bool),
		words:       make(map[string]float64, 1500),
		stem:        stemFrench,
		boosters:    b,
		negators:    set(`ne n' pas jamais rien aucun aucune sans personne guère ni peu nullement`),
		needsNe:     set(`plus personne rien guère`),
		contrast:    set(`mais cependant pourtant toutefois`),
		postNothing: set(`rien`),
		regret:      set(`dommage malheureusement hélas`),
		never:       set(`jamais`),
		neverBoost:  set(`aussi si autant tellement`),
	}
}

func germanData() *langData {
	b := scalars(nil, `sehr total mega extrem echt voll richtig super absolut so sooo wirklich ganz äußerst
		ausgesprochen besonders unglaublich wahnsinnig höchst enorm komplett völlig ziemlich zu viel
		dermaßen unheimlich unfassbar`, boostIncr)
	b = scalars(b, `etwas bisschen kaum eher leicht halbwegs einigermaßen relativ fast`, -boostIncr)
	return &langData{
		code:         "de",
		phrases:      make(map[string]float64),
		starts:       make(map[string]bool),
		words:        make(map[string]float64, 1500),
		stem:         stemGerman,
		endings:      []string{"sten", "ster", "stes", "ste", "em", "en", "er", "es", "e", "n", "s"},
		compounds:    true,
		boosters:     b,
		negators:     set(`nicht nich ned kein keine keinen keinem keiner keines nie niemals nichts nix ohne nirgends weder`),
		postNegators: set(`nicht nich ned nie niemals`),
		contrast:     set(`aber jedoch allerdings trotzdem dennoch`),
		postNothing:  set(`nichts`),
		regret:       set(`schade leider`),
		never:        set(`nie niemals`),
		neverBoost:   set(`so solch solche solchen`),
	}
}
