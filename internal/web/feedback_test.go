package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFeedbackPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "fb")

	res := s.owner.get("/workspaces/fb/feedback")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Contains(t, res.Body, `href="/workspaces/fb/feedback"`, "reachable from the menu")
	require.Contains(t, res.Body, `name="comments"`)
	require.Contains(t, res.Body, "Refunds and returns")

	comments := strings.Join([]string{
		"2026-11-23\tMy parcel has been stuck in the depot for 9 days",
		"2026-11-24\tFast delivery and lovely packaging",
		"2026-11-30\tWhere is my refund??? Customer service never answers",
		"2026-12-01\tColis toujours pas arrivé, ça fait deux semaines",
		"Obsessed with this colour 😍",
	}, "\n")
	res = s.owner.post("/workspaces/fb/feedback", form("comments", comments, "format", "html"))
	require.Equal(t, http.StatusOK, res.StatusCode, res.Body)
	require.Contains(t, res.Body, "5 comments")
	require.Contains(t, res.Body, `<tr data-theme="delivery">`)
	require.Less(t, strings.Index(res.Body, `data-theme="delivery"`), strings.Index(res.Body, `data-theme="refund_return"`), "most mentioned first")
	require.Contains(t, res.Body, "Week 2026-W48: 2")
	require.Contains(t, res.Body, "Where is my refund??? Customer service never answers", "the comment is kept in the form and listed")
	require.Contains(t, res.Body, `pill-negative">Negative`)

	// Download as CSV: one row per comment.
	res = s.owner.post("/workspaces/fb/feedback", form("comments", comments, "format", "csv"))
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	require.Contains(t, res.Header.Get("Content-Disposition"), "relais-feedback-")
	lines := strings.Split(strings.TrimSpace(res.Body), "\n")
	require.Len(t, lines, 6)
	require.Equal(t, "text,date,lang,sentiment,compound,themes", lines[0])
	require.Contains(t, lines[4], ",2026-12-01,fr,negative,")

	// Bad input: the error names the limit, in the user's language, and keeps the text.
	res = s.owner.post("/workspaces/fb/feedback", form("comments", "  \n "))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Equal(t, "Paste at least one comment.", errorAfter(t, res.Body, "feedback-comments"))
	s.owner.lang = "fr"
	res = s.owner.post("/workspaces/fb/feedback", form("comments", strings.Repeat("ok\n", 2001)))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Equal(t, "2000 commentaires au plus à la fois.", errorAfter(t, res.Body, "feedback-comments"))

	// A member of another workspace sees nothing of this one.
	other := b.browser(t)
	other.signIn("stranger@example.com")
	require.Equal(t, http.StatusNotFound, other.get("/workspaces/fb/feedback").StatusCode)
}
