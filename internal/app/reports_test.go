package app_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/mail/mailtest"
)

// TestScheduledReportsJob: with SMTP configured, serve's periodic job
// send_scheduled_reports mails a workspace's report, in its language and
// with its brand, once per period; without SMTP there is no such job.
func TestScheduledReportsJob(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var logs syncBuffer
	off, _ := openApp(t, config.Config{DataDir: t.TempDir(), BaseURL: "http://127.0.0.1:8080"}, &logs)
	for _, j := range off.Periodic() {
		require.NotEqual(t, "send_scheduled_reports", j.Name, "no SMTP, no job")
	}

	srv := mailtest.NewServer(t)
	a, _ := openApp(t, config.Config{DataDir: t.TempDir(), BaseURL: "http://127.0.0.1:8080", SMTPURL: "smtp://" + srv.Addr(),
		SMTPFrom: "relais <reports@relais.example>"}, &logs)
	u := createUser(t, a)
	ws, err := a.Auth.CreateWorkspace(ctx, u, "Maison Lune", "lune", "Europe/Paris")
	require.NoError(t, err)
	_, err = a.Analytics.SaveBrand(ctx, ws.ID, analytics.BrandInput{DisplayName: "Agentur Sonne", AccentColor: "#123456"}, time.Now())
	require.NoError(t, err)
	_, err = a.Analytics.CreateSchedule(ctx, ws.ID, analytics.ScheduleInput{Frequency: "monthly", Language: "de", Recipients: []string{"kunde@example.com"}}, time.Now())
	require.NoError(t, err)
	run := func() {
		for _, j := range a.Periodic() {
			if j.Name == "send_scheduled_reports" {
				require.Equal(t, time.Hour, j.Every)
				require.NoError(t, j.Run(ctx))
				return
			}
		}
		t.Fatal("no send_scheduled_reports job")
	}
	run()
	run()
	msgs := srv.Messages()
	require.Len(t, msgs, 1, "once for the period")
	from, _ := analytics.LastFullPeriod("monthly", time.Now())
	require.Contains(t, msgs[0].Data, "Subject: =?utf-8?q?Agentur_Sonne:_Monatsbericht_"+from.Format(time.DateOnly))
	parts, err := msgs[0].Parts()
	require.NoError(t, err)
	require.Contains(t, string(parts[1].Data), "Wie die Kennzahlen berechnet werden")
	require.True(t, bytes.HasPrefix(parts[2].Data, []byte("%PDF-")))
}
