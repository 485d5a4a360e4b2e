package mastodon

import (
	"strings"
	"testing"
)

// FuzzHTMLToText checks the converter never panics and leaves text without
// markup or entities as it is.
func FuzzHTMLToText(f *testing.F) {
	for _, s := range []string{"", "<p>a</p>", "<br>", "<", "a<b", "<>", "&amp;", "<p>x<br/>y</p><p>z</p>", "< p>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := HTMLToText(in)
		if !strings.ContainsAny(in, "<&") && out != strings.TrimSpace(in) {
			t.Fatalf("plain text changed: %q -> %q", in, out)
		}
	})
}
