package sentiment

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
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
	// Lines are read in batches and scored by one goroutine per core, then
	// written in input order: one core gives the single-core rate, more cores more.
	workers := max(1, runtime.GOMAXPROCS(0))
	texts := make([]string, 0, cliBatch)
	results := make([]Result, cliBatch)
	var line []byte
	flush := func() error {
		scoreAll(texts, results[:len(texts)], hint, workers)
		for _, r := range results[:len(texts)] {
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
		texts = texts[:0]
		return nil
	}
	for sc.Scan() {
		texts = append(texts, strings.TrimRight(sc.Text(), "\r"))
		if len(texts) == cliBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("sentiment: read input (lines up to %d bytes): %w", maxLineBytes, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("sentiment: write result: %w", err)
	}
	return nil
}

// cliBatch is how many lines RunCLI scores at a time.
const cliBatch = 1024

// scoreAll analyses texts into out, split over workers goroutines.
func scoreAll(texts []string, out []Result, hint string, workers int) {
	n := len(texts)
	if workers <= 1 || n < 64 {
		for i, t := range texts {
			out[i] = Analyze(t, hint)
		}
		return
	}
	var wg sync.WaitGroup
	per := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += per {
		hi := min(lo+per, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				out[i] = Analyze(texts[i], hint)
			}
		}()
	}
	wg.Wait()
}
