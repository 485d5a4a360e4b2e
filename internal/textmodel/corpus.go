package textmodel

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// BrandRow is one labelled comment of the brand corpus
// (internal/sentiment/testdata/brand/LANG_ROUND.tsv, "label<TAB>themes<TAB>text").
type BrandRow struct {
	Round  string   // "dev", "blind9", "second", …
	Lang   string   // "en", "fr", "de"
	Label  string   // "pos", "neg" or "neu"
	Themes []string // theme keys, possibly none
	Text   string
}

// HeldOut lists the rounds no model is ever trained or tuned on, each
// written by an author who wrote nothing else the models learn from.
var HeldOut = []string{"blind10", "blind12", "blind13"}

// IsHeldOut reports whether round is one of HeldOut.
func IsHeldOut(round string) bool { return slices.Contains(HeldOut, round) }

// ReadBrand reads every LANG_ROUND.tsv file of dir, files in name order, lines in file order.
func ReadBrand(dir string) ([]BrandRow, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_*.tsv"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var rows []BrandRow
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".tsv")
		lang, round, _ := strings.Cut(name, "_")
		rs, err := ReadBrandFile(path, lang, round)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("textmodel: no brand files in %s", dir)
	}
	return rows, nil
}

// ReadBrandFile reads one brand file ("label<TAB>themes<TAB>text" under that
// header) as the rows of round in lang.
func ReadBrandFile(path, lang, round string) ([]BrandRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var rows []BrandRow
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			if sc.Text() != "label\tthemes\ttext" {
				return nil, fmt.Errorf("%s: header %q", path, sc.Text())
			}
			continue
		}
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		parts := strings.SplitN(sc.Text(), "\t", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("%s:%d: want 3 fields", path, line)
		}
		switch parts[0] {
		case "pos", "neg", "neu":
		default:
			return nil, fmt.Errorf("%s:%d: label %q", path, line, parts[0])
		}
		var themes []string
		if parts[1] != "" {
			themes = strings.Split(parts[1], ",")
		}
		rows = append(rows, BrandRow{Round: round, Lang: lang, Label: parts[0], Themes: themes, Text: parts[2]})
	}
	return rows, sc.Err()
}

// TrainingRows is the corpus in dir without the held-out rounds: what the shipped models learn from.
func TrainingRows(dir string) ([]BrandRow, error) {
	rows, err := ReadBrand(dir)
	if err != nil {
		return nil, err
	}
	return WithoutHeldOut(rows), nil
}

// WithoutHeldOut is a copy of rows without the held-out rounds.
func WithoutHeldOut(rows []BrandRow) []BrandRow {
	return slices.DeleteFunc(slices.Clone(rows), func(r BrandRow) bool { return IsHeldOut(r.Round) })
}

// Rounds lists the distinct rounds of rows in first-seen order.
func Rounds(rows []BrandRow) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rows {
		if !seen[r.Round] {
			seen[r.Round] = true
			out = append(out, r.Round)
		}
	}
	return out
}
