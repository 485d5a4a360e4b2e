package sentiment

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// maxLineBytes bounds one input line so a stray binary file cannot exhaust memory.
const maxLineBytes = 1 << 20

// RunCLI implements `relais sentiment`: it reads one text per line from in and
// writes "label<TAB>compound<TAB>lang" per line to out, compound with four
// decimals. lang is "auto" or "" to detect each line's language, or a
// language tag ("en", "fr", "de", …) applied to every line. Empty lines yield a
// neutral result so output lines stay aligned with input lines.
func RunCLI(in io.Reader, out io.Writer, lang string) error {
	hint := strings.TrimSpace(lang)
	if hint != "" && hint != "auto" && normalizeHint(hint) == "" {
		return fmt.Errorf("sentiment: --lang %q: want auto, en, fr, de or a language tag", lang)
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64*1024), maxLineBytes)
	w := bufio.NewWriter(out)
	var line []byte
	for sc.Scan() {
		text := strings.TrimRight(sc.Text(), "\r")
		r := Analyze(text, hint)
		line = line[:0]
		line = append(line, r.Label...)
		line = append(line, '\t')
		c := math.Round(r.Compound*1e4) / 1e4
		if c == 0 {
			c = 0 // print "0.0000", never "-0.0000"
		}
		line = strconv.AppendFloat(line, c, 'f', 4, 64)
		line = append(line, '\t')
		line = append(line, r.Lang...)
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return fmt.Errorf("sentiment: write result: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("sentiment: read input (lines up to %d bytes): %w", maxLineBytes, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sentiment: write result: %w", err)
	}
	return nil
}
