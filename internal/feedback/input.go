package feedback

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/compose"
)

// Limits of one batch of comments read at once (web page, API, CLI).
const (
	MaxComments     = 2000
	MaxCommentRunes = 10_000
)

// InputError names the line and the limit a batch of comments breaks.
type InputError struct {
	Line  int // 1-based; 0 for the whole batch
	Limit int
	Code  string // "too_many", "too_long"
}

func (e *InputError) Error() string {
	if e.Code == "too_many" {
		return fmt.Sprintf("feedback: at most %d comments at once", e.Limit)
	}
	return fmt.Sprintf("feedback: line %d: at most %d characters per comment", e.Line, e.Limit)
}

// dateLayouts are the date forms accepted before a tab: what spreadsheets
// paste when two columns (date, comment) are copied.
var dateLayouts = []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02 15:04:05", time.RFC3339, "02/01/2006", "02.01.2006", "2/1/2006"}

// ParseLines reads one comment per line; a line may start with a date and a
// tab ("2026-11-30<TAB>Where is my refund?"), as two spreadsheet columns
// paste. Blank lines are skipped.
func ParseLines(text string) ([]Item, error) {
	var items []Item
	for n, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var at time.Time
		if d, rest, ok := strings.Cut(line, "\t"); ok {
			if t, ok := parseDate(d); ok {
				at, line = t, strings.TrimSpace(rest)
			}
		}
		if line == "" {
			continue
		}
		if utf8.RuneCountInString(line) > MaxCommentRunes {
			return nil, &InputError{Line: n + 1, Limit: MaxCommentRunes, Code: "too_long"}
		}
		if len(items) == MaxComments {
			return nil, &InputError{Limit: MaxComments, Code: "too_many"}
		}
		items = append(items, Item{Text: line, At: at})
	}
	return items, nil
}

func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// WriteCSV writes one row per comment: text, date, language, sentiment,
// compound and themes (separated by "|"). Cells a spreadsheet would run as a
// formula are prefixed with an apostrophe.
func WriteCSV(w io.Writer, comments []Analysed) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"text", "date", "lang", "sentiment", "compound", "themes"}); err != nil {
		return err
	}
	for _, c := range comments {
		date := ""
		if c.At != nil {
			date = c.At.Format("2006-01-02")
		}
		themes := make([]string, len(c.Themes))
		for i, t := range c.Themes {
			themes[i] = string(t)
		}
		if err := cw.Write([]string{compose.SafeCell(c.Text), date, c.Lang, string(c.Sentiment), strconv.FormatFloat(c.Compound, 'f', 4, 64), strings.Join(themes, "|")}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
