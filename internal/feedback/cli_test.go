package feedback

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRunCLI(t *testing.T) {
	t.Parallel()
	in := "Where is my refund???\n\nLe colis est arrivé abîmé et le service client ne répond pas\nObsessed with this colour 😍\r\n"
	var out bytes.Buffer
	require.NoError(t, RunCLI(strings.NewReader(in), &out, "auto"))
	require.Equal(t, "refund_return\ten\n\tother\ndelivery,quality,service\tfr\n\ten\n", out.String())

	out.Reset()
	require.NoError(t, RunCLI(strings.NewReader("Paket kaputt\n"), &out, "de"))
	require.Equal(t, "delivery,quality\tde\n", out.String())

	require.ErrorContains(t, RunCLI(strings.NewReader("x\n"), &out, "klingon!"), "--lang")
}

func TestRunSummaryCLI(t *testing.T) {
	t.Parallel()
	in := "2026-11-23\tMy parcel has been stuck in the depot for 9 days\n2026-12-01\tColis toujours pas arrivé\nWhere is my refund???\n"
	var out bytes.Buffer
	require.NoError(t, RunSummaryCLI(strings.NewReader(in), &out, "auto", false))
	text := out.String()
	require.Contains(t, text, "3 comments")
	require.Regexp(t, `(?m)^delivery\s+2\s+67%\s+2\s+0\s+0\s+\+0$`, text)
	require.Regexp(t, `(?m)^refund_return\s+1\s+33%`, text)

	out.Reset()
	require.NoError(t, RunSummaryCLI(strings.NewReader(in), &out, "auto", true))
	require.Contains(t, out.String(), `"theme": "delivery"`)

	require.ErrorContains(t, RunSummaryCLI(strings.NewReader(strings.Repeat("x\n", MaxComments+1)), &out, "", false), "at most 2000")
}
