package compose

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// Import file bounds: larger files are refused as a whole with a clear error.
const (
	MaxImportRows  = 5000
	MaxImportBytes = 10 << 20
)

// Import errors at the file level; Report.Err wraps one of them.
var (
	ErrImportTooLarge  = errors.New("compose: import file too large")
	ErrImportTooMany   = errors.New("compose: too many rows to import")
	ErrImportHeader    = errors.New("compose: import header invalid")
	ErrImportEncoding  = errors.New("compose: import file is not UTF-8")
	ErrImportHasErrors = errors.New("compose: import has invalid rows")
)

// ImportRow is one parsed row of a bulk-scheduling CSV file.
type ImportRow struct {
	// Row is the record number in the file, the header being row 1, as a
	// spreadsheet numbers it.
	Row int `json:"row"`
	// At is the publication time in UTC; TimeZone is the IANA zone it was read in.
	At       time.Time `json:"at"`
	TimeZone string    `json:"time_zone"`
	// Channels are channel ids or names as written; the caller resolves them.
	Channels  []string      `json:"channels"`
	Text      string        `json:"text"`
	MediaURLs []string      `json:"media_urls,omitempty"`
	Link      string        `json:"link,omitempty"`
	Labels    []store.Label `json:"labels,omitempty"`
	// ChannelTexts are the texts of single channels ("text (name)" columns),
	// by channel as the row names it.
	ChannelTexts map[string]string `json:"channel_texts,omitempty"`
	// Problems are this row's errors; a row without problems is valid.
	Problems []ImportProblem `json:"problems,omitempty"`
	// kinds are the media kinds of library references, set by the service.
	kinds map[string]MediaKind
}

// Valid reports whether the row has no problems.
func (r ImportRow) Valid() bool { return len(r.Problems) == 0 }

// ImportProblem is one error of one row, naming the row, the column and,
// where one applies, the limit.
type ImportProblem struct {
	Row    int    `json:"row"`
	Column string `json:"column"`
	// Channel is set for problems found checking the row against one channel.
	Channel string `json:"channel,omitempty"`
	Code    string `json:"code"`
	Limit   int64  `json:"limit,omitempty"`
	// Message is in English; ImportMessageIn renders it in other languages.
	Message string `json:"message"`
	// Params are the values the message quotes ("value", "date", "zone" …).
	Params map[string]string `json:"params,omitempty"`
	// Problem is the validation problem behind a per-channel finding.
	Problem *Problem `json:"problem,omitempty"`
}

// Report summarises an import: counts, every row problem in file order, and
// Err when the file as a whole could not be read (then no rows are returned).
type Report struct {
	Rows           int             `json:"rows"`
	ValidRows      int             `json:"valid_rows"`
	Problems       []ImportProblem `json:"problems,omitempty"`
	Delimiter      string          `json:"delimiter"`
	IgnoredColumns []string        `json:"ignored_columns,omitempty"`
	// Format is the file's recognised layout (FormatRelais, FormatHootsuite …).
	Format string `json:"format,omitempty"`
	// Columns say how each column of the file was read, in file order.
	Columns []ImportColumn `json:"columns,omitempty"`
	// DateFormat is the date order used (chosen or detected).
	DateFormat string `json:"date_format,omitempty"`
	Err        error  `json:"-"`
}

// OK reports whether the whole file can be imported as it is.
func (r Report) OK() bool { return r.Err == nil && r.ValidRows == r.Rows }

// Accept applies the all-or-nothing rule: every row when all are valid;
// with validOnly (the user chose "import the valid rows") just the valid
// ones; otherwise an error and nothing.
func Accept(rows []ImportRow, rep Report, validOnly bool) ([]ImportRow, error) {
	if rep.Err != nil {
		return nil, rep.Err
	}
	if rep.OK() {
		return rows, nil
	}
	if !validOnly {
		return nil, fileErr(ErrImportHasErrors, "file_has_errors", "value", strconv.Itoa(rep.Rows-rep.ValidRows), "limit", strconv.Itoa(rep.Rows))
	}
	var out []ImportRow
	for _, r := range rows {
		if r.Valid() {
			out = append(out, r)
		}
	}
	return out, nil
}

// maxImportText is the longest text any network accepts, so a row longer
// than that cannot be valid anywhere; per-channel limits are checked by
// CheckRows once channels are known.
var maxImportText = func() int {
	n := 0
	for _, l := range network.DefaultLimits {
		n = max(n, l.MaxText)
	}
	return n
}()

// ParseImport reads a bulk-scheduling CSV with the columns recognised by
// name; see ParseImportWith.
func ParseImport(r io.Reader, defaultTZ string) ([]ImportRow, Report) {
	return ParseImportWith(r, defaultTZ, ImportOptions{})
}

// ParseImportWith reads a bulk-scheduling CSV: a header row naming the
// columns (see ImportColumns and the aliases of Hootsuite's and Buffer's
// files) in any order and case, or Hootsuite's header-less layout (date and
// time, message, link); delimited by , or ; (detected), with or without a
// UTF-8 byte order mark. opts maps columns the names do not tell, chooses
// the date format and the channels of rows without any. Dates are read
// year first or, in the order chosen or detected, day or month first;
// a file whose dates could be either sets ErrImportAmbiguousDate. Bad rows
// are reported, not fatal; a file over MaxImportBytes or MaxImportRows, or
// without usable columns, sets Report.Err and returns no rows.
func ParseImportWith(r io.Reader, defaultTZ string, opts ImportOptions) ([]ImportRow, Report) {
	var rep Report
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		rep.Err = fmt.Errorf("compose: read import file: %w", err)
		return nil, rep
	}
	if len(data) > MaxImportBytes {
		rep.Err = fileErr(ErrImportTooLarge, "file_too_large", "limit", strconv.Itoa(MaxImportBytes>>20))
		return nil, rep
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		rep.Err = fileErr(ErrImportEncoding, "file_not_utf8")
		return nil, rep
	}
	if !slices.Contains(DateFormats, opts.DateFormat) {
		rep.Err = fileErr(ErrImportHeader, "file_date_format", "value", strconv.Quote(opts.DateFormat))
		return nil, rep
	}
	delim := detectDelimiter(data)
	rep.Delimiter = string(delim)
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true

	header, err := cr.Read()
	if err != nil {
		rep.Err = fileErr(ErrImportHeader, "file_no_header", "error", err.Error())
		return nil, rep
	}
	m, err := mapHeader(header, opts)
	// The columns are reported even when they do not do: the mapping step shows them.
	rep.Format, rep.Columns, rep.IgnoredColumns = m.format, m.columns, m.ignored
	if err != nil {
		rep.Err = err
		return nil, rep
	}

	type record struct {
		n      int
		fields []string
		err    error
	}
	var records []record
	if m.format == FormatHootsuite {
		records = append(records, record{n: 1, fields: header})
	}
	n := 1 // the header; row numbers count every record, blank ones too
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		n++
		if err == nil && blank(fields) {
			continue
		}
		if len(records) == MaxImportRows {
			return nil, Report{Delimiter: rep.Delimiter, Err: fileErr(ErrImportTooMany, "file_too_many_rows", "limit", strconv.Itoa(MaxImportRows))}
		}
		if m.format == FormatRelais {
			for i := range fields {
				fields[i] = unguardCell(fields[i])
			}
		}
		records = append(records, record{n: n, fields: fields, err: err})
	}
	cell := func(fields []string, col string) string {
		i, ok := m.cols[col]
		if !ok || i >= len(fields) {
			return ""
		}
		if col == ColText && m.format == FormatRelais {
			return fields[i] // relais's own texts come back exactly
		}
		return strings.TrimSpace(fields[i])
	}

	order := opts.DateFormat
	if order == DateAuto {
		order = m.dateHint
	}
	if order == DateAuto {
		var dates []string
		for _, rec := range records {
			dates = append(dates, cell(rec.fields, ColDate), cell(rec.fields, ColDateTime))
		}
		if order, err = detectDateOrder(dates); err != nil {
			rep.Err = err
			return nil, rep
		}
	}
	rep.DateFormat = order

	rows := make([]ImportRow, 0, len(records))
	locs := map[string]*time.Location{}
	for _, rec := range records {
		row := ImportRow{Row: rec.n}
		if rec.err != nil {
			// encoding/csv reports the problem and resumes at the next record.
			row.problem("", "csv_syntax", 0, map[string]string{"error": rec.err.Error()})
			rows = append(rows, row)
			continue
		}
		if len(rec.fields) > len(header) {
			row.problem("", "too_many_columns", int64(len(header)), map[string]string{"value": strconv.Itoa(len(rec.fields))})
		}
		for i, f := range rec.fields {
			if strings.IndexByte(f, 0) >= 0 && i < len(header) {
				// PostgreSQL cannot store NUL and SQLite would: refused on both.
				row.problem(header[i], "nul_character", 0, nil)
			}
		}
		texts := map[string]string{}
		for ch, i := range m.channelTexts {
			if i < len(rec.fields) {
				if t := rec.fields[i]; strings.TrimSpace(t) != "" {
					if m.format != FormatRelais {
						t = strings.TrimSpace(t)
					}
					texts[ch] = t
				}
			}
		}
		row.parse(func(col string) string { return cell(rec.fields, col) }, texts, order, defaultTZ, opts.Channels, locs, m.format == FormatRelais)
		rows = append(rows, row)
	}
	return rows, summarize(rows, rep)
}

// unguardCell undoes the export's formula guard (SafeCell) on relais's own files.
func unguardCell(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStarts, rune(s[1])) {
		return s[1:]
	}
	return s
}

// summarize recounts rows and collects their problems into the report.
func summarize(rows []ImportRow, rep Report) Report {
	rep.Rows, rep.ValidRows, rep.Problems = len(rows), 0, nil
	for _, r := range rows {
		if r.Valid() {
			rep.ValidRows++
		}
		rep.Problems = append(rep.Problems, r.Problems...)
	}
	return rep
}

// detectDelimiter picks ; or , by which appears more in the header line
// (outside quotes): spreadsheets in many European locales write ;.
func detectDelimiter(data []byte) rune {
	commas, semis := 0, 0
	quoted := false
	for _, c := range data {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			if semis > commas {
				return ';'
			}
			return ','
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// problem records a problem of this row; params fill its message template.
func (r *ImportRow) problem(column, code string, limit int64, params map[string]string) {
	p := ImportProblem{Row: r.Row, Column: column, Code: code, Limit: limit, Params: params}
	p.Message = ImportMessageIn(p, "en")
	r.Problems = append(r.Problems, p)
}

// channelProblem records a validation problem of the row for one channel.
func (r *ImportRow) channelProblem(column, channel string, vp Problem) {
	p := ImportProblem{Row: r.Row, Column: column, Channel: channel, Code: vp.Code, Limit: vp.Limit, Problem: &vp}
	p.Message = ImportMessageIn(p, "en")
	r.Problems = append(r.Problems, p)
}

// dateExamples show the date forms an order reads, in problem messages.
var dateExamples = map[string]string{DateYMD: "2027-01-31", DateDMY: "31/01/2027, 2027-01-31", DateMDY: "01/31/2027, 2027-01-31"}

// parse fills the row from its cells, recording a problem per bad cell.
// texts are the row's per-channel texts by channel as its column names it;
// undated allows a row without date and time (a draft of relais's own
// export), which leaves At zero.
func (r *ImportRow) parse(get func(string) string, texts map[string]string, order, defaultTZ string, defaultChannels []string, locs map[string]*time.Location, undated bool) {
	tz := get(ColZone)
	if tz == "" {
		tz = defaultTZ
	}
	if tz == "" {
		tz = "UTC"
	}
	r.TimeZone = tz
	loc, ok := locs[tz]
	if !ok {
		var err error
		loc, err = time.LoadLocation(tz)
		if err != nil || tz == "Local" {
			loc = nil
		}
		locs[tz] = loc
	}
	if loc == nil {
		r.problem(ColZone, "invalid_time_zone", 0, map[string]string{"value": strconv.Quote(tz)})
	}

	dateCol, timeCol := ColDate, ColTime
	dateText, clockText := get(ColDate), get(ColTime)
	if dt := get(ColDateTime); dt != "" {
		dateCol, timeCol = ColDateTime, ColDateTime
		dateText, clockText = splitDateTime(dt)
	} else if clockText == "" {
		timeCol = ColDate
		dateText, clockText = splitDateTime(dateText)
	}
	if undated && dateText == "" && clockText == "" {
		r.parseContent(get, texts, defaultChannels)
		return
	}
	date, dok := parseImportDate(dateText, order)
	if !dok {
		r.problem(dateCol, "invalid_date", 0, map[string]string{"value": strconv.Quote(dateText), "format": dateExamples[order]})
	}
	h, m, sec, cerr := parseImportClock(clockText)
	if cerr != nil {
		r.problem(timeCol, "invalid_time", 0, map[string]string{"value": strconv.Quote(clockText)})
	}
	if dok && cerr == nil && loc != nil {
		at := time.Date(date.Year(), date.Month(), date.Day(), h, m, sec, 0, loc)
		want := time.Date(date.Year(), date.Month(), date.Day(), h, m, sec, 0, time.UTC)
		wall := time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute(), at.Second(), 0, time.UTC)
		if !wall.Equal(want) {
			r.problem(timeCol, "time_in_dst_gap", 0, map[string]string{"time": clockText, "date": dateText, "zone": tz})
		} else {
			r.At = firstOccurrence(at, want).UTC()
		}
	}
	r.parseContent(get, texts, defaultChannels)
}

// parseContent fills the row's channels, texts, media, link and labels.
func (r *ImportRow) parseContent(get func(string) string, texts map[string]string, defaultChannels []string) {
	channels := splitList(get(ColChannels), "|;")
	if len(channels) == 0 {
		channels = defaultChannels
	}
	for _, c := range channels {
		if c = strings.TrimSpace(c); c != "" && !contains(r.Channels, c) {
			r.Channels = append(r.Channels, c)
		}
	}
	if len(r.Channels) == 0 {
		r.problem(ColChannels, "channels_required", 0, nil)
	}

	r.Text = get(ColText)
	if n := utf8.RuneCountInString(r.Text); n > maxImportText {
		r.problem(ColText, "text_too_long_everywhere", int64(maxImportText), map[string]string{"value": strconv.Itoa(n)})
	}
	for written, text := range texts {
		col := ChannelTextColumn(written)
		i := slices.IndexFunc(r.Channels, func(c string) bool { return strings.EqualFold(c, written) })
		if i < 0 {
			r.problem(col, "channel_text_without_channel", 0, map[string]string{"value": strconv.Quote(written)})
			continue
		}
		if n := utf8.RuneCountInString(text); n > maxImportText {
			r.problem(col, "text_too_long_everywhere", int64(maxImportText), map[string]string{"value": strconv.Itoa(n)})
		}
		if r.ChannelTexts == nil {
			r.ChannelTexts = map[string]string{}
		}
		r.ChannelTexts[r.Channels[i]] = text
	}
	for _, u := range splitList(get(ColMedia), "| \t\n") {
		if _, ok := libraryRef(u); !ok && !httpURL(u) {
			r.problem(ColMedia, "invalid_media_url", 0, map[string]string{"value": strconv.Quote(u)})
			continue
		}
		r.MediaURLs = append(r.MediaURLs, u)
	}
	if r.Text == "" && len(r.MediaURLs) == 0 && len(r.ChannelTexts) == 0 {
		r.problem(ColText, "post_empty", 0, nil)
	}
	if link := get(ColLink); link != "" {
		if httpURL(link) {
			r.Link = link
		} else {
			r.problem(ColLink, "invalid_link", 0, map[string]string{"value": strconv.Quote(link)})
		}
	}
	seen := map[string]bool{}
	for _, kv := range splitList(get(ColLabels), ";|") {
		k, v, _ := strings.Cut(kv, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if k == "" {
			r.problem(ColLabels, "invalid_label", 0, map[string]string{"value": strconv.Quote(kv)})
			continue
		}
		if seen[k] {
			r.problem(ColLabels, "duplicate_label", 0, map[string]string{"value": strconv.Quote(k)})
			continue
		}
		seen[k] = true
		r.Labels = append(r.Labels, store.Label{Key: k, Value: v})
	}
	for _, tag := range splitList(get(ColTags), ",;|") {
		l := store.Label{Key: TagLabel, Value: strings.TrimPrefix(tag, "#")}
		if l.Value != "" && !slices.Contains(r.Labels, l) {
			r.Labels = append(r.Labels, l)
		}
	}
}

// TagLabel is the label key of an imported tag: Buffer's "Tags" a,b become
// the labels tag=a and tag=b.
const TagLabel = "tag"

// libraryRef reads a reference to the media library, "media:42", as the
// export writes library items.
func libraryRef(s string) (int64, bool) {
	rest, ok := strings.CutPrefix(s, "media:")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0
}

// firstOccurrence picks the earlier instant of a wall-clock time repeated by
// a fall-back change, as the calendar's slots do.
func firstOccurrence(at, want time.Time) time.Time {
	for _, back := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		earlier := at.Add(-back)
		wall := time.Date(earlier.Year(), earlier.Month(), earlier.Day(), earlier.Hour(), earlier.Minute(), 0, 0, time.UTC)
		if wall.Equal(want) {
			return earlier
		}
	}
	return at
}

func splitList(s, seps string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// CheckRows validates parsed rows against what only the caller knows: the
// current time (rows in the past are refused) and each channel's network
// limits (resolve returns false for an unknown channel). It adds the
// problems to the rows and returns the updated report.
func CheckRows(rows []ImportRow, rep Report, now time.Time, resolve func(channel string) (network.Limits, bool)) Report {
	if rep.Err != nil {
		return rep
	}
	for i := range rows {
		r := &rows[i]
		if !r.At.IsZero() && !r.At.After(now) {
			r.problem("date", "in_the_past", 0, map[string]string{"value": r.At.Format(time.RFC3339)})
		}
		media := make([]MediaInfo, len(r.MediaURLs))
		for j, u := range r.MediaURLs {
			kind, ok := r.kinds[u]
			if !ok {
				kind = mediaKindFromURL(u)
			}
			media[j] = MediaInfo{Kind: kind, AltText: "-"}
		}
		for _, ch := range r.Channels {
			l, ok := resolve(ch)
			if !ok {
				r.problem("channels", "unknown_channel", 0, map[string]string{"value": strconv.Quote(ch)})
				continue
			}
			text, column := r.Text, ColText
			if t, ok := r.ChannelTexts[ch]; ok {
				text, column = t, ChannelTextColumn(ch)
			}
			for _, p := range Validate(Draft{Text: text, Link: r.Link, Media: media}, l) {
				if p.Severity != SeverityError {
					continue
				}
				column := column
				if strings.HasPrefix(p.Field, "media") {
					column = ColMedia
				}
				r.channelProblem(column, ch, p)
			}
		}
	}
	return summarize(rows, rep)
}

// mediaKindFromURL guesses an attachment's kind from its file extension;
// the media service checks the real type when it fetches the file.
func mediaKindFromURL(raw string) MediaKind {
	u, err := url.Parse(raw)
	path := raw
	if err == nil {
		path = u.Path
	}
	path = strings.ToLower(path)
	for _, ext := range []string{".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv"} {
		if strings.HasSuffix(path, ext) {
			return MediaVideo
		}
	}
	if strings.HasSuffix(path, ".gif") {
		return MediaGIF
	}
	return MediaImage
}
