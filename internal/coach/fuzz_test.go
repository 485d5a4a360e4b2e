package coach

import "testing"

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{"", "Enfin ! -20 % code ABCD1234", "Teilt es! #a #b", "@a @b.c https://x.y/?utm_source=z",
		"\n\n\n", "!!!!!!", "concours", "\xff\xfe"} {
		f.Add(s, "", 1, 2)
	}
	f.Fuzz(func(t *testing.T, text, lang string, media, channels int) {
		rep := Analyze(Draft{Text: text, Lang: lang, Media: media, Channels: channels})
		if rep.Score < 0 || rep.Score > 100 || len(rep.Rules) != 5 {
			t.Fatalf("bad report %+v", rep)
		}
		for _, r := range rep.Rules {
			if r.Score < 0 || r.Score > 100 || r.Suggestion == "" || r.Evidence == nil {
				t.Fatalf("bad rule %+v", r)
			}
		}
	})
}
