package feedback

import (
	"bufio"
	"fmt"
	"io"
	"strings"

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
