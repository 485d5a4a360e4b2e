package compose

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
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
	Channels  []string          `json:"channels"`
	Text      string            `json:"text"`
	MediaURLs []string          `json:"media_urls,omitempty"`
	Link      string            `json:"link,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
	// Problems are this row's errors; a row without problems is valid.
	Problems []ImportProblem `json:"problems,omitempty"`
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
	Err            error           `json:"-"`
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
		return nil, fmt.Errorf("%w: %d of %d rows have errors; fix them or import only the valid rows", ErrImportHasErrors, rep.Rows-rep.ValidRows, rep.Rows)
	}
	var out []ImportRow
	for _, r := range rows {
		if r.Valid() {
			out = append(out, r)
		}
	}
	return out, nil
}

// importColumns maps normalised header names to the canonical column.
var importColumns = map[string]string{
	"date": "date", "day": "date",
	"time": "time", "hour": "time",
	"timezone": "time zone", "tz": "time zone", "zone": "time zone",
	"channels": "channels", "channel": "channels",
	"text": "text", "message": "text", "content": "text",
	"mediaurl": "media url", "mediaurls": "media url", "media": "media url", "image": "media url",
	"link": "link", "url": "link",
	"labels": "labels", "label": "labels", "tags": "labels",
}

var requiredColumns = []string{"date", "time", "channels", "text"}

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

// ParseImport reads a bulk-scheduling CSV: a header row naming the columns
// (date YYYY-MM-DD, time HH:MM, time zone IANA and optional, channels
// separated by | or ;, text, media url, link, labels k=v separated by ;) in
// any order and case, delimited by , or ; (detected), with or without a
// UTF-8 byte order mark. Bad rows are reported, not fatal; a file over
// MaxImportBytes or MaxImportRows, or without a usable header, sets
// Report.Err and returns no rows.
func ParseImport(r io.Reader, defaultTZ string) ([]ImportRow, Report) {
	var rep Report
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		rep.Err = fmt.Errorf("compose: read import file: %w", err)
		return nil, rep
	}
	if len(data) > MaxImportBytes {
		rep.Err = fmt.Errorf("%w: the file is over the %d MB limit; split it into smaller files", ErrImportTooLarge, MaxImportBytes>>20)
		return nil, rep
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		rep.Err = fmt.Errorf("%w: save it as \"CSV UTF-8\"", ErrImportEncoding)
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
		rep.Err = fmt.Errorf("%w: the first row must name the columns (%s): %v", ErrImportHeader, strings.Join(requiredColumns, ", "), err)
		return nil, rep
	}
	cols, ignored, err := mapHeader(header)
	if err != nil {
		rep.Err = err
		return nil, rep
	}
	rep.IgnoredColumns = ignored

	var rows []ImportRow
	locs := map[string]*time.Location{}
	record := 1 // the header; Row numbers count every record, blank ones too
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			break
		}
		record++
		if err == nil && blank(fields) {
			continue
		}
		if len(rows) == MaxImportRows {
			rep = Report{Delimiter: rep.Delimiter, Err: fmt.Errorf("%w: the limit is %d rows per file; split it", ErrImportTooMany, MaxImportRows)}
			return nil, rep
		}
		row := ImportRow{Row: record}
		if err != nil {
			// encoding/csv reports the problem and resumes at the next record.
			row.problem("", "csv_syntax", 0, map[string]string{"error": err.Error()})
			rows = append(rows, row)
			continue
		}
		if len(fields) > len(header) {
			row.problem("", "too_many_columns", int64(len(header)), map[string]string{"value": strconv.Itoa(len(fields))})
		}
		for i, f := range fields {
			if strings.IndexByte(f, 0) >= 0 && i < len(header) {
				// PostgreSQL cannot store NUL and SQLite would: refused on both.
				row.problem(header[i], "nul_character", 0, nil)
			}
		}
		get := func(col string) string {
			i, ok := cols[col]
			if !ok || i >= len(fields) {
				return ""
			}
			return strings.TrimSpace(fields[i])
		}
		row.parse(get, defaultTZ, locs)
		rows = append(rows, row)
	}
	return rows, summarize(rows, rep)
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

// mapHeader finds the columns by name, in any order and case.
func mapHeader(header []string) (map[string]int, []string, error) {
	cols := map[string]int{}
	var ignored []string
	for i, h := range header {
		key := strings.Map(func(r rune) rune {
			switch r {
			case ' ', '_', '-', '\t':
				return -1
			}
			return r
		}, strings.ToLower(strings.TrimSpace(h)))
		col, ok := importColumns[key]
		if !ok {
			if strings.TrimSpace(h) != "" {
				ignored = append(ignored, strings.TrimSpace(h))
			}
			continue
		}
		if _, dup := cols[col]; dup {
			return nil, nil, fmt.Errorf("%w: column %q appears twice", ErrImportHeader, col)
		}
		cols[col] = i
	}
	var missing []string
	for _, c := range requiredColumns {
		if _, ok := cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("%w: missing column(s) %s; the header must name date, time, channels and text (time zone, media url, link and labels are optional)", ErrImportHeader, strings.Join(missing, ", "))
	}
	return cols, ignored, nil
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

// parse fills the row from its cells, recording a problem per bad cell.
func (r *ImportRow) parse(get func(string) string, defaultTZ string, locs map[string]*time.Location) {
	tz := get("time zone")
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
		r.problem("time zone", "invalid_time_zone", 0, map[string]string{"value": strconv.Quote(tz)})
	}

	dateText, clockText := get("date"), get("time")
	date, derr := time.Parse("2006-01-02", dateText)
	if derr != nil {
		r.problem("date", "invalid_date", 0, map[string]string{"value": strconv.Quote(dateText)})
	}
	h, m, cerr := parseImportClock(clockText)
	if cerr != nil {
		r.problem("time", "invalid_time", 0, map[string]string{"value": strconv.Quote(clockText)})
	}
	if derr == nil && cerr == nil && loc != nil {
		at := time.Date(date.Year(), date.Month(), date.Day(), h, m, 0, 0, loc)
		want := time.Date(date.Year(), date.Month(), date.Day(), h, m, 0, 0, time.UTC)
		wall := time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute(), 0, 0, time.UTC)
		if !wall.Equal(want) {
			r.problem("time", "time_in_dst_gap", 0, map[string]string{"time": clockText, "date": dateText, "zone": tz})
		} else {
			r.At = firstOccurrence(at, want).UTC()
		}
	}

	for _, c := range splitList(get("channels"), "|;") {
		if !contains(r.Channels, c) {
			r.Channels = append(r.Channels, c)
		}
	}
	if len(r.Channels) == 0 {
		r.problem("channels", "channels_required", 0, nil)
	}

	r.Text = get("text")
	if n := utf8.RuneCountInString(r.Text); n > maxImportText {
		r.problem("text", "text_too_long_everywhere", int64(maxImportText), map[string]string{"value": strconv.Itoa(n)})
	}
	for _, u := range splitList(get("media url"), "| \t\n") {
		if !httpURL(u) {
			r.problem("media url", "invalid_media_url", 0, map[string]string{"value": strconv.Quote(u)})
			continue
		}
		r.MediaURLs = append(r.MediaURLs, u)
	}
	if r.Text == "" && len(r.MediaURLs) == 0 {
		r.problem("text", "post_empty", 0, nil)
	}
	if link := get("link"); link != "" {
		if httpURL(link) {
			r.Link = link
		} else {
			r.problem("link", "invalid_link", 0, map[string]string{"value": strconv.Quote(link)})
		}
	}
	for _, kv := range splitList(get("labels"), ";|") {
		k, v, _ := strings.Cut(kv, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" {
			r.problem("labels", "invalid_label", 0, map[string]string{"value": strconv.Quote(kv)})
			continue
		}
		if r.Labels == nil {
			r.Labels = map[string]string{}
		}
		if _, dup := r.Labels[k]; dup {
			r.problem("labels", "duplicate_label", 0, map[string]string{"value": strconv.Quote(k)})
			continue
		}
		r.Labels[k] = v
	}
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

func parseImportClock(s string) (int, int, error) {
	hs, ms, ok := strings.Cut(s, ":")
	if !ok || len(hs) < 1 || len(hs) > 2 || len(ms) != 2 {
		return 0, 0, errors.New("compose: not HH:MM")
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	if err1 != nil || err2 != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, 0, errors.New("compose: not HH:MM")
	}
	return h, m, nil
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
			media[j] = MediaInfo{Kind: mediaKindFromURL(u), AltText: "-"}
		}
		for _, ch := range r.Channels {
			l, ok := resolve(ch)
			if !ok {
				r.problem("channels", "unknown_channel", 0, map[string]string{"value": strconv.Quote(ch)})
				continue
			}
			for _, p := range Validate(Draft{Text: r.Text, Link: r.Link, Media: media}, l) {
				if p.Severity != SeverityError {
					continue
				}
				column := "text"
				if strings.HasPrefix(p.Field, "media") {
					column = "media url"
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
