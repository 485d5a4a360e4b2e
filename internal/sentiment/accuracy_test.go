package sentiment

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// labelled is one hand-labelled comment.
type labelled struct {
	gold Label
	text string
}

// readTSV loads a tab-separated file whose first line must be header and
// whose other lines have as many fields (the last may hold tabs); blank lines are skipped.
func readTSV(t *testing.T, path, header string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	n := strings.Count(header, "\t") + 1
	var rows [][]string
	sc := bufio.NewScanner(f)
	first := true
	for sc.Scan() {
		line := sc.Text()
		if first {
			first = false
			require.Equal(t, header, line, "%s: header", path)
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.SplitN(line, "\t", n)
		require.Len(t, parts, n, "%s: line %q", path, line)
		rows = append(rows, parts)
	}
	require.NoError(t, sc.Err())
	return rows
}

// goldLabel reads a pos/neg/neu label.
func goldLabel(t *testing.T, path, lab string) Label {
	t.Helper()
	gold := corpusLabels[lab]
	require.NotEmpty(t, gold, "%s: unknown label %q", path, lab)
	return gold
}

// readLabelled loads a "label<TAB>text" file with labels pos, neg and neu.
func readLabelled(t *testing.T, path string) []labelled {
	t.Helper()
	var rows []labelled
	for _, r := range readTSV(t, path, "label\ttext") {
		rows = append(rows, labelled{gold: goldLabel(t, path, r[0]), text: r[1]})
	}
	return rows
}

// metrics holds the figures the issue sets floors on.
type metrics struct {
	macroF1, polarAcc float64
	n                 int
}

// evaluate scores rows with the language forced, as a network tag would, and
// returns macro-F1 over three classes and accuracy on the polar (pos/neg) items.
func evaluate(rows []labelled, lang string, miss func(labelled, Result)) metrics {
	labels := []Label{Positive, Negative, Neutral}
	tp := map[Label]int{}
	fp := map[Label]int{}
	fn := map[Label]int{}
	polar, polarOK := 0, 0
	for _, r := range rows {
		got := Analyze(r.text, lang)
		if got.Label == r.gold {
			tp[r.gold]++
		} else {
			fp[got.Label]++
			fn[r.gold]++
			if miss != nil {
				miss(r, got)
			}
		}
		if r.gold != Neutral {
			polar++
			if got.Label == r.gold {
				polarOK++
			}
		}
	}
	var f1sum float64
	for _, l := range labels {
		p := float64(tp[l]) / float64(max(1, tp[l]+fp[l]))
		rc := float64(tp[l]) / float64(max(1, tp[l]+fn[l]))
		if p+rc > 0 {
			f1sum += 2 * p * rc / (p + rc)
		}
	}
	return metrics{macroF1: f1sum / 3, polarAcc: float64(polarOK) / float64(max(1, polar)), n: len(rows)}
}

func TestAccuracyFloors(t *testing.T) {
	t.Parallel()
	// The floors from the issue hold on the held-out sets in testdata/test, which
	// were written apart from the lexicon tuning; testdata/dev is the tuning set.
	for _, set := range []string{"test", "dev"} {
		for _, lang := range []string{"en", "fr", "de"} {
			t.Run(set+"/"+lang, func(t *testing.T) {
				t.Parallel()
				rows := readLabelled(t, filepath.Join("testdata", set, lang+".tsv"))
				if set == "dev" && lang != "en" {
					// The second French and German tuning sets were written after a first held-out run.
					rows = append(rows, readLabelled(t, filepath.Join("testdata", set, lang+"_more.tsv"))...)
				}
				if set == "test" {
					require.GreaterOrEqual(t, len(rows), 150, "held-out set size")
				}
				var logMiss func(labelled, Result)
				if set == "dev" {
					// Only tuning-set misses are printed: reading held-out misses invites tuning on them.
					logMiss = func(r labelled, got Result) {
						t.Logf("miss: gold=%s got=%s %.3f %q %v", r.gold, got.Label, got.Compound, r.text, got.Drivers)
					}
				}
				m := evaluate(rows, lang, logMiss)
				t.Logf("%s/%s: n=%d macro-F1=%.3f polar accuracy=%.3f", set, lang, m.n, m.macroF1, m.polarAcc)
				require.GreaterOrEqual(t, m.macroF1, 0.70, "3-class macro-F1")
				require.GreaterOrEqual(t, m.polarAcc, 0.85, "positive/negative accuracy")
			})
		}
	}
}
