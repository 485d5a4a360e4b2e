package influencer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Row is one influencer of an imported list.
type Row struct {
	Line     int       `json:"line"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Phone    string    `json:"phone"`
	Consent  bool      `json:"consent"`
	Country  string    `json:"country"`
	Language string    `json:"language"`
	Tags     []string  `json:"tags"`
	Notes    string    `json:"notes"`
	Accounts []Account `json:"accounts"`
}

// Account is one of an influencer's accounts: a network and a handle.
type Account struct {
	Network string `json:"network"`
	Handle  string `json:"handle"`
}

// RowError is a problem with one row, naming the line and the column.
type RowError struct {
	Line   int    `json:"line"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

func (e RowError) Error() string {
	return fmt.Sprintf("line %d, column %q: %s", e.Line, e.Column, e.Reason)
}

// Import limits.
const (
	MaxImportBytes = 5 << 20
	MaxImportRows  = 10_000
	maxField       = 2000
)

// Networks whose handles the directory keeps.
var Networks = []string{"instagram", "mastodon", "bluesky", "youtube", "tiktok"}

// headerAliases maps the column names lists use (lowercased, EN/FR/DE) to fields.
var headerAliases = map[string]string{
	"name": "name", "nom": "name", "full name": "name", "influencer": "name", "influenceur": "name",
	"email": "email", "e-mail": "email", "mail": "email", "courriel": "email",
	"phone": "phone", "téléphone": "phone", "telephone": "phone", "telefon": "phone", "tel": "phone",
	"consent": "consent", "consentement": "consent", "einwilligung": "consent",
	"country": "country", "pays": "country", "land": "country",
	"language": "language", "langue": "language", "sprache": "language",
	"tags": "tags", "tag": "tags", "étiquettes": "tags", "schlagwörter": "tags",
	"notes": "notes", "note": "notes", "notizen": "notes", "comment": "notes",
	"instagram": "instagram", "ig": "instagram", "mastodon": "mastodon", "bluesky": "bluesky", "bsky": "bluesky",
	"youtube": "youtube", "tiktok": "tiktok",
}

// ParseCSV reads an influencer list: UTF-8 with or without BOM, separated by
// ',' or ';' (whichever the header uses more), quoted fields, and a header
// row whose columns are matched by name (see headerAliases; unknown columns
// are ignored). Rows with problems are left out and reported, each naming
// its line and column; err is set only when the file as a whole is unusable.
func ParseCSV(r io.Reader) ([]Row, []RowError, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, nil, fmt.Errorf("file: larger than %d MiB", MaxImportBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, nil, errors.New("file: not UTF-8 text")
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, errors.New("file: empty, a header row is needed")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("header: %w", err)
	}
	cols := make([]string, len(header))
	hasName, hasHandle := false, false
	for i, h := range header {
		f := headerAliases[strings.ToLower(strings.TrimSpace(h))]
		for _, c := range cols[:i] {
			if f != "" && c == f {
				return nil, nil, fmt.Errorf("header: column %q appears twice", h)
			}
		}
		cols[i] = f
		hasName = hasName || f == "name"
		for _, n := range Networks {
			hasHandle = hasHandle || f == n
		}
	}
	if !hasName && !hasHandle {
		return nil, nil, errors.New("header: needs a \"name\" column or a network column (instagram, mastodon, bluesky, youtube, tiktok)")
	}
	var rows []Row
	var bad []RowError
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, RowError{Line: pe.Line, Column: columnAt(data, cr.Comma, header, pe.Line, pe.Column), Reason: pe.Err.Error()})
				if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
					// The reader cannot resynchronise after a broken quote.
					break
				}
				continue
			}
			return rows, bad, err
		}
		line, _ := cr.FieldPos(0)
		if len(rows)+len(bad) >= MaxImportRows {
			return rows, bad, fmt.Errorf("file: more than %d rows", MaxImportRows)
		}
		if blank(rec) {
			continue
		}
		row, rerr := parseRow(line, header, cols, rec)
		if rerr != nil {
			bad = append(bad, *rerr)
			continue
		}
		rows = append(rows, row)
	}
	return rows, bad, nil
}

// columnAt names the header column holding byte column col (1-based) of
// line (1-based) by counting the separators before it (quotes aside).
func columnAt(data []byte, comma rune, header []string, line, col int) string {
	lines := bytes.Split(data, []byte("\n"))
	if line < 1 || line > len(lines) || len(header) == 0 {
		return ""
	}
	l := lines[line-1]
	if col > len(l) {
		col = len(l)
	}
	i, quoted := 0, false
	for _, b := range l[:max(col-1, 0)] {
		switch {
		case b == '"':
			quoted = !quoted
		case rune(b) == comma && !quoted:
			i++
		}
	}
	return strings.TrimSpace(header[min(i, len(header)-1)])
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func parseRow(line int, header, cols, rec []string) (Row, *RowError) {
	row := Row{Line: line}
	fail := func(i int, format string, a ...any) (Row, *RowError) {
		return Row{}, &RowError{Line: line, Column: strings.TrimSpace(header[i]), Reason: fmt.Sprintf(format, a...)}
	}
	for i, v := range rec {
		if i >= len(cols) {
			if strings.TrimSpace(v) != "" {
				return Row{}, &RowError{Line: line, Column: fmt.Sprintf("#%d", i+1), Reason: "value beyond the header's columns"}
			}
			continue
		}
		v = strings.TrimSpace(v)
		if utf8.RuneCountInString(v) > maxField {
			return fail(i, "longer than %d characters", maxField)
		}
		switch f := cols[i]; f {
		case "":
		case "name":
			row.Name = v
		case "email":
			if v != "" {
				a, err := mail.ParseAddress(v)
				if err != nil || a.Address != v {
					return fail(i, "%q is not an e-mail address", v)
				}
			}
			row.Email = v
		case "phone":
			for _, r := range v {
				if !strings.ContainsRune("+0123456789 ()-./", r) {
					return fail(i, "%q is not a phone number (digits, spaces, + ( ) - . /)", v)
				}
			}
			row.Phone = v
		case "consent":
			switch strings.ToLower(v) {
			case "", "0", "no", "non", "nein", "false", "n":
			case "1", "yes", "oui", "ja", "true", "y", "o", "j":
				row.Consent = true
			default:
				return fail(i, "%q is not yes or no", v)
			}
		case "country":
			if v != "" && (len(v) != 2 || strings.ToUpper(v) != v && strings.ToLower(v) != v) {
				return fail(i, "%q is not a two-letter country code (ISO 3166, e.g. FR)", v)
			}
			row.Country = strings.ToUpper(v)
		case "language":
			if v != "" && (len(v) < 2 || len(v) > 3) {
				return fail(i, "%q is not a language code (e.g. fr)", v)
			}
			row.Language = strings.ToLower(v)
		case "tags":
			row.Tags = SplitTags(v)
		case "notes":
			row.Notes = v
		default:
			if v == "" {
				continue
			}
			h, err := NormalizeHandle(f, v)
			if err != nil {
				return fail(i, "%s", err.Error())
			}
			row.Accounts = append(row.Accounts, Account{Network: f, Handle: h})
		}
	}
	if row.Name == "" {
		if len(row.Accounts) == 0 {
			return Row{}, &RowError{Line: line, Column: "name", Reason: "no name and no account handle"}
		}
		row.Name = row.Accounts[0].Handle
	}
	if row.Email != "" || row.Phone != "" {
		// Contact details are kept only with consent.
		if !row.Consent {
			field := "email"
			if row.Email == "" {
				field = "phone"
			}
			col := field
			for i, c := range cols {
				if c == field {
					col = strings.TrimSpace(header[i])
				}
			}
			return Row{}, &RowError{Line: line, Column: col, Reason: "contact details need consent (a \"consent\" column set to yes)"}
		}
	}
	return row, nil
}

// SplitTags splits "a, b|c" into distinct, trimmed, lowercased tags.
func SplitTags(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '|' || r == '#' }) {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// NormalizeHandle checks and normalises a handle for a network: "@name"
// and profile URLs become "name" (Mastodon keeps "name@instance").
func NormalizeHandle(network, h string) (string, error) {
	h = strings.TrimSpace(h)
	for _, p := range []string{"https://", "http://", "www."} {
		h = strings.TrimPrefix(h, p)
	}
	switch network {
	case "instagram", "tiktok", "youtube":
		for _, host := range []string{"instagram.com/", "tiktok.com/", "youtube.com/"} {
			h = strings.TrimPrefix(h, host)
		}
		h = strings.TrimPrefix(strings.Trim(h, "/"), "@")
		if h == "" || len(h) > 100 || strings.ContainsAny(h, " /?#@") {
			return "", fmt.Errorf("%q is not a %s handle", h, network)
		}
	case "bluesky":
		h = strings.TrimPrefix(h, "bsky.app/profile/")
		h = strings.TrimPrefix(strings.Trim(h, "/"), "@")
		if !strings.Contains(h, ".") && !strings.HasPrefix(h, "did:") {
			return "", fmt.Errorf("%q is not a Bluesky handle (name.bsky.social or a DID)", h)
		}
		if strings.ContainsAny(h, " /?#@") {
			return "", fmt.Errorf("%q is not a Bluesky handle", h)
		}
	case "mastodon":
		if host, user, ok := strings.Cut(h, "/@"); ok {
			h = user + "@" + host
		}
		h = strings.TrimPrefix(h, "@")
		user, host, ok := strings.Cut(h, "@")
		if !ok || user == "" || !strings.Contains(host, ".") && !strings.Contains(host, ":") || strings.ContainsAny(h, " /?#") {
			return "", fmt.Errorf("%q is not a Mastodon address (name@instance)", h)
		}
	default:
		return "", fmt.Errorf("network %q: must be one of %s", network, strings.Join(Networks, ", "))
	}
	return h, nil
}
