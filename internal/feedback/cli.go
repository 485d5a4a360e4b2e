package feedback

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/relais/relais/internal/sentiment"
)

// maxLineBytes bounds one input line so a stray binary file cannot exhaust memory.
const maxLineBytes = 1 << 20

// RunCLI implements `relais feedback themes`: one text per line in, one line
// out per text: the themes comma-separated (empty when none), a tab, the
// language. lang is "auto" or "" to detect each line, or a language tag
// applied to every line. Empty lines yield "\t<lang>" so output lines stay
// aligned with input lines.
func RunCLI(in io.Reader, out io.Writer, lang string) error {
	hint := strings.TrimSpace(lang)
	if hint != "" && hint != "auto" && sentiment.NormalizeTag(hint) == "" {
		return fmt.Errorf("feedback: --lang %q: want auto, en, fr, de or a language tag", lang)
	}
	if hint == "auto" {
		hint = ""
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), maxLineBytes)
	w := bufio.NewWriter(out)
	var line []byte
	for sc.Scan() {
		r := Analyze(strings.TrimRight(sc.Text(), "\r"), hint)
		line = line[:0]
		for i, th := range r.Themes {
			if i > 0 {
				line = append(line, ',')
			}
			line = append(line, th...)
		}
		line = append(line, '\t')
		line = append(line, r.Lang...)
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return fmt.Errorf("feedback: write result: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("feedback: read input (lines up to %d bytes): %w", maxLineBytes, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("feedback: write result: %w", err)
	}
	return nil
}

// RunSummaryCLI implements `relais feedback summary`: comments in, one per
// line (optionally "date<TAB>comment"), and the summary out: a table of themes
// with counts, share, sentiment split and weekly change, or the JSON document
// of the API when asJSON is set.
func RunSummaryCLI(in io.Reader, out io.Writer, lang string, asJSON bool) error {
	hint := strings.TrimSpace(lang)
	if hint != "" && hint != "auto" && sentiment.NormalizeTag(hint) == "" {
		return fmt.Errorf("feedback: --lang %q: want auto, en, fr, de or a language tag", lang)
	}
	if hint == "auto" {
		hint = ""
	}
	b, err := io.ReadAll(io.LimitReader(in, int64(MaxComments)*int64(MaxCommentRunes)*4+1))
	if err != nil {
		return fmt.Errorf("feedback: read input: %w", err)
	}
	items, err := ParseLines(string(b))
	if err != nil {
		return err
	}
	for i := range items {
		items[i].Lang = hint
	}
	s := Summarize(items)
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%d comments\tpositive %d\tneutral %d\tnegative %d\n\n", s.Total, s.Split.Positive, s.Split.Neutral, s.Split.Negative)
	fmt.Fprintln(tw, "THEME\tCOMMENTS\tSHARE\tNEG\tNEU\tPOS\tLAST WEEK")
	for _, t := range s.Themes {
		change := "-"
		if len(t.Trend) >= 2 {
			change = fmt.Sprintf("%+d", t.Change)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f%%\t%d\t%d\t%d\t%s\n", t.Theme, t.Count, t.Share*100, t.Split.Negative, t.Split.Neutral, t.Split.Positive, change)
	}
	return tw.Flush()
}
