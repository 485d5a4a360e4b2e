package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCompetitorPanelPage adds a panel from the form (a malformed account
// refused at its field), shows its ranking and downloads it as CSV.
func TestCompetitorPanelPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.post("/workspaces/acme/competitors", form("name", "Fashion", "accounts", "Globex-bluesky"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, res.Body, "brand:network:handle")
	require.Contains(t, res.Body, `class="field-error"`)

	res = s.owner.post("/workspaces/acme/competitors", form("name", "Fashion", "accounts", "Globex:bluesky:globex.bsky.social\nInitech:mastodon:@initech@social.example"))
	require.Equal(t, http.StatusSeeOther, res.StatusCode, res.Body)
	page := s.owner.get("/workspaces/acme/competitors")
	require.Equal(t, http.StatusOK, page.StatusCode)
	require.Contains(t, page.Body, "Fashion")
	require.Contains(t, page.Body, "initech@social.example")
	require.Contains(t, page.Body, "Not measured yet")

	panels, err := b.st.CompetitorPanels(t.Context(), s.ws.ID)
	require.NoError(t, err)
	require.Len(t, panels, 1)
	csv := s.owner.get("/workspaces/acme/competitors/" + strconv.FormatInt(panels[0].ID, 10) + "/report.csv")
	require.Equal(t, http.StatusOK, csv.StatusCode)
	require.True(t, strings.HasPrefix(csv.Body, "rank,brand,network,handle,followers"), csv.Body)
	require.Contains(t, csv.Body, "Globex,bluesky,globex.bsky.social")
	require.Equal(t, http.StatusNotFound, newStudio(t, b, "other").owner.get("/workspaces/other/competitors/"+strconv.FormatInt(panels[0].ID, 10)+"/report.csv").StatusCode)
}
