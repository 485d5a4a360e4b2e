package api_test

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/relais/relais/client"
	"github.com/relais/relais/internal/api"
	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/mail/mailtest"
	"github.com/relais/relais/internal/secret"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

func TestInvitationIsMailedWhenSMTPIsConfigured(t *testing.T) {
	t.Parallel()
	smtpSrv := mailtest.NewServer(t)
	sender, err := mail.New("smtp://"+smtpSrv.Addr(), "relais <relais@example.com>")
	require.NoError(t, err)
	st := storetest.OpenSQLite(t)
	kr, err := secret.New("k1", map[string][]byte{"k1": bytes.Repeat([]byte{1}, 32)})
	require.NoError(t, err)
	svc := auth.NewService(st)
	h := api.New(api.Deps{Store: st, Auth: svc, Channels: &channel.Service{Store: st, Keyring: kr}, Mail: sender, BaseURL: "http://relais.test"})
	srv := httptest.NewServer(validating(t, h))
	defer srv.Close()
	u, err := svc.CreateUser(ctx, "ines@example.com", "Inès", "a long enough password", false)
	require.NoError(t, err)
	w, err := svc.CreateWorkspace(ctx, u, "Maison Lune", "", "")
	require.NoError(t, err)
	p, err := svc.Principal(ctx, u, w.ID)
	require.NoError(t, err)
	tok, _, err := svc.CreateToken(ctx, p, "t")
	require.NoError(t, err)
	c := client.New(srv.URL, tok)

	var out struct {
		URL     string `json:"url"`
		Emailed bool   `json:"emailed"`
	}
	require.NoError(t, c.Do(ctx, "POST", "/invitations", map[string]string{"email": "chloe@example.com", "role": "editor"}, &out))
	require.True(t, out.Emailed)
	msgs := smtpSrv.Messages()
	require.Len(t, msgs, 1)
	require.Equal(t, "<chloe@example.com>", msgs[0].To)
	require.Contains(t, msgs[0].Body(), out.URL)
	require.Contains(t, msgs[0].Body(), "Inès invites you to join the workspace Maison Lune")

	// Without an address, only the link is made.
	out.Emailed = false
	require.NoError(t, c.Do(ctx, "POST", "/invitations", map[string]string{"role": "viewer"}, &out))
	require.False(t, out.Emailed)
	require.True(t, strings.HasPrefix(out.URL, "http://relais.test/invite/"))
	require.Len(t, smtpSrv.Messages(), 1)
}
