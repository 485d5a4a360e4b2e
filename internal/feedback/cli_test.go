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
	require.Equal(t, "refund_return\ten\n\tother\ndelivery,service\tfr\n\ten\n", out.String())

	out.Reset()
	require.NoError(t, RunCLI(strings.NewReader("Paket kaputt\n"), &out, "de"))
	require.Equal(t, "delivery,quality\tde\n", out.String())

	require.ErrorContains(t, RunCLI(strings.NewReader("x\n"), &out, "klingon!"), "--lang")
}
