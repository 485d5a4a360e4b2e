package bluesky

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

func TestDetectFacets(t *testing.T) {
	t.Parallel()
	type want struct {
		kind  spanKind
		text  string // the covered text
		value string
	}
	tests := []struct {
		name string
		text string
		want []want
	}{
		{"link with scheme", "see https://example.com/a?b=1.", []want{{spanLink, "https://example.com/a?b=1", "https://example.com/a?b=1"}}},
		{"bare domain", "read example.org/docs, now", []want{{spanLink, "example.org/docs", "https://example.org/docs"}}},
		{"file name is not a link", "open notes.txt and e.g. this", nil},
		{"parenthesised link", "(see https://example.com/x)", []want{{spanLink, "https://example.com/x", "https://example.com/x"}}},
		{"link with balanced parens", "https://en.wikipedia.org/wiki/Go_(language)", []want{{spanLink, "https://en.wikipedia.org/wiki/Go_(language)", "https://en.wikipedia.org/wiki/Go_(language)"}}},
		{"mention", "hi @alice.bsky.social!", []want{{spanMention, "@alice.bsky.social", "alice.bsky.social"}}},
		{"email is neither mention nor link", "mail bob@example.com", nil},
		{"mention without dot", "hi @alice", nil},
		{"tag", "#Go is fun #golang, #123 #日本語", []want{{spanTag, "#Go", "Go"}, {spanTag, "#golang", "golang"}, {spanTag, "#日本語", "日本語"}}},
		{"tag inside url is not a tag", "https://example.com/#anchor", []want{{spanLink, "https://example.com/#anchor", "https://example.com/#anchor"}}},
		{"tag too long", "#" + strings.Repeat("a", 65), nil},
		{"tag at limit", "#" + strings.Repeat("a", 64), []want{{spanTag, "#" + strings.Repeat("a", 64), strings.Repeat("a", 64)}}},
		{"multibyte before", "héllo 🎉 #fête https://x.example.com", []want{{spanTag, "#fête", "fête"}, {spanLink, "https://x.example.com", "https://x.example.com"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := detectFacets(tc.text)
			require.Len(t, got, len(tc.want))
			for i, w := range tc.want {
				require.Equal(t, w.kind, got[i].kind)
				require.Equal(t, w.text, tc.text[got[i].start:got[i].end])
				require.Equal(t, w.value, got[i].value)
			}
		})
	}
}

func TestBuildFacetsUsesByteOffsetsAndDropsUnresolvedMentions(t *testing.T) {
	t.Parallel()
	text := "✨ @alice.test and @ghost.test #tag"
	resolved := map[string]string{"alice.test": "did:plc:alice"}
	calls := 0
	facets := buildFacets(context.Background(), text, func(_ context.Context, h string) (string, error) {
		calls++
		if d, ok := resolved[h]; ok {
			return d, nil
		}
		return "", errors.New("unknown handle")
	})
	require.Equal(t, 2, calls)
	require.Equal(t, []Facet{
		{Index: ByteSlice{ByteStart: 4, ByteEnd: 15}, Features: []FacetFeature{{Type: featureMention, DID: "did:plc:alice"}}},
		{Index: ByteSlice{ByteStart: 32, ByteEnd: 36}, Features: []FacetFeature{{Type: featureTag, Tag: "tag"}}},
	}, facets)
	require.Equal(t, "@alice.test", text[4:15])
	require.Equal(t, "#tag", text[32:36])
}

func FuzzDetectFacets(f *testing.F) {
	for _, s := range []string{"", "hi @a.b #c https://d.e/f", "(example.com) #x,", "#＃tag", "@@a.bc", "é#é https://é.example/é)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		prev := 0
		for _, s := range detectFacets(text) {
			if s.start < prev || s.end <= s.start || s.end > len(text) {
				t.Fatalf("bad span %+v after %d in %q", s, prev, text)
			}
			if !utf8.ValidString(text) {
				continue
			}
			if !utf8.RuneStart(text[s.start]) || (s.end < len(text) && !utf8.RuneStart(text[s.end])) {
				t.Fatalf("span %+v splits a character in %q", s, text)
			}
			prev = s.end
		}
	})
}

func TestRecordKeyIsAStableValidTID(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 26, 1, 2, 3, 456789000, time.UTC)
	k0 := recordKey(at, "pub-1", 0)
	require.True(t, validTID(k0), k0)
	require.Equal(t, k0, recordKey(at, "pub-1", 0), "a retry must reuse the key")
	k1 := recordKey(at, "pub-1", 1)
	require.Less(t, k0, k1, "thread parts sort in order")
	require.NotEqual(t, k0, recordKey(at, "pub-2", 0))
	require.Equal(t, "2222222222222", TID(0, 0))
	require.Equal(t, "222222222222c", TID(0, 8)) // 8 is the ninth letter of the alphabet
	require.False(t, validTID("k222222222222"), "the top bit must be zero")
}
