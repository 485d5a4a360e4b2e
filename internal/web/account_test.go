package web

import (
	"context"
	"net/http"
	"testing"

	"github.com/relais/relais/internal/auth"
	"github.com/stretchr/testify/require"
)

func TestAccountLanguageAndPassword(t *testing.T) {
	t.Parallel()
	b := setup(t)
	br := b.browser(t)
	u := br.signIn("ada@example.com")
	b.workspace(t, u, "Brand", "brand")
	ctx := context.Background()

	// Without a saved choice the browser's language wins.
	br.lang = "de-CH,de;q=0.9,en;q=0.5"
	res := br.get("/account")
	require.Contains(t, res.Body, `<html lang="de">`)
	require.Contains(t, res.Body, "Passwort ändern")
	br.lang = "es"
	res = br.get("/account")
	require.Contains(t, res.Body, `<html lang="en">`)

	res = br.post("/account/language", form("lang", "tlh"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Choose English, Français or Deutsch")
	res = br.post("/account/language", form("lang", "fr"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	saved, err := b.st.UserByID(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, "fr", saved.Lang)
	br.lang = "de"
	res = br.get("/workspaces/brand/")
	require.Contains(t, res.Body, `<html lang="fr">`, "the saved choice beats the browser")
	require.Contains(t, res.Body, "Vue d’ensemble")

	// French validation messages.
	res = br.post("/workspaces", form("name", "", "timezone", "UTC"))
	require.Contains(t, res.Body, "Ce champ est obligatoire")

	res = br.post("/account/password", form("current", "not my password", "password", "a brand new password"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "Le mot de passe actuel est incorrect")
	res = br.post("/account/password", form("current", "correct horse battery", "password", "short"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "au moins 10 caractères")
	saved, err = b.st.UserByID(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, u.PasswordHash, saved.PasswordHash)

	res = br.post("/account/password", form("current", "correct horse battery", "password", "a brand new password"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	saved, err = b.st.UserByID(ctx, u.ID)
	require.NoError(t, err)
	ok, err := auth.CheckPassword(saved.PasswordHash, "a brand new password")
	require.NoError(t, err)
	require.True(t, ok)
	res = br.get("/account")
	require.Equal(t, http.StatusOK, res.StatusCode, "this browser stays signed in")
	require.Contains(t, res.Body, "Mot de passe changé.")
}
