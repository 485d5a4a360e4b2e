package telegram

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// FuzzParseMarkdown checks that every entity fits the UTF-16 text, never
// splits a surrogate pair, and that text without markers passes unchanged.
func FuzzParseMarkdown(f *testing.F) {
	for _, s := range []string{"", "**b**", "😀 __i__ 𝄞", "[a](https://x.y)", "`", "**", "||s|| ~~t~~", "é**é**é", "[](http://x)", "a_b_c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return
		}
		text, ents := ParseMarkdown(in)
		u := utf16.Encode([]rune(text))
		low := func(i int) bool { return i < len(u) && u[i] >= 0xDC00 && u[i] <= 0xDFFF }
		end := 0
		for _, e := range ents {
			if e.Offset < end || e.Length <= 0 || e.Offset+e.Length > len(u) || low(e.Offset) || low(e.Offset+e.Length) {
				t.Fatalf("entity %+v does not fit %q (%d units)", e, text, len(u))
			}
			end = e.Offset + e.Length
		}
		if !strings.ContainsAny(in, "*_~|`[") && (text != in || len(ents) != 0) {
			t.Fatalf("text without markers changed: %q -> %q", in, text)
		}
	})
}
