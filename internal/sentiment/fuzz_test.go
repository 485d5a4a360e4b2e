package sentiment

import (
	"math"
	"testing"
	"unicode/utf8"
)

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"", "I love it!!!", "n'est pas top", "Das gefällt mir nicht, aber egal", "😍😡👍🏽🇫🇷❤️",
		"sooooo goooood", "@anna @", "l'", "'''", "ne pas plus jamais rien", "but but but", "!?!?!?",
		":) :( <3 :-D", "Lieferverzögerungsbenachrichtigungssystem", "\xff\xfe\x00", "a-b-c-", "#tag",
		"https://example.com", "C'EST NUL", "plus", "peu", "un peu", "never so",
		"5/10", "10 sur 10", "12/10/2026", "Thanks for nothing", "Knöpfe fallen ab.", "mais non", "\"great\"",
		"Order late. Brilliant.", "mise à jour", "so so so", "trotzdem", "après un lavage",
	} {
		f.Add(s, "")
		f.Add(s, "fr")
		f.Add(s, "de")
	}
	f.Fuzz(func(t *testing.T, text, hint string) {
		r := Analyze(text, hint)
		if math.IsNaN(r.Compound) || r.Compound < -1 || r.Compound > 1 {
			t.Fatalf("compound %v outside [-1, 1] for %q", r.Compound, text)
		}
		if r.Label != labelFor(r.Compound) {
			t.Fatalf("label %s does not match compound %v", r.Label, r.Compound)
		}
		switch r.Lang {
		case LangEnglish, LangFrench, LangGerman, LangOther:
		default:
			t.Fatalf("unexpected language %q", r.Lang)
		}
		for _, d := range r.Drivers {
			if d.Valence == 0 || math.IsNaN(d.Valence) {
				t.Fatalf("driver %q has valence %v", d.Word, d.Valence)
			}
			if utf8.ValidString(text) && !utf8.ValidString(d.Word) {
				t.Fatalf("driver %q is not valid UTF-8", d.Word)
			}
		}
	})
}

func FuzzTokenize(f *testing.F) {
	f.Add("J'adore l’ourlet!! 😍 @a.b #c https://x.y", "fr")
	f.Add("can't :) ok", "en")
	f.Add("gibt's T-Shirt??", "de")
	f.Fuzz(func(t *testing.T, text, lang string) {
		toks, st := tokenize(nil, text, lang, data.emoticons)
		if st.capsWords > st.words {
			t.Fatalf("caps words %d > words %d", st.capsWords, st.words)
		}
		for _, tk := range toks {
			if tk.raw == "" {
				t.Fatalf("empty token in %q", text)
			}
		}
	})
}
