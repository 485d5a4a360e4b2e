package sentiment

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language codes returned by DetectLanguage.
const (
	LangEnglish = "en"
	LangFrench  = "fr"
	LangGerman  = "de"
	LangOther   = "other"
)

// detectLangs are the languages the detector scores; all but the first three exist only so
// that Spanish, Italian, Portuguese or Dutch comments come back as "other"
// instead of being forced into the closest supported language.
var detectLangs = [...]string{LangEnglish, LangFrench, LangGerman, "es", "it", "pt", "nl", "sv", "pl", "tr"}

// stopWords holds frequent function words per detected language; short social
// texts rarely contain enough letters for n-gram models, but nearly always one of these.
var stopWords = func() map[string][len(detectLangs)]float64 {
	lists := [len(detectLangs)]string{
		`the and is it i you my to of in for this that with was are have has on not but so just can your me do does
		be at what how when from will they we an love thanks thank please would could don't it's i'm can't get got
		again after still very really too there here all only even been did had out up about am if or one some any
		new why where which who our their them him her his she he it's that's i've i'd you're isn't wasn't doesn't
		didn't won't haven't these those than then because still yet never always ever much many since also yes
		yours its my mine off over into been being should shall must`,
		`le la les un une des du de à en et est je tu il elle nous vous ils elles on ce c' j' l' d' n' qu' s' m' t' que qui pas
		pour avec sur dans mon ma mes ton ta tes vos votre notre nos merci très trop mais ou où au aux sont suis ai
		était fait ça cette cet bien encore aussi toujours jamais rien tout toute tous toutes y se sa son ses leur
		leurs chez comme moins après avant quand comment pourquoi quel quelle quels quelles avez avons ont sera
		déjà vraiment depuis cela ceci voici voilà être avoir peut fois ici là sans même donc alors car oui non
		moi toi lui eux parce puis été reçu reçue commande taille livraison vos beaucoup j'ai c'est n'est`,
		`der die das und ist ich du er sie es wir ihr nicht ein eine einen einem einer mit für auf im den dem des zu
		von bei aus auch noch schon aber wie was wo wann warum mein meine meinen dein deine euer eure ihre sehr
		mal doch nur hab habe hat haben bin sind war wird werden kann gibt danke bitte endlich jetzt heute kein
		keine man dass oder wenn alles immer ganz gleich über nach vom zum zur am um uns euch ja nein seit wieder
		etwas nichts gut schön leider viel mehr weil bestellung größe lieferung gibt's hier dieser diese dieses
		wurde wäre hätte ob sich ihnen sein seine meinem meiner deinem statt kam kommt welche welcher welches
		gehen geht an`,
		`el los las y es de en que por para con muy pero gracias una está esta mi tu su del al lo como más yo también
		hola pedido talla envío qué cuándo dónde bien mucho me te se este esta esto ese esa eso estos estas
		encanta gusta calidad precio tienda llegó llegado nunca siempre todo toda nada ropa vestido increíble
		hay tengo tiene quiero puedo fue son era han he sus nos les mis tus pero ya aún todavía ahora hoy
		compra devolución gracias`,
		`il lo gli è che di per con molto ma grazie una sono non questo questa della del mi ti ciao anche come
		più ordine taglia spedizione perché bello bella la le il nuova nuovo qualità sempre mai ho hai ha alle
		negli nel nella degli un po'`,
		`o os as é de que não com para muito obrigado obrigada uma meu minha você do da dos das em no na mas também
		pedido tamanho entrega porque está`,
		`de het een en is niet ik je van voor met maar heel bedankt dank dit wat zijn ook nog wel geen mijn jullie
		bestelling maat levering waarom hoe er naar bij`,
		`och jag är det en inte att som på med för har min mitt den nya så efter två av till från kan vi ni tack
		mycket`,
		`i w z na nie się to jest do że za po jak ale tak bardzo dziękuję moje mój jeszcze już`,
		`ve bir bu için ama değil çok çok da de ile gibi daha teşekkürler hala ne var yok`,
	}
	m := make(map[string][len(detectLangs)]float64)
	for li, l := range lists {
		for _, w := range strings.Fields(l) {
			e := m[w]
			e[li] = 1
			m[w] = e
		}
	}
	// Words shared by several languages say less than words owned by one.
	for w, e := range m {
		n := 0.0
		for _, x := range e {
			n += x
		}
		for li := range e {
			e[li] /= n
		}
		m[w] = e
	}
	return m
}()

// NormalizeTag turns a network language tag ("fr-CA", "de_AT", "EN", "deu") into
// "en", "fr", "de" or "other", and returns "" when the tag asks for detection
// ("", "auto", "und") or is not a language tag; CLIs use it to validate --lang.
func NormalizeTag(tag string) string { return normalizeHint(tag) }

// langIndex returns the position of a language in detectLangs.
func langIndex(code string) int {
	for i, l := range detectLangs {
		if l == code {
			return i
		}
	}
	return -1
}

// normalizeHint implements NormalizeTag.
func normalizeHint(hint string) string {
	h := strings.ToLower(strings.TrimSpace(hint))
	if i := strings.IndexAny(h, "-_"); i >= 0 {
		h = h[:i]
	}
	switch h {
	case "", "auto", "und", "mul", "zxx":
		return ""
	case "en", "eng":
		return LangEnglish
	case "fr", "fra", "fre":
		return LangFrench
	case "de", "deu", "ger", "gsw":
		return LangGerman
	}
	if len(h) == 2 || len(h) == 3 {
		return LangOther
	}
	return ""
}

// DetectLanguage returns "en", "fr", "de" or "other" for a short social text.
// A usable network tag (Mastodon "language", Bluesky "langs") wins; otherwise
// the text is scored on function words and diacritics. Texts with no evidence
// (a bare emoji, a list of mentions) are "other".
func DetectLanguage(text, hint string) string { return Detect(text, hint, "").Lang }

// Detection is a language verdict with how sure it is.
type Detection struct {
	// Lang is "en", "fr", "de" or "other".
	Lang string `json:"lang"`
	// Confidence in [0, 1]: the winner's share of the evidence, scaled down
	// when there is little evidence; 1 when a network tag decided.
	Confidence float64 `json:"lang_confidence"`
	// Mixed is true when sentences of the text are in different languages
	// ("Love it! Mais la taille est petite"); Lang is then the dominant one.
	Mixed bool `json:"mixed"`
	// Fallback is true when a short, unsure text took the fallback language.
	Fallback bool `json:"lang_fallback,omitempty"`
}

// shortWords is the length up to which a text is "short" and may take the
// fallback language; minConfidence is the confidence below which it does.
const (
	shortWords    = 4
	minConfidence = 0.6
)

// Detect is DetectLanguage with a confidence, mixed-language detection and a
// fallback for short texts: a text of one to four words whose confidence is
// below 0.6 takes fallback (the channel's or workspace's language) when given.
func Detect(text, hint, fallback string) Detection {
	if h := normalizeHint(hint); h != "" {
		return Detection{Lang: h, Confidence: 1}
	}
	var sc, seg [len(detectLangs)]float64
	segBest := -1 // the language of the first confident sentence
	mixed := false
	latin, nonLatin := 0, 0
	closeSegment := func() {
		b, bs, total := best(&seg)
		if b >= 0 && bs >= 1.5 && bs >= 0.6*total {
			if segBest < 0 {
				segBest = b
			} else if b != segBest {
				mixed = true
			}
		}
		seg = [len(detectLangs)]float64{}
	}
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			switch r {
			case '.', '!', '?', ';', '\n', ',':
				closeSegment()
			}
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !(unicode.IsLetter(r2) || isApostrophe(r2)) {
				break
			}
			j += s2
		}
		w := text[i:j]
		i = j
		if !isLatinWord(w) {
			nonLatin++
			continue
		}
		latin++
		var one [len(detectLangs)]float64
		scoreWord(&one, w)
		for li, x := range one {
			sc[li] += x
			seg[li] += x
		}
	}
	closeSegment()
	d := Detection{Lang: LangOther}
	b, bs, total := best(&sc)
	if nonLatin <= latin && b >= 0 {
		if b <= 2 {
			d.Lang = detectLangs[b]
		}
		// The winner's share of the evidence, scaled down when there is little of
		// it: two function words make a short text sure, one leaves it unsure.
		d.Confidence = bs / total * min(1, bs/2)
		d.Confidence = math.Round(d.Confidence*100) / 100
		d.Mixed = mixed
	}
	if latin+nonLatin <= shortWords && d.Confidence < minConfidence {
		if f := normalizeHint(fallback); f != "" {
			d.Lang, d.Fallback = f, true
		}
	}
	return d
}

// best returns the index, score and total of the highest score, or -1 when there is no evidence.
func best(sc *[len(detectLangs)]float64) (int, float64, float64) {
	b, bs, total := -1, 0.0, 0.0
	for li, s := range sc {
		total += s
		if s > bs {
			b, bs = li, s
		}
	}
	return b, bs, total
}

// isLatinWord reports whether a word is written in the Latin script.
func isLatinWord(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// scoreWord adds one word's evidence: stop words, elisions, diacritics and endings.
func scoreWord(sc *[len(detectLangs)]float64, w string) {
	var buf [48]byte
	var lwb []byte
	if !hasNonASCII(w) && len(w) <= len(buf) {
		// ASCII words are lower-cased on the stack; the map lookup on string(lwb) does not allocate.
		lwb = buf[:len(w)]
		for i := 0; i < len(w); i++ {
			c := w[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			lwb[i] = c
		}
		e, ok := stopWords[string(lwb)]
		if ok {
			for li, x := range e {
				sc[li] += x
			}
		} else if a := strings.IndexByte(w, '\''); a > 0 {
			scoreElision(sc, string(lwb[:a]))
		}
		scoreEnding(sc, lwb)
		return
	}
	lw := strings.ToLower(w)
	if strings.ContainsAny(lw, "’ʼ") {
		lw = strings.NewReplacer("’", "'", "ʼ", "'").Replace(lw)
	}
	if e, ok := stopWords[lw]; ok {
		for li, x := range e {
			sc[li] += x
		}
	} else if a := strings.IndexByte(lw, '\''); a > 0 {
		// French elision ("l'ourlet") versus English contraction ("it's" is listed above).
		if frElisions[lw[:a]] {
			sc[1] += 1
		} else if e, ok := stopWords[lw[:a+1]]; ok {
			for li, x := range e {
				sc[li] += x
			}
		}
	}
	for _, r := range lw {
		switch r {
		case 'ß', 'ä', 'ö', 'ü':
			sc[2] += 0.5
		case 'é', 'è', 'ê', 'ç', 'à', 'ù', 'œ', 'â', 'î', 'ô', 'û', 'ë', 'ï':
			sc[1] += 0.5
		case 'ñ', 'á', 'í', 'ó', 'ú', '¿', '¡':
			sc[3] += 0.5
		case 'ã', 'õ':
			sc[5] += 0.5
		case 'å':
			sc[7] += 0.5
		case 'ą', 'ę', 'ł', 'ś', 'ź', 'ż', 'ń', 'ć':
			sc[8] += 0.5
		case 'ş', 'ğ', 'ı':
			sc[9] += 0.5
		case 'ò', 'ì':
			sc[4] += 0.5
		}
	}
	scoreEnding(sc, []byte(lw))
}

// scoreElision credits French for an elided article or pronoun ("l'", "qu'").
func scoreElision(sc *[len(detectLangs)]float64, prefix string) {
	if frElisions[prefix] {
		sc[1]++
	}
}

// scoreEnding adds the weak evidence of typical word endings.
func scoreEnding(sc *[len(detectLangs)]float64, b []byte) {
	lw := string(b) // small and short-lived; the compiler keeps it on the stack
	switch {
	case len(lw) > 5 && (strings.HasSuffix(lw, "ung") || strings.HasSuffix(lw, "keit") || strings.HasSuffix(lw, "heit") ||
		strings.HasSuffix(lw, "lich") || strings.HasSuffix(lw, "chen") || strings.HasPrefix(lw, "ge") && strings.HasSuffix(lw, "t")):
		sc[2] += 0.3
	case len(lw) > 5 && (strings.HasSuffix(lw, "ing") || strings.HasSuffix(lw, "ly")):
		sc[0] += 0.3
	case len(lw) > 5 && (strings.HasSuffix(lw, "eux") || strings.HasSuffix(lw, "euse") || strings.HasSuffix(lw, "ment")):
		sc[1] += 0.3
	}
}
