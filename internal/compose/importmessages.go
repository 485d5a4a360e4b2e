package compose

import (
	"strconv"
	"strings"
)

// importMessages hold every import problem message per code and language.
// Placeholders: {value} and {limit}, plus {time}, {date}, {zone} and {error}
// for the codes that use them.
var importMessages = map[string]map[string]string{
	"csv_syntax": {
		"en": "the row is not valid CSV: {error}",
		"fr": "la ligne n'est pas du CSV valide : {error}",
		"de": "die Zeile ist kein gültiges CSV: {error}",
	},
	"too_many_columns": {
		"en": "the row has {value} columns but the header has {limit}",
		"fr": "la ligne a {value} colonnes mais l'en-tête en a {limit}",
		"de": "die Zeile hat {value} Spalten, die Kopfzeile aber {limit}",
	},
	"invalid_time_zone": {
		"en": "{value} is not an IANA time zone such as Europe/Paris or America/New_York",
		"fr": "{value} n'est pas un fuseau horaire IANA comme Europe/Paris ou America/New_York",
		"de": "{value} ist keine IANA-Zeitzone wie Europe/Paris oder America/New_York",
	},
	"invalid_date": {
		"en": "{value} is not a date written like {format}",
		"fr": "{value} n'est pas une date écrite comme {format}",
		"de": "{value} ist kein Datum in der Form {format}",
	},
	"invalid_time": {
		"en": "{value} is not a time of day such as 14:30, 2:30 PM, 14:30:00 or 14h30",
		"fr": "{value} n'est pas une heure comme 14:30, 2:30 PM, 14:30:00 ou 14h30",
		"de": "{value} ist keine Uhrzeit wie 14:30, 2:30 PM, 14:30:00 oder 14h30",
	},
	"time_in_dst_gap": {
		"en": "{time} does not exist on {date} in {zone} (the clocks skip forward); choose another time",
		"fr": "{time} n'existe pas le {date} dans le fuseau {zone} (passage à l'heure d'été) ; choisissez une autre heure",
		"de": "{time} gibt es am {date} in {zone} nicht (Zeitumstellung); wähle eine andere Uhrzeit",
	},
	"channels_required": {
		"en": "at least one channel is required (ids or names separated by | or ;)",
		"fr": "au moins un canal est requis (identifiants ou noms séparés par | ou ;)",
		"de": "mindestens ein Kanal ist nötig (IDs oder Namen, getrennt durch | oder ;)",
	},
	"text_too_long_everywhere": {
		"en": "{value} characters is more than the {limit} any network accepts",
		"fr": "{value} caractères dépassent les {limit} qu'accepte le plus permissif des réseaux",
		"de": "{value} Zeichen sind mehr als die {limit}, die ein Netzwerk höchstens annimmt",
	},
	"invalid_media_url": {
		"en": "{value} is not an http(s) URL",
		"fr": "{value} n'est pas une URL http(s)",
		"de": "{value} ist keine http(s)-URL",
	},
	"invalid_link": {
		"en": "{value} is not an http(s) URL",
		"fr": "{value} n'est pas une URL http(s)",
		"de": "{value} ist keine http(s)-URL",
	},
	"post_empty": {
		"en": "the post is empty; give a text or a media url",
		"fr": "la publication est vide ; indiquez un texte ou une URL de média",
		"de": "der Beitrag ist leer; gib einen Text oder eine Medien-URL an",
	},
	"invalid_label": {
		"en": "{value} has no name; write labels as name=value separated by ;",
		"fr": "{value} n'a pas de nom ; écrivez les libellés nom=valeur séparés par ;",
		"de": "{value} hat keinen Namen; schreibe Labels als Name=Wert, getrennt durch ;",
	},
	"duplicate_label": {
		"en": "label {value} is given twice",
		"fr": "le libellé {value} est donné deux fois",
		"de": "das Label {value} ist doppelt angegeben",
	},
	"in_the_past": {
		"en": "{value} is in the past",
		"fr": "{value} est dans le passé",
		"de": "{value} liegt in der Vergangenheit",
	},
	"unknown_media": {
		"en": "{value} is not in this workspace's media library",
		"fr": "{value} n'est pas dans la médiathèque de cet espace de travail",
		"de": "{value} ist nicht in der Mediathek dieses Arbeitsbereichs",
	},
	"channel_text_without_channel": {
		"en": "the row has a text for channel {value} but does not name it in its channels",
		"fr": "la ligne a un texte pour le canal {value} mais ne le cite pas dans ses canaux",
		"de": "die Zeile hat einen Text für den Kanal {value}, nennt ihn aber nicht bei ihren Kanälen",
	},
	"unknown_channel": {
		"en": "no channel {value} in this workspace",
		"fr": "aucun canal {value} dans cet espace de travail",
		"de": "kein Kanal {value} in diesem Arbeitsbereich",
	},
}

// importFrames are the row/column prefixes and the per-channel wrapper.
var importFrames = map[string][3]string{
	"en": {"row {row}, column {column}: ", "row {row}: ", "channel {channel}: "},
	"fr": {"ligne {row}, colonne {column} : ", "ligne {row} : ", "canal {channel} : "},
	"de": {"Zeile {row}, Spalte {column}: ", "Zeile {row}: ", "Kanal {channel}: "},
}

// ImportMessageIn renders an import problem in a language ("en", "fr",
// "de"; others fall back to English), naming the row, the column and, for
// per-channel problems, the channel and the network's own message.
func ImportMessageIn(p ImportProblem, lang string) string {
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	frames, ok := importFrames[lang]
	if !ok {
		lang, frames = "en", importFrames["en"]
	}
	prefix := frames[1]
	if p.Column != "" {
		prefix = frames[0]
	}
	var body string
	if p.Problem != nil {
		body = frames[2] + MessageIn(*p.Problem, lang)
	} else if tmpl, ok := importMessages[p.Code][lang]; ok {
		body = tmpl
	} else {
		body = p.Code
	}
	pairs := []string{"{row}", strconv.Itoa(p.Row), "{column}", strconv.Quote(p.Column),
		"{channel}", strconv.Quote(p.Channel), "{limit}", formatNumber(p.Limit, lang)}
	for k, v := range p.Params {
		pairs = append(pairs, "{"+k+"}", v)
	}
	// One pass: a value that happens to contain "{row}" is not expanded again.
	return strings.NewReplacer(pairs...).Replace(prefix + body)
}
