package sentiment

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDetect(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, text, hint, fallback string
		lang                       string
		mixed, fallback_           bool
		minConf, maxConf           float64
	}{
		{name: "tag wins", text: "Where is my parcel", hint: "fr-CA", lang: "fr", minConf: 1, maxConf: 1},
		{name: "clear English", text: "Where is my parcel? It has been stuck for days and nobody answers", lang: "en", minConf: 0.7, maxConf: 1},
		{name: "clear German", text: "Wo bleibt mein Paket? Es liegt seit Tagen im Depot", lang: "de", minConf: 0.7, maxConf: 1},
		{name: "mixed EN then FR", text: "Love the new collection! Mais la taille est beaucoup trop petite pour moi.", lang: "fr", mixed: true, minConf: 0, maxConf: 1},
		{name: "mixed DE then EN", text: "Die Jacke ist wirklich schön und warm. But the zip broke after one week and it is not fixed.", mixed: true, lang: "en", minConf: 0, maxConf: 1},
		{name: "one language, many sentences", text: "Commande reçue. Taille parfaite. Merci beaucoup pour le suivi.", lang: "fr", minConf: 0.6, maxConf: 1},
		{name: "short unsure takes fallback", text: "Top!", fallback: "de", lang: "de", fallback_: true, minConf: 0, maxConf: 0.59},
		{name: "short without fallback", text: "Top!", lang: "other", minConf: 0, maxConf: 0.59},
		{name: "short but sure keeps its language", text: "Merci beaucoup !", fallback: "de", lang: "fr", minConf: 0, maxConf: 1},
		{name: "emoji only takes fallback", text: "😍😍", fallback: "fr", lang: "fr", fallback_: true},
		{name: "long text never falls back", text: "ok ok ok ok ok ok", fallback: "fr", lang: "other", minConf: 0, maxConf: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Detect(tc.text, tc.hint, tc.fallback)
			require.Equal(t, tc.lang, d.Lang, "%+v", d)
			require.Equal(t, tc.mixed, d.Mixed, "%+v", d)
			require.Equal(t, tc.fallback_, d.Fallback, "%+v", d)
			require.GreaterOrEqual(t, d.Confidence, tc.minConf, "%+v", d)
			if tc.maxConf > 0 {
				require.LessOrEqual(t, d.Confidence, tc.maxConf, "%+v", d)
			}
		})
	}
}

// TestDetectNotMixedOnHeldOutSets checks that single-language comments are
// almost never called mixed.
func TestDetectNotMixedOnHeldOutSets(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "fr", "de"} {
		rows := readLabelled(t, "testdata/test/"+lang+".tsv")
		mixed := 0
		for _, r := range rows {
			if Detect(r.text, "", "").Mixed {
				mixed++
			}
		}
		t.Logf("%s: %d of %d called mixed", lang, mixed, len(rows))
		require.LessOrEqual(t, float64(mixed)/float64(len(rows)), 0.05, lang)
	}
}
