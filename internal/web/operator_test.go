package web

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/config"
	"github.com/relais/relais/internal/operator"
)

// TestNetworkAppsPage: an instance administrator enters the Meta app on the
// network apps page; it is stored encrypted, in force at once, its secret
// never shown again; a blank secret keeps it, "clear" removes it; a value set
// in the environment cannot be changed there; bad values name the setting and
// the limit and change nothing; other users get the not-found page.
func TestNetworkAppsPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()

	member := b.browser(t)
	member.signIn("member@example.com")
	require.Equal(t, http.StatusNotFound, member.get("/admin/apps").StatusCode)
	require.Equal(t, http.StatusNotFound, member.post("/admin/apps/meta", form("RELAIS_META_APP_ID", "123")).StatusCode)
	list, err := b.st.OperatorSettings(ctx)
	require.NoError(t, err)
	require.Empty(t, list, "a member changes nothing")
	require.NotContains(t, member.get("/account").Body, `href="/admin/apps"`)

	admin := b.browser(t)
	admin.signInAs("admin@example.com", true)
	page := admin.get("/admin/apps")
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Contains(t, page.Body, b.srv.URL+"/oauth/callback/instagram", "the callback URLs to register")
	require.Contains(t, page.Body, b.srv.URL+"/webhooks/meta")
	require.Contains(t, admin.get("/account").Body, `href="/admin/apps"`)

	res := admin.post("/admin/apps/meta", form("RELAIS_META_APP_ID", "1234567890", "RELAIS_META_APP_SECRET", "s3cr3t-meta", "RELAIS_META_WEBHOOK_VERIFY_TOKEN", "verify-me"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	applied := b.applied.Load()
	require.Equal(t, "1234567890", applied.Meta.AppID, "in force without a restart")
	require.Equal(t, "s3cr3t-meta", applied.Meta.AppSecret)
	require.Equal(t, "verify-me", applied.Meta.WebhookVerifyToken)
	list, err = b.st.OperatorSettings(ctx)
	require.NoError(t, err)
	require.Len(t, list, 3)
	for _, s := range list {
		require.NotContains(t, string(s.Value), "s3cr3t", "stored encrypted")
		require.NotContains(t, string(s.Value), "1234567890")
	}
	page = admin.get("/admin/apps")
	require.Contains(t, page.Body, `value="1234567890"`, "an id is shown")
	require.NotContains(t, page.Body, "s3cr3t-meta", "a secret never is")
	require.NotContains(t, page.Body, "verify-me")

	// A blank secret keeps it; clear removes it.
	res = admin.post("/admin/apps/meta", form("RELAIS_META_APP_ID", "1234567890", "RELAIS_META_APP_SECRET", ""))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Equal(t, "s3cr3t-meta", b.applied.Load().Meta.AppSecret)
	res = admin.post("/admin/apps/meta", form("clear.RELAIS_META_WEBHOOK_VERIFY_TOKEN", "on"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	require.Empty(t, b.applied.Load().Meta.WebhookVerifyToken)

	// Bad input names the setting and the limit; nothing is changed.
	res = admin.post("/admin/apps/x", form("RELAIS_X_CLIENT_ID", strings.Repeat("a", 1001)))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "RELAIS_X_CLIENT_ID is at most 1000 characters; this value has 1001")
	res = admin.post("/admin/apps/x", form("RELAIS_X_CLIENT_ID", "two words"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	admin.lang = "de"
	res = admin.post("/admin/apps/x", form("RELAIS_X_CLIENT_ID", strings.Repeat("a", 1001)))
	require.Contains(t, res.Body, "RELAIS_X_CLIENT_ID hat höchstens 1000 Zeichen; dieser Wert hat 1001")
	admin.lang = ""
	require.Empty(t, b.applied.Load().X.ClientID)
	require.Equal(t, http.StatusNotFound, admin.post("/admin/apps/nope", form("RELAIS_X_CLIENT_ID", "x")).StatusCode)
}

// TestOperatorEnvironmentWins: a value from the environment is in force over a
// stored one, shown read-only, and cannot be changed from the page.
func TestOperatorEnvironmentWins(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	require.NoError(t, b.operator.Set(ctx, true, 0, []operator.Change{{Env: "RELAIS_X_CLIENT_ID", Value: "stored-id"}}))
	env := &operator.Service{Store: b.st, Keyring: b.operator.Keyring, Env: config.Config{X: config.XApp{ClientID: "env-id"}}}
	require.NoError(t, env.Load(ctx))
	require.Equal(t, "env-id", env.Effective().X.ClientID)
	apps, err := env.Apps(true, "https://relais.example")
	require.NoError(t, err)
	var src operator.Source
	for _, a := range apps {
		for _, f := range a.Fields {
			if f.Env == "RELAIS_X_CLIENT_ID" {
				src = f.Source
			}
		}
	}
	require.Equal(t, operator.SourceEnvironment, src)
	err = env.Set(ctx, true, 0, []operator.Change{{Env: "RELAIS_X_CLIENT_ID", Value: "other"}})
	require.ErrorContains(t, err, "set in the environment")
	_, err = env.Apps(false, "")
	require.ErrorIs(t, err, operator.ErrNotAdmin)
}
