package sentiment

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunCLI(t *testing.T) {
	t.Parallel()
	// Expected compounds follow from the lexicons by hand: "love" 3.2 → 3.2/√(3.2²+15) = 0.6369;
	// "horrible" −2.8 → −0.5859; "danke" 1.8 + "schnell" 1.8 boosted by "super" 0.293 → 0.7089.
	tests := []struct {
		name, in, lang, want string
	}{
		{"auto detects per line",
			"I love this jacket\nCette veste est horrible\nIst die Jacke gefüttert?\n", "auto",
			"positive\t0.6369\ten\nnegative\t-0.5859\tfr\nneutral\t0.0000\tde\n"},
		{"empty lang detects", "Danke, super schnell geliefert", "",
			"positive\t0.7089\tde\n"},
		{"forced language", "top", "fr",
			"positive\t0.4939\tfr\n"},
		{"blank line keeps alignment", "great\n\nawful", "en",
			"positive\t0.6249\ten\nneutral\t0.0000\ten\nnegative\t-0.4588\ten\n"},
		{"CRLF input", "great\r\n", "en",
			"positive\t0.6249\ten\n"},
		{"other language", "Muchas gracias por todo", "auto",
			"neutral\t0.0000\tother\n"},
		{"no input", "", "auto", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out strings.Builder
			require.NoError(t, RunCLI(strings.NewReader(tc.in), &out, tc.lang))
			require.Equal(t, tc.want, out.String())
		})
	}
}

func TestRunCLIOutputMatchesAnalyze(t *testing.T) {
	t.Parallel()
	base := []string{"Worst delivery ever 😡", "Merci pour l'accueil !", "Die Qualität ist leider mies", "", "ok", "Where is my refund???"}
	// More lines than a batch, scored in parallel, come out in input order.
	var lines []string
	for i := range 2*cliBatch + 7 {
		lines = append(lines, base[i%len(base)]+strings.Repeat(" !", i%3))
	}
	var out strings.Builder
	require.NoError(t, RunCLI(strings.NewReader(strings.Join(lines, "\n")), &out, "auto"))
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, got, len(lines))
	for i, l := range lines {
		r := Analyze(l, "")
		fields := strings.Split(got[i], "\t")
		require.Len(t, fields, 3)
		require.Equal(t, string(r.Label), fields[0], l)
		require.Equal(t, r.Lang, fields[2], l)
	}
}

func TestRunCLIErrors(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	err := RunCLI(strings.NewReader("x"), &out, "francais")
	require.ErrorContains(t, err, `--lang "francais"`)

	err = RunCLI(strings.NewReader(strings.Repeat("a", 2*maxLineBytes)+"\n"), &out, "en")
	require.ErrorContains(t, err, "lines up to")

	err = RunCLI(strings.NewReader("great"), failingWriter{}, "en")
	require.ErrorContains(t, err, "sentiment: write result")
}

// failingWriter fails every write, as a closed pipe would.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }
