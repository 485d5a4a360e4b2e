package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/relais/relais/internal/mail"
	"github.com/relais/relais/internal/mail/mailtest"
	"github.com/stretchr/testify/require"
)

func TestSendInvitation(t *testing.T) {
	t.Parallel()
	srv := mailtest.NewServer(t)
	s, err := mail.New("smtp://relais:pw@"+srv.Addr(), "relais <relais@example.com>")
	require.NoError(t, err)
	msg := mail.Invitation("fr", "Chloé <chloe@example.com>", "Maison Lune", "Inès", "editor", "https://relais.example/invite/ri_abc")
	require.NoError(t, s.Send(context.Background(), msg))
	msgs := srv.Messages()
	require.Len(t, msgs, 1)
	got := msgs[0]
	require.Equal(t, "<relais@example.com>", got.From)
	require.Equal(t, "<chloe@example.com>", got.To)
	require.Contains(t, got.Data, "Subject: =?utf-8?q?Invitation_=C3=A0_rejoindre_Maison_Lune_sur_relais?=")
	plain := got.Body()
	require.Contains(t, plain, "Inès vous invite")
	require.Contains(t, plain, "https://relais.example/invite/ri_abc")
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	s, err := mail.New("", "")
	require.NoError(t, err)
	require.Nil(t, s, "no URL: mail is off")
	for _, tc := range []struct{ url, from, want string }{
		{"http://x", "a@b.c", "RELAIS_SMTP_URL"},
		{"smtp://", "a@b.c", "RELAIS_SMTP_URL"},
		{"smtp://host", "not an address", "RELAIS_SMTP_FROM"},
	} {
		_, err := mail.New(tc.url, tc.from)
		require.ErrorContains(t, err, tc.want, tc.url)
	}
	_, err = mail.New("smtp://user:secret@host", "nope")
	require.NotContains(t, err.Error(), "secret")
}

func TestSendWithHTMLAndAttachments(t *testing.T) {
	t.Parallel()
	srv := mailtest.NewServer(t)
	s, err := mail.New("smtp://"+srv.Addr(), "relais <relais@example.com>")
	require.NoError(t, err)
	pdf := []byte("%PDF-1.3\n" + strings.Repeat("binary \x00\xff ", 40))
	require.NoError(t, s.Send(context.Background(), mail.Message{To: "client@example.com", Subject: "Rapport hebdomadaire",
		Body: "Le rapport.\n.\nFin", HTML: "<p>Le <b>rapport</b> – été</p>",
		Attachments: []mail.Attachment{{Filename: "rapport-été.pdf", ContentType: "application/pdf", Data: pdf},
			{Filename: "report.csv", ContentType: "text/csv", Data: []byte("a,b\n1,2\n")}}}))
	msgs := srv.Messages()
	require.Len(t, msgs, 1)
	parts, err := msgs[0].Parts()
	require.NoError(t, err)
	require.Len(t, parts, 4)
	require.Equal(t, "text/plain", parts[0].ContentType)
	require.Equal(t, "Le rapport.\r\n.\r\nFin", string(parts[0].Data), "a lone dot survives the DATA transfer")
	require.Equal(t, "text/html", parts[1].ContentType)
	require.Contains(t, string(parts[1].Data), "<b>rapport</b> – été")
	require.Equal(t, "rapport-été.pdf", parts[2].Filename)
	require.Equal(t, pdf, parts[2].Data, "the attachment comes back byte for byte")
	require.Equal(t, "text/csv", parts[3].ContentType)
	require.Equal(t, "a,b\n1,2\n", string(parts[3].Data))
}
