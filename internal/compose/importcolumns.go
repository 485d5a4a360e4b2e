package compose

import (
	"slices"
	"strconv"
	"strings"
)

// The import's columns, as the import page, the sample file, the export and
// docs/composer.md name them.
const (
	ColDate     = "date"
	ColTime     = "time"
	ColDateTime = "date and time"
	ColZone     = "time zone"
	ColChannels = "channels"
	ColText     = "text"
	ColMedia    = "media url"
	ColLink     = "link"
	ColLabels   = "labels"
	ColTags     = "tags"
	// ColIgnore marks a column the user chose not to import.
	ColIgnore = "ignore"
)

// ChannelTextColumn is the column of one channel's own text: "text (name)".
func ChannelTextColumn(channel string) string { return "text (" + channel + ")" }

// channelOfColumn returns the channel of a "text (name)" column.
func channelOfColumn(col string) (string, bool) {
	low := strings.ToLower(strings.TrimSpace(col))
	if !strings.HasPrefix(low, "text (") || !strings.HasSuffix(low, ")") {
		return "", false
	}
	name := strings.TrimSpace(strings.TrimSpace(col)[len("text (") : len(strings.TrimSpace(col))-1])
	return name, name != ""
}

// ImportColumns are the columns an import reads, in the order the import
// page and the docs list them; "text (channel)" stands for one column per channel.
var ImportColumns = []string{ColDate, ColTime, ColDateTime, ColZone, ColChannels, ColText, ChannelTextColumn("channel"), ColMedia, ColLink, ColLabels, ColTags}

// columnAliases maps normalised header names (lower case, no spaces, dashes
// or underscores) to the column they fill: relais's own names, Hootsuite's
// and Buffer's, and the usual synonyms.
var columnAliases = map[string]string{
	"date": ColDate, "day": ColDate, "publishdate": ColDate, "scheduledate": ColDate,
	"time": ColTime, "hour": ColTime, "publishtime": ColTime,
	"dateandtime": ColDateTime, "datetime": ColDateTime, "postingtime": ColDateTime, "scheduledtime": ColDateTime,
	"scheduledat": ColDateTime, "publishat": ColDateTime, "sendtime": ColDateTime,
	"timezone": ColZone, "tz": ColZone, "zone": ColZone,
	"channels": ColChannels, "channel": ColChannels, "profiles": ColChannels, "profile": ColChannels, "accounts": ColChannels,
	"text": ColText, "message": ColText, "content": ColText, "body": ColText, "post": ColText,
	"mediaurl": ColMedia, "mediaurls": ColMedia, "media": ColMedia, "image": ColMedia, "imageurl": ColMedia,
	"imageurls": ColMedia, "images": ColMedia, "photo": ColMedia, "photourl": ColMedia, "video": ColMedia, "videourl": ColMedia,
	"link": ColLink, "url": ColLink, "linkurl": ColLink,
	"labels": ColLabels, "label": ColLabels,
	"tags": ColTags, "tag": ColTags,
	// relais's export carries these for reference; they are not imported.
	"id": ColIgnore, "state": ColIgnore,
}

// mediaWords name columns that hold media: such a column is never dropped
// silently; the user maps it or ignores it explicitly.
var mediaWords = []string{"image", "photo", "picture", "media", "video", "img", "bild", "vidéo"}

// ImportOptions are the choices of the import's mapping step.
type ImportOptions struct {
	// Columns maps a file column, by its header as written ("column 1",
	// "column 2" … for a file without a header row), to an import column or
	// to "ignore". Columns not in the map are recognised by their name.
	Columns map[string]string `json:"columns,omitempty"`
	// DateFormat is DateYMD, DateDMY, DateMDY or DateAuto (detect).
	DateFormat string `json:"date_format,omitempty"`
	// Channels are used for rows that name none (Hootsuite's file has no
	// channels column).
	Channels []string `json:"channels,omitempty"`
	// ValidOnly imports the valid rows even when others are invalid.
	ValidOnly bool `json:"valid_only,omitempty"`
}

// ImportColumn says how one column of the file was read.
type ImportColumn struct {
	Header string `json:"header"`
	// Column is the import column it fills, or "ignore".
	Column string `json:"column"`
}

// The file formats an import recognises.
const (
	FormatRelais    = "relais"    // relais's own export: id, state, date, time …
	FormatHootsuite = "hootsuite" // Hootsuite's bulk composer: no header; date and time, message, link
	FormatBuffer    = "buffer"    // Buffer's: Text, Image URL, Tags, Posting Time
	FormatCSV       = "csv"       // any other file with a header row
)

// headerMap is how a file's columns are read.
type headerMap struct {
	format string
	// cols maps an import column to its index; channelTexts a channel to
	// the index of its "text (channel)" column.
	cols         map[string]int
	channelTexts map[string]int
	columns      []ImportColumn
	ignored      []string
	// dateHint is the date order a header states ("Date (DD/MM/YYYY)").
	dateHint string
}

// normalizeHeader lowers a header and drops spaces, dashes and underscores.
func normalizeHeader(h string) string {
	// "Date (DD/MM/YYYY HH:MM)": the name without the format note.
	if i := strings.Index(h, "("); i > 0 && strings.HasSuffix(strings.TrimSpace(h), ")") {
		h = h[:i]
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-', '\t':
			return -1
		}
		return r
	}, strings.ToLower(strings.TrimSpace(h)))
}

// knownColumn reports whether col is a column an import can fill.
func knownColumn(col string) bool {
	if _, ok := channelOfColumn(col); ok {
		return true
	}
	return col == ColIgnore || slices.Contains(ImportColumns, col)
}

// hootsuiteColumns are the columns of Hootsuite's header-less bulk file.
var hootsuiteColumns = []string{ColDateTime, ColText, ColLink, ColMedia}

// mapHeader finds the columns by name (or by the user's mapping), in any
// order and case, and recognises the file's format.
func mapHeader(header []string, opts ImportOptions) (headerMap, error) {
	m := headerMap{format: FormatCSV, cols: map[string]int{}, channelTexts: map[string]int{}}
	named := 0
	for _, h := range header {
		if _, ok := columnAliases[normalizeHeader(h)]; ok {
			named++
		} else if _, ok := channelOfColumn(h); ok {
			named++
		}
	}
	d, _ := splitDateTime(strings.TrimSpace(header[0]))
	if _, isDate := splitDate(d); named == 0 && isDate {
		m.format = FormatHootsuite
	}
	norm := map[string]bool{}
	for _, h := range header {
		norm[normalizeHeader(h)] = true
	}
	switch {
	case norm["id"] && norm["state"]:
		m.format = FormatRelais
	case norm["postingtime"]:
		m.format = FormatBuffer
	}
	var first error
	fail := func(err error) {
		if first == nil {
			first = err
		}
	}
	for i, h := range header {
		name := strings.TrimSpace(h)
		if m.format == FormatHootsuite {
			name = "column " + strconv.Itoa(i+1)
		}
		col, chosen := opts.Columns[name]
		chosen = chosen && col != "" // "" leaves the column to its name
		switch {
		case chosen:
			if !knownColumn(col) {
				fail(fileErr(ErrImportHeader, "file_unknown_target", "value", strconv.Quote(name), "column", strconv.Quote(col), "columns", strings.Join(ImportColumns, ", ")))
				col = ""
			}
		case m.format == FormatHootsuite:
			col = ColIgnore
			if i < len(hootsuiteColumns) {
				col = hootsuiteColumns[i]
			}
		default:
			col = columnAliases[normalizeHeader(name)]
			if ch, ok := channelOfColumn(name); ok {
				col = ChannelTextColumn(ch)
			}
			if col == "" && name != "" && looksLikeMedia(name) {
				fail(fileErr(ErrImportHeader, "file_media_unmapped", "value", strconv.Quote(name)))
			} else if col == "" {
				col = ColIgnore
			}
		}
		m.columns = append(m.columns, ImportColumn{Header: name, Column: col})
		if col == ColDate || col == ColDateTime {
			m.dateHint = dateHintOf(name)
		}
		if col == "" {
			continue // to be chosen
		}
		if col == ColIgnore {
			if name != "" {
				m.ignored = append(m.ignored, name)
			}
			continue
		}
		if ch, ok := channelOfColumn(col); ok {
			if _, dup := m.channelTexts[ch]; dup {
				fail(fileErr(ErrImportHeader, "file_duplicate_column", "value", strconv.Quote(col)))
			}
			m.channelTexts[ch] = i
			continue
		}
		if _, dup := m.cols[col]; dup {
			fail(fileErr(ErrImportHeader, "file_duplicate_column", "value", strconv.Quote(col)))
			continue
		}
		m.cols[col] = i
	}
	if first != nil {
		return m, first
	}
	has := func(c string) bool { _, ok := m.cols[c]; return ok }
	var missing []string
	if !has(ColDate) && !has(ColDateTime) {
		missing = append(missing, ColDate)
	}
	if has(ColDate) && has(ColDateTime) {
		return m, fileErr(ErrImportHeader, "file_date_twice")
	}
	if !has(ColChannels) && len(opts.Channels) == 0 {
		missing = append(missing, ColChannels)
	}
	if !has(ColText) && !has(ColMedia) && len(m.channelTexts) == 0 {
		missing = append(missing, ColText)
	}
	if len(missing) > 0 {
		return m, fileErr(ErrImportHeader, "file_missing_columns", "value", strings.Join(missing, ", "))
	}
	return m, nil
}

// dateHintOf reads the date order a header states: "DD/MM/YYYY" or "MM/DD/YYYY".
func dateHintOf(header string) string {
	h := strings.ToUpper(header)
	switch {
	case strings.Contains(h, "DD/MM") || strings.Contains(h, "DD.MM") || strings.Contains(h, "JJ/MM") || strings.Contains(h, "TT.MM"):
		return DateDMY
	case strings.Contains(h, "MM/DD"):
		return DateMDY
	}
	return DateAuto
}

// looksLikeMedia reports whether a header names media.
func looksLikeMedia(h string) bool {
	h = strings.ToLower(h)
	for _, w := range mediaWords {
		if strings.Contains(h, w) {
			return true
		}
	}
	return false
}
