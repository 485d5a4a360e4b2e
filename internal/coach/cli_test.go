package coach

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunCLI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		in, lang        string
		media, channels int
		wantLang        string
		wantRules       map[string]int // rule → minimum score
	}{
		{"french draft detected", "Enfin ! -20 % avec le code LUNE20. Partagez-la ! Laquelle préférez-vous ? #lune\n", "auto", 1, 3,
			"fr", map[string]int{RuleEnthusiasm: 85, RuleReward: 100, RuleShareActively: 80, RuleInviteSharing: 80}},
		{"german draft forced", "Neue Jacken sind da.", "de", 0, 1,
			"de", map[string]int{RuleEasyToShare: 50}},
		{"english with CRLF", "Win a coat! Share with a friend.\r\nTerms: https://example.com/terms\r\n", "en", 2, 2,
			"en", map[string]int{RuleReward: 70, RuleInviteSharing: 60}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out strings.Builder
			require.NoError(t, RunCLI(strings.NewReader(tc.in), &out, tc.lang, tc.media, tc.channels))
			require.True(t, strings.HasSuffix(out.String(), "}\n"), "one JSON document ending with a newline")

			// The contract: {"score":0-100,"lang":"fr","rules":[{"rule","score","evidence":[…],"suggestion"}×5]}.
			var doc map[string]json.RawMessage
			require.NoError(t, json.Unmarshal([]byte(out.String()), &doc))
			require.ElementsMatch(t, []string{"score", "lang", "rules"}, keys(doc))
			var rep Report
			require.NoError(t, json.Unmarshal([]byte(out.String()), &rep))
			require.Equal(t, tc.wantLang, rep.Lang)
			require.Len(t, rep.Rules, 5)
			var rules []map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(doc["rules"], &rules))
			for _, r := range rules {
				require.ElementsMatch(t, []string{"rule", "score", "evidence", "suggestion"}, keys(r))
				require.True(t, strings.HasPrefix(string(r["evidence"]), "["), "evidence is an array, never null")
			}
			for _, r := range rep.Rules {
				if min, ok := tc.wantRules[r.Rule]; ok {
					require.GreaterOrEqual(t, r.Score, min, "%s: %v", r.Rule, r.Evidence)
				}
			}
			require.Equal(t, Analyze(Draft{Text: strings.TrimSpace(strings.ReplaceAll(tc.in, "\r\n", "\n")), Lang: strings.TrimPrefix(tc.lang, "auto"), Media: tc.media, Channels: tc.channels}), rep)
		})
	}
}

// keys lists a JSON object's keys.
func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestRunCLIErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		in              string
		media, channels int
		out             *strings.Builder
		want            string
	}{
		{"empty draft", "  \n", 0, 0, &strings.Builder{}, "draft text is empty"},
		{"negative media", "hi", -1, 0, &strings.Builder{}, "--media must be 0 or more, got -1"},
		{"negative channels", "hi", 0, -2, &strings.Builder{}, "--channels must be 0 or more, got -2"},
		{"too large", strings.Repeat("a", maxDraftBytes+1), 0, 0, &strings.Builder{}, "at most 1048576 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := RunCLI(strings.NewReader(tc.in), tc.out, "auto", tc.media, tc.channels)
			require.ErrorContains(t, err, tc.want)
			require.Empty(t, tc.out.String())
		})
	}
	require.ErrorIs(t, RunCLI(strings.NewReader(""), &strings.Builder{}, "en", 0, 0), ErrEmptyDraft)
	require.ErrorContains(t, RunCLI(strings.NewReader("hi"), &strings.Builder{}, "francais", 0, 0), `--lang "francais"`)
	err := RunCLI(strings.NewReader("hello"), failingWriter{}, "en", 0, 0)
	require.ErrorContains(t, err, "coach: write report")
}

// failingWriter fails every write, as a closed pipe would.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }
