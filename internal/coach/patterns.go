package coach

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language-independent signals.
var (
	linkRe    = regexp.MustCompile(`https?://\S+|www\.\S+`)
	hashtagRe = regexp.MustCompile(`(?:^|\s)#[\p{L}\p{N}_]+`)
	// mentionRe needs a non-word character (or the start) before "@", so e-mail addresses are not mentions.
	mentionRe = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_.])(@[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*)`)
	utmRe     = regexp.MustCompile(`[?&]utm_(?:source|medium|campaign)=`)
	// codeRe finds promo codes: the word "code" followed by 4–12 capitals or digits.
	codeRe = regexp.MustCompile(`(?i:code)\s*:?\s*[A-Z0-9]{4,12}\b`)
	// percentRe finds discounts written "-20 %", "-20%" or "20% off".
	percentRe = regexp.MustCompile(`(?i)(?:^|\s)-\s?\d{1,2}\s?%|\b\d{1,2}\s?% (?:off|de réduction|rabatt)`)
)

// mentions returns the @handles in text, each once.
func mentions(text string) []string {
	var out []string
	for _, m := range mentionRe.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return dedupe(out)
}

// phraseSet matches lower-case phrases on word boundaries; a trailing "*"
// lets the last word continue ("verlos*" matches "verlosen", "verlosung").
type phraseSet []string

// findAll returns the phrases found in lower, in list order, each once.
func (ps phraseSet) findAll(lower string) []string {
	var out []string
	for _, p := range ps {
		prefix := strings.HasSuffix(p, "*")
		p = strings.TrimSuffix(p, "*")
		for from := 0; from < len(lower); {
			i := strings.Index(lower[from:], p)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(p)
			from = end
			if start > 0 {
				r, _ := utf8.DecodeLastRuneInString(lower[:start])
				if isWordChar(r) {
					continue
				}
			}
			if prefix {
				for end < len(lower) {
					r, size := utf8.DecodeRuneInString(lower[end:])
					if !isWordChar(r) {
						break
					}
					end += size
				}
			} else if end < len(lower) {
				r, _ := utf8.DecodeRuneInString(lower[end:])
				if isWordChar(r) {
					continue
				}
			}
			out = append(out, strings.TrimSpace(lower[start:end]))
			break
		}
	}
	return out
}

// isWordChar reports whether r continues a word.
func isWordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// patterns are one language's phrase lists (relais's own, not from NRC or FEEL).
type patterns struct {
	arousal, reward, contest, terms, share, bait phraseSet
}

// patternsFor returns a language's lists; English is the fallback.
func patternsFor(lang string) *patterns {
	if p, ok := langPatterns[lang]; ok {
		return p
	}
	return langPatterns["en"]
}

var langPatterns = map[string]*patterns{
	"en": {
		arousal: phraseSet{"wow", "omg", "finally", "amazing", "incredible", "unbelievable", "epic", "huge", "insane",
			"stunning", "thrilled", "excited", "exciting", "can't wait", "obsessed", "breathtaking", "mind-blowing",
			"just dropped", "brand new", "at last", "last chance", "hurry", "today only", "don't miss", "outrageous",
			"shocking", "urgent", "unmissable", "jaw-dropping", "love"},
		reward: phraseSet{"% off", "discount*", "promo code", "coupon*", "voucher*", "exclusive*", "early access",
			"members only", "members-only", "giveaway*", "win", "free shipping", "free delivery", "limited edition",
			"limited", "bonus", "free gift", "reward*", "vip", "first access", "sneak peek", "for our followers"},
		contest: phraseSet{"giveaway*", "win", "contest", "competition", "prize*", "sweepstake*", "raffle*"},
		terms:   phraseSet{"terms", "t&cs", "t&c", "rules", "conditions"},
		share: phraseSet{"share", "repost", "retweet", "send this to", "send it to", "save this", "save it", "tag",
			"forward this", "pass it on", "spread the word", "show a friend", "let us know", "tell us", "comment",
			"drop a", "reply"},
		bait: phraseSet{"tag a friend", "tag your friends", "tag 3 friends", "share if", "like if", "like and share",
			"share to win", "comment yes"},
	},
	"fr": {
		arousal: phraseSet{"wow", "waouh", "incroyable", "enfin", "génial", "dingue", "énorme", "fou", "folle",
			"hâte", "impatient*", "magnifique", "sublime", "incontournable", "dès aujourd'hui", "c'est parti",
			"ça y est", "dernière chance", "vite", "urgent", "scandale", "exceptionnel*", "inédit*", "nouveau",
			"nouvelle", "coup de cœur", "trop beau", "à ne pas manquer", "on adore", "j'adore", "ouf"},
		reward: phraseSet{"réduction*", "remise*", "code promo", "exclusi*", "en avant-première", "avant-première",
			"gratuit*", "offert*", "livraison offerte", "concours", "à gagner", "jeu-concours", "soldes",
			"cadeau*", "accès anticipé", "en exclusivité", "vente privée", "bon d'achat", "privilège*"},
		contest: phraseSet{"concours", "jeu-concours", "à gagner", "tirage au sort", "gagne*", "tente ta chance",
			"tentez votre chance"},
		terms: phraseSet{"règlement", "conditions", "modalités", "cgu"},
		share: phraseSet{"partage*", "identifie*", "envoie*", "envoyez*", "enregistre*", "fais tourner",
			"faites tourner", "transmets", "transmettez", "dis-nous", "dites-nous", "commente*", "retweet*",
			"repost*", "taguez", "tague"},
		bait: phraseSet{"identifie un ami", "identifie 3 amis", "identifiez un ami", "identifie tes amis",
			"partage si", "like si", "likez si", "partagez pour gagner", "commente oui"},
	},
	"de": {
		arousal: phraseSet{"wow", "mega", "endlich", "wahnsinn", "unglaublich", "hammer", "krass", "sensationell",
			"genial", "irre", "ab heute", "ab sofort", "jetzt", "nur heute", "letzte chance", "schnell", "aufregend",
			"begeistert", "freut euch", "neu", "neue", "neuen", "neuer", "neues", "brandneu", "atemberaubend", "umwerfend", "der knaller",
			"nicht verpassen", "skandal", "lieben"},
		reward: phraseSet{"rabatt*", "gutschein*", "code", "exklusiv*", "nur für", "vorab", "gratis", "kostenlos*",
			"gewinnspiel*", "verlos*", "versandkostenfrei", "sale", "geschenk*", "zu gewinnen", "early access",
			"vorteil*", "prämie*", "bonus"},
		contest: phraseSet{"gewinnspiel*", "verlos*", "zu gewinnen", "gewinne*", "gewinnt"},
		terms:   phraseSet{"teilnahmebedingungen", "bedingungen", "agb", "regeln"},
		share: phraseSet{"teile", "teilt", "teilen", "weitersagen", "sagt es weiter", "schick das", "schick es",
			"schickt das", "schickt es", "markier*", "speicher*", "erzählt", "kommentier*", "verrate*",
			"schreibt uns", "retweet*", "repost*"},
		bait: phraseSet{"markiere einen freund", "markiert eure freunde", "markiere 3 freunde", "teile wenn",
			"teilt wenn", "like wenn", "liken und teilen", "teilen und gewinnen"},
	},
}
