package compose

import (
	"errors"
	"strconv"
	"strings"
)

// importMessages hold every import problem message per code and language.
// Placeholders: {value} and {limit}, plus {time}, {date}, {zone} and {error}
// for the codes that use them.
var importMessages = map[string]map[string]string{
	// File-level errors (ImportFileError).
	"file_has_errors": {
		"en": "{value} of {limit} rows have errors; fix them or import only the valid rows",
		"fr": "{value} lignes sur {limit} ont des erreurs ; corrigez-les ou n'importez que les lignes valides",
		"de": "{value} von {limit} Zeilen haben Fehler; korrigiere sie oder importiere nur die gültigen Zeilen",
	},
	"file_too_large": {
		"en": "the file is over the {limit} MB limit; split it into smaller files",
		"fr": "le fichier dépasse la limite de {limit} Mo ; découpez-le en fichiers plus petits",
		"de": "die Datei ist größer als {limit} MB; teile sie in kleinere Dateien auf",
	},
	"file_too_many_rows": {
		"en": "the limit is {limit} rows per file; split it",
		"fr": "la limite est de {limit} lignes par fichier ; découpez-le",
		"de": "höchstens {limit} Zeilen pro Datei; teile sie auf",
	},
	"file_not_utf8": {
		"en": "the file is not UTF-8; save it as \"CSV UTF-8\"",
		"fr": "le fichier n'est pas en UTF-8 ; enregistrez-le en « CSV UTF-8 »",
		"de": "die Datei ist nicht UTF-8; speichere sie als „CSV UTF-8“",
	},
	"file_no_header": {
		"en": "the first row must name the columns: {error}",
		"fr": "la première ligne doit nommer les colonnes : {error}",
		"de": "die erste Zeile muss die Spalten benennen: {error}",
	},
	"file_date_format": {
		"en": "date format {value} is not one of ymd, dmy, mdy",
		"fr": "le format de date {value} n'est pas ymd, dmy ou mdy",
		"de": "das Datumsformat {value} ist nicht ymd, dmy oder mdy",
	},
	"file_unknown_target": {
		"en": "column {value} cannot be read as {column}; the columns are {columns}",
		"fr": "la colonne {value} ne peut pas être lue comme {column} ; les colonnes sont {columns}",
		"de": "die Spalte {value} kann nicht als {column} gelesen werden; die Spalten sind {columns}",
	},
	"file_media_unmapped": {
		"en": "column {value} looks like media but relais does not know it; map it to \"media url\" or ignore it",
		"fr": "la colonne {value} semble contenir des médias mais relais ne la connaît pas ; associez-la à « media url » ou ignorez-la",
		"de": "die Spalte {value} sieht nach Medien aus, ist relais aber unbekannt; ordne sie „media url“ zu oder ignoriere sie",
	},
	"file_duplicate_column": {
		"en": "column {value} appears twice",
		"fr": "la colonne {value} apparaît deux fois",
		"de": "die Spalte {value} kommt doppelt vor",
	},
	"file_date_twice": {
		"en": "give the date either in \"date and time\" or in \"date\", not both",
		"fr": "donnez la date soit dans « date and time », soit dans « date », pas les deux",
		"de": "gib das Datum entweder in „date and time“ oder in „date“ an, nicht in beiden",
	},
	"file_missing_columns": {
		"en": "missing column(s) {value}; the file needs a date (with its time), the post's text or media, and its channels (a column, or channels chosen for every row)",
		"fr": "colonne(s) manquante(s) : {value} ; le fichier doit donner une date (avec son heure), le texte ou les médias de la publication, et ses canaux (une colonne, ou des canaux choisis pour toutes les lignes)",
		"de": "fehlende Spalte(n) {value}; die Datei braucht ein Datum (mit Uhrzeit), den Text oder die Medien des Beitrags und seine Kanäle (eine Spalte oder für alle Zeilen gewählte Kanäle)",
	},
	"file_ambiguous_dates": {
		"en": "dates such as {value} could be day/month or month/day; choose the date format",
		"fr": "des dates comme {value} peuvent se lire jour/mois ou mois/jour ; choisissez le format de date",
		"de": "Daten wie {value} können Tag/Monat oder Monat/Tag sein; wähle das Datumsformat",
	},
	"file_mixed_dates": {
		"en": "{value} is day first but {other} is month first; choose the date format",
		"fr": "{value} commence par le jour mais {other} par le mois ; choisissez le format de date",
		"de": "{value} beginnt mit dem Tag, {other} aber mit dem Monat; wähle das Datumsformat",
	},
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
	"nul_character": {
		"en": "the cell contains a NUL character (U+0000), which cannot be stored; remove it",
		"fr": "la cellule contient un caractère NUL (U+0000), qui ne peut pas être enregistré ; supprimez-le",
		"de": "die Zelle enthält ein NUL-Zeichen (U+0000), das nicht gespeichert werden kann; entferne es",
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

// ImportFileError is an import refused as a whole: its sentinel
// (ErrImportHeader …), a code and the values its message quotes.
type ImportFileError struct {
	Sentinel error
	Code     string
	Params   map[string]string
}

// fileErr makes an ImportFileError; params are name, value pairs.
func fileErr(sentinel error, code string, params ...string) error {
	e := &ImportFileError{Sentinel: sentinel, Code: code, Params: map[string]string{}}
	for i := 0; i+1 < len(params); i += 2 {
		e.Params[params[i]] = params[i+1]
	}
	return e
}

// Error implements error, in English.
func (e *ImportFileError) Error() string { return e.Sentinel.Error() + ": " + e.In("en") }

// Unwrap lets errors.Is find the sentinel.
func (e *ImportFileError) Unwrap() error { return e.Sentinel }

// In renders the error for people in a language ("en", "fr", "de").
func (e *ImportFileError) In(lang string) string {
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	tmpl, ok := importMessages[e.Code][lang]
	if !ok {
		tmpl = importMessages[e.Code]["en"]
	}
	pairs := []string{}
	for k, v := range e.Params {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(tmpl)
}

// ImportErrorIn renders an import's file-level error for people, without
// internal prefixes, in a language.
func ImportErrorIn(err error, lang string) string {
	var fe *ImportFileError
	if errors.As(err, &fe) {
		return fe.In(lang)
	}
	return strings.TrimPrefix(err.Error(), "compose: ")
}
