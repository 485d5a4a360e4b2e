package sentiment

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDetectLanguageHint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, hint, want string
	}{
		{"mastodon tag wins over text", "Merci beaucoup pour la livraison", "de", LangGerman},
		{"region subtag", "Thanks a lot", "en-GB", LangEnglish},
		{"underscore subtag", "Danke", "de_AT", LangGerman},
		{"upper case tag", "Merci", "FR", LangFrench},
		{"other language tag", "Thanks so much for the parcel", "es", LangOther},
		{"three-letter tag", "Vielen Dank", "deu", LangGerman},
		{"auto detects", "Vielen Dank für die schnelle Lieferung", "auto", LangGerman},
		{"empty detects", "The delivery was really fast, thanks", "", LangEnglish},
		{"undetermined tag detects", "La livraison était très rapide, merci", "und", LangFrench},
		{"no evidence", "🔥🔥🔥", "", LangOther},
		{"only mentions", "@anna @paul", "", LangOther},
		{"cyrillic", "Очень красивое платье", "", LangOther},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, DetectLanguage(tc.text, tc.hint))
		})
	}
}

// wordCount counts whitespace-separated words that contain a letter.
func wordCount(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		if strings.IndexFunc(f, func(r rune) bool { return r > '@' }) >= 0 && !strings.HasPrefix(f, "@") {
			n++
		}
	}
	return n
}

func TestDetectLanguageAccuracy(t *testing.T) {
	t.Parallel()
	// The labelled set: every sentiment comment (dev and held-out, whose language
	// is known) plus testdata/lang/other.tsv for languages relais must call "other".
	type item struct{ want, text string }
	var items []item
	for _, set := range []string{"dev", "test"} {
		for _, lang := range []string{"en", "fr", "de"} {
			for _, r := range readLabelled(t, filepath.Join("testdata", set, lang+".tsv")) {
				items = append(items, item{lang, r.text})
			}
		}
	}
	f, err := os.Open(filepath.Join("testdata", "lang", "other.tsv"))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		_, text, ok := strings.Cut(sc.Text(), "\t")
		require.True(t, ok)
		items = append(items, item{LangOther, text})
	}
	require.NoError(t, sc.Err())

	total, correct := 0, 0
	for _, it := range items {
		if wordCount(it.text) < 5 {
			continue
		}
		total++
		got := DetectLanguage(it.text, "")
		if got == it.want {
			correct++
		} else {
			t.Logf("miss: want=%s got=%s %q", it.want, got, it.text)
		}
	}
	acc := float64(correct) / float64(total)
	t.Logf("language detection: %d/%d = %.3f on texts of five words or more", correct, total, acc)
	require.Greater(t, total, 500)
	require.GreaterOrEqual(t, acc, 0.95)
}
