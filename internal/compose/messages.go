package compose

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// messages hold every problem message per code and language. Placeholders:
// {network}, {limit}, {value}, {subject} (this variant / part n of the
// thread), {n} (the attachment number) and {option}.
var messages = map[string]map[string]string{
	CodeOptionInvalid: {
		"en": "{network} does not offer “{choice}” for this option; choose one of the listed values",
		"fr": "{network} ne propose pas « {choice} » pour cette option ; choisissez une des valeurs proposées",
		"de": "{network} bietet „{choice}“ für diese Option nicht an; wähle einen der angebotenen Werte",
	},
	CodeOptionMediaRequired: {
		"en": "On {network}, a {choice} needs {limit} photo or video; this variant has {value}",
		"fr": "Sur {network}, une {choice} demande {limit} photo ou vidéo ; cette variante en a {value}",
		"de": "Auf {network} braucht eine {choice} {limit} Foto oder Video; diese Variante hat {value}",
	},
	CodeOptionTooManyMedia: {
		"en": "On {network}, a {choice} holds {limit} photo or video; this variant has {value}",
		"fr": "Sur {network}, une {choice} contient {limit} photo ou vidéo ; cette variante en a {value}",
		"de": "Auf {network} enthält eine {choice} {limit} Foto oder Video; diese Variante hat {value}",
	},
	CodeOptionVideoRequired: {
		"en": "On {network}, a {choice} needs a video; this variant has none",
		"fr": "Sur {network}, un {choice} demande une vidéo ; cette variante n'en a aucune",
		"de": "Auf {network} braucht ein {choice} ein Video; diese Variante hat keines",
	},
	CodeTextTooLong: {
		"en": "{network} allows {limit} characters; {subject} has {value}",
		"fr": "{network} autorise {limit} caractères ; {subject} en compte {value}",
		"de": "{network} erlaubt {limit} Zeichen; {subject} hat {value}",
	},
	CodeCaptionTooLong: {
		"en": "{network} allows {limit} characters in a caption with media; {subject} has {value}",
		"fr": "{network} autorise {limit} caractères dans une légende avec média ; {subject} en compte {value}",
		"de": "{network} erlaubt {limit} Zeichen in einer Bildunterschrift mit Medien; {subject} hat {value}",
	},
	CodeTextTooManyBytes: {
		"en": "{network} allows {limit} bytes of text; {subject} has {value}",
		"fr": "{network} autorise {limit} octets de texte ; {subject} en compte {value}",
		"de": "{network} erlaubt {limit} Byte Text; {subject} hat {value}",
	},
	CodeTooManyHashtags: {
		"en": "{network} allows {limit} hashtags; {subject} has {value}",
		"fr": "{network} autorise {limit} hashtags ; {subject} en compte {value}",
		"de": "{network} erlaubt {limit} Hashtags; {subject} hat {value}",
	},
	CodeTooManyMentions: {
		"en": "{network} allows {limit} mentions; {subject} has {value}",
		"fr": "{network} autorise {limit} mentions ; {subject} en compte {value}",
		"de": "{network} erlaubt {limit} Erwähnungen; {subject} hat {value}",
	},
	CodePostEmpty: {
		"en": "{network} cannot publish an empty post; add text or media",
		"fr": "{network} ne peut pas publier un message vide ; ajoutez du texte ou un média",
		"de": "{network} kann keinen leeren Beitrag veröffentlichen; füge Text oder Medien hinzu",
	},
	CodeThreadPartEmpty: {
		"en": "{network} cannot publish an empty thread part; {subject} is empty",
		"fr": "{network} ne peut pas publier une partie de fil vide ; {subject} est vide",
		"de": "{network} kann keinen leeren Thread-Teil veröffentlichen; {subject} ist leer",
	},
	CodeThreadsNotSupported: {
		"en": "{network} does not support threads; this variant has {value} parts",
		"fr": "{network} ne prend pas en charge les fils ; cette variante a {value} parties",
		"de": "{network} unterstützt keine Threads; diese Variante hat {value} Teile",
	},
	CodeMediaRequired: {
		"en": "{network} requires at least 1 image or video; this variant has none",
		"fr": "{network} exige au moins 1 image ou vidéo ; cette variante n'en a aucune",
		"de": "{network} verlangt mindestens 1 Bild oder Video; diese Variante hat keines",
	},
	CodeVideoRequired: {
		"en": "{network} requires a video; this variant has none",
		"fr": "{network} exige une vidéo ; cette variante n'en a aucune",
		"de": "{network} verlangt ein Video; diese Variante hat keines",
	},
	CodeImageRequired: {
		"en": "{network} requires an image; this variant has none",
		"fr": "{network} exige une image ; cette variante n'en a aucune",
		"de": "{network} verlangt ein Bild; diese Variante hat keines",
	},
	CodeMediaNotSupported: {
		"en": "{network} does not accept attachments; this variant has {value}",
		"fr": "{network} n'accepte pas de pièces jointes ; cette variante en a {value}",
		"de": "{network} akzeptiert keine Anhänge; diese Variante hat {value}",
	},
	CodeTooManyMedia: {
		"en": "{network} allows {limit} attachments per post; this variant has {value}",
		"fr": "{network} autorise {limit} pièces jointes par publication ; cette variante en a {value}",
		"de": "{network} erlaubt {limit} Anhänge pro Beitrag; diese Variante hat {value}",
	},
	CodeImageTooLarge: {
		"en": "{network} allows images up to {limit}; attachment {n} is {value}",
		"fr": "{network} autorise des images jusqu'à {limit} ; la pièce jointe {n} fait {value}",
		"de": "{network} erlaubt Bilder bis {limit}; Anhang {n} hat {value}",
	},
	CodeVideoTooLarge: {
		"en": "{network} allows videos up to {limit}; attachment {n} is {value}",
		"fr": "{network} autorise des vidéos jusqu'à {limit} ; la pièce jointe {n} fait {value}",
		"de": "{network} erlaubt Videos bis {limit}; Anhang {n} hat {value}",
	},
	CodeVideoTooLong: {
		"en": "{network} allows videos up to {limit} seconds; attachment {n} lasts {value} seconds",
		"fr": "{network} autorise des vidéos jusqu'à {limit} secondes ; la pièce jointe {n} dure {value} secondes",
		"de": "{network} erlaubt Videos bis {limit} Sekunden; Anhang {n} dauert {value} Sekunden",
	},
	CodeAltTextMissing: {
		"en": "Attachment {n} has no alt text; people using a screen reader on {network} will miss it",
		"fr": "La pièce jointe {n} n'a pas de texte alternatif ; les personnes utilisant un lecteur d'écran sur {network} ne la percevront pas",
		"de": "Anhang {n} hat keinen Alternativtext; Menschen mit Screenreader auf {network} entgeht er",
	},
	// The service declares CodeFirstCommentNotSupported for this code.
	"first_comment_not_supported": {
		"en": "{network} does not support a first comment; remove it from this variant",
		"fr": "{network} ne permet pas de premier commentaire ; retirez-le de cette variante",
		"de": "{network} unterstützt keinen ersten Kommentar; entferne ihn aus dieser Variante",
	},
	CodeOptionRequired: {
		"en": "{network} requires the option \"{option}\"; this variant does not set it",
		"fr": "{network} exige l'option « {option} » ; cette variante ne la définit pas",
		"de": "{network} verlangt die Option „{option}“; diese Variante setzt sie nicht",
	},
}

// subjects name what was measured, per language: the variant, a thread
// part, or the first comment.
var subjects = map[string][3]string{
	"en": {"this variant", "part {n} of the thread", "the first comment"},
	"fr": {"cette variante", "la partie {n} du fil", "le premier commentaire"},
	"de": {"diese Variante", "Teil {n} des Threads", "der erste Kommentar"},
}

// MessageIn renders a problem's message in a language ("en", "fr", "de";
// region tags such as "fr-CH" fall back to their language, unknown ones to
// English). Problem.Message is MessageIn(p, "en").
func MessageIn(p Problem, lang string) string {
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	if _, ok := subjects[lang]; !ok {
		lang = "en"
	}
	tmpl, ok := messages[p.Code][lang]
	if !ok {
		return p.Code
	}
	name := p.NetworkName
	if name == "" {
		if l, ok := network.LimitsFor(p.Network); ok {
			name = l.Name
		} else {
			name = string(p.Network)
		}
	}
	base, n := fieldIndex(p.Field)
	subject := subjects[lang][0]
	switch {
	case base == "thread" && n > 0:
		subject = subjects[lang][1]
	case strings.HasSuffix(p.Field, "first_comment"):
		subject = subjects[lang][2]
	}
	limit, value := formatNumber(p.Limit, lang), formatNumber(p.Value, lang)
	if p.Code == CodeImageTooLarge || p.Code == CodeVideoTooLarge {
		limit, value = formatSizes(p.Limit, p.Value, lang)
	}
	option := strings.TrimPrefix(p.Field, "options.")
	choice := p.Choice
	if lang == "de" && choice != "" {
		// German capitalises nouns: eine Story, ein Reel.
		r, n := utf8.DecodeRuneInString(choice)
		choice = string(unicode.ToUpper(r)) + choice[n:]
	}
	return strings.NewReplacer(
		"{subject}", strings.ReplaceAll(subject, "{n}", strconv.Itoa(n)),
		"{network}", name,
		"{limit}", limit,
		"{value}", value,
		"{n}", strconv.Itoa(n),
		"{option}", option,
		"{choice}", choice,
	).Replace(tmpl)
}

// fieldIndex splits "media[2]" into ("media", 2); fields without an index give 0.
func fieldIndex(field string) (string, int) {
	i := strings.IndexByte(field, '[')
	if i < 0 || !strings.HasSuffix(field, "]") {
		return field, 0
	}
	n, err := strconv.Atoi(field[i+1 : len(field)-1])
	if err != nil {
		return field, 0
	}
	return field[:i], n
}

// formatNumber groups thousands the way each language writes them.
func formatNumber(v int64, lang string) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= 4 {
		if neg {
			return "-" + s
		}
		return s
	}
	sep := map[string]string{"en": ",", "fr": "\u202f", "de": "."}[lang]
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatSizes renders a limit and a value in MB or GB with one decimal; when
// both would read the same, it falls back to exact bytes so the message
// never says "up to 1.9 MB; attachment 1 is 1.9 MB".
func formatSizes(limit, value int64, lang string) (string, string) {
	a, b := formatSize(limit, lang), formatSize(value, lang)
	if a == b {
		unit := map[string]string{"en": " bytes", "fr": " octets", "de": " Byte"}[lang]
		return formatNumber(limit, lang) + unit, formatNumber(value, lang) + unit
	}
	return a, b
}

func formatSize(v int64, lang string) string {
	units := []string{"KB", "MB", "GB"}
	if lang == "fr" {
		units = []string{"Ko", "Mo", "Go"}
	}
	f := float64(v) / 1024
	u := 0
	for f >= 1024 && u < len(units)-1 {
		f /= 1024
		u++
	}
	s := strconv.FormatFloat(f, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if lang != "en" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + " " + units[u]
}
