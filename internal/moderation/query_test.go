package moderation

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/valid"
)

func TestQueryMatch(t *testing.T) {
	t.Parallel()
	const brief = `refund AND (late OR "not arrived") AND NOT spam`
	for _, tc := range []struct {
		query, text string
		want        bool
	}{
		{brief, "Where is my REFUND? The parcel has not arrived!", true},
		{brief, "refund is late", true},
		{brief, "refund late spam spam", false},
		{brief, "refund, arrived not", false},
		{brief, "refunded late", false}, // whole words
		{brief, "late refund... not\narrived", true},
		{"refund*", "Refunds please", true},
		{"refund*", "a prefund", false},
		{"remboursé", "Toujours pas REMBOURSE", true},
		{"rembourse", "Toujours pas remboursé", true},
		{"rembourse", "Toujours pas rembourse\u0301", true}, // combining accent
		{"straße", "STRASSE gesperrt", true},
		{"Rückruf", "der ruckruf kommt", true},
		{"arnaque", "c'est l'arnaque", true},
		{`"e-mail"`, "send an e mail", true},
		{"late OR slow", "so slow", true},
		{"late slow", "so slow", false}, // side by side means AND
		{"late slow", "slow and late", true},
		{"NOT spam", "hello", true},
		{"NOT spam", "spam", false},
		{"NOT NOT spam", "spam", true},
		{"(a OR b) (c OR d)", "b d", true},
		{"(a OR b) (c OR d)", "b e", false},
		{"a OR b AND c", "a", true}, // AND binds tighter
		{"a OR b AND c", "b", false},
		{"«pas reçu»", "colis pas recu", true},
		{"„nicht angekommen“", "Paket nicht angekommen", true},
		{"2024", "since 2024 waiting", true},
		{"boycott", "#Boycott now", true},
		{"boycott", "boycotting", false},
	} {
		q, err := ParseQuery(tc.query)
		require.NoError(t, err, tc.query)
		require.Equal(t, tc.want, q.Match(Words(tc.text)), "%q on %q", tc.query, tc.text)
	}
}

func TestQueryErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		query, code, contains string
	}{
		{`refund AND`, "syntax", "missing at the end"},
		{`(refund`, "syntax", "not closed (at character 1)"},
		{`refund)`, "syntax", "closing parenthesis has no opening one (at character 7)"},
		{`"not arrived`, "syntax", "quoted phrase is not closed"},
		{`OR refund`, "syntax", `"OR" needs a word`},
		{`refund AND AND late`, "syntax", `"AND" needs a word`},
		{`"!!!"`, "syntax", "no letters or digits"},
		{`()`, "syntax", `")" needs a word`},
		{strings.Repeat("a ", 101), "too_many", "at most 100 words"},
		{strings.Repeat("(", 30) + "a" + strings.Repeat(")", 30), "too_deep", "at most 20 nested"},
		{strings.Repeat("x", 1001), "too_long", "at most 1000 characters; they have 1001"},
	} {
		_, err := ParseQuery(tc.query)
		ve, ok := valid.As(err)
		require.True(t, ok, "%q: %v", tc.query, err)
		require.Equal(t, "query", ve.Field)
		require.Equal(t, tc.code, ve.Code, tc.query)
		require.Contains(t, ve.Message, tc.contains, tc.query)
	}
	q, err := ParseQuery("   ")
	require.NoError(t, err)
	require.Nil(t, q, "a blank query is no condition")
}

func TestWords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Hello, World!", []string{"hello", "world"}},
		{"Ça a l'air NUL 👎", []string{"ca", "a", "l", "air", "nul"}},
		{"Größe ÆON œuvre", []string{"grosse", "aeon", "oeuvre"}},
		{"", nil},
		{"   ...  ", nil},
	} {
		require.Equal(t, tc.want, Words(tc.in), tc.in)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{`refund AND (late OR "not arrived") AND NOT spam`, `"`, `(`, `)`, `NOT`, `a*`, `«x»`, `-`, `AND OR`, "\x00", "é*"} {
		f.Add(s, "refund late not arrived spam")
	}
	f.Fuzz(func(t *testing.T, src, text string) {
		q, err := ParseQuery(src)
		if err != nil {
			ve, ok := valid.As(err)
			if !ok || ve.Field != "query" || ve.Message == "" {
				t.Fatalf("%q: error without the query field: %v", src, err)
			}
			return
		}
		if q == nil {
			if strings.TrimSpace(src) != "" {
				t.Fatalf("%q: nil query for a non-blank text", src)
			}
			return
		}
		_ = q.Match(Words(text))
		// A query matches its own words when it has no NOT and no OR: every
		// term appears in its own text.
		if !strings.ContainsAny(src, `"“”«»„()*&|`) && !strings.Contains(src, "NOT") && !strings.Contains(src, "OR") && utf8.ValidString(src) {
			if !q.Match(Words(src)) {
				t.Fatalf("%q does not match its own text", src)
			}
		}
		for _, w := range Words(text) {
			if w == "" || strings.ToLower(w) != w {
				t.Fatalf("Words(%q) gave %q", text, w)
			}
		}
	})
}

func TestQueryAnchors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want []Anchor
		ok   bool
	}{
		{"acme", []Anchor{{Word: "acme"}}, true},
		{`"customer service" OR refund*`, []Anchor{{Word: "customer"}, {Word: "refund", Prefix: true}}, true},
		{"acme AND (a OR b OR c)", []Anchor{{Word: "acme"}}, true},
		{"(a OR b) AND NOT c", []Anchor{{Word: "a"}, {Word: "b"}}, true},
		{"NOT acme", nil, false},
		{"acme OR NOT b", nil, false},
	} {
		q, err := ParseQuery(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := q.Anchors()
		if ok != tc.ok || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q: anchors %v %v, want %v %v", tc.src, got, ok, tc.want, tc.ok)
		}
	}
}
