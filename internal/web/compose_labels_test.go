package web

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// TestComposerLabelFields: target group and theme have fields of their own
// that suggest the values the workspace already uses, beside free key=value
// labels; all of them are saved, and an edit shows each in its field.
func TestComposerLabelFields(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "acme")
	res := s.owner.post("/workspaces/acme/posts", form("text", "First", "channel", s.webID,
		"label_target_group", "students", "label_theme", "launch", "labels", "campaign=spring, format=video", "action", "draft"))
	pid := postIDOf(t, res)
	post, err := b.st.Post(context.Background(), s.ws.ID, pid)
	require.NoError(t, err)
	require.ElementsMatch(t, []store.Label{{Key: "target_group", Value: "students"}, {Key: "theme", Value: "launch"},
		{Key: "campaign", Value: "spring"}, {Key: "format", Value: "video"}}, post.Labels)

	res = s.owner.get("/workspaces/acme/posts/new")
	require.Contains(t, res.Body, `<input id="label_target_group" name="label_target_group" list="labels-target_group"`)
	require.Contains(t, res.Body, `<datalist id="labels-target_group"><option value="students"></option></datalist>`)
	require.Contains(t, res.Body, `<datalist id="labels-theme"><option value="launch"></option></datalist>`)
	require.Contains(t, res.Body, `<datalist id="labels-other"><option value="campaign=spring"></option><option value="format=video"></option></datalist>`)

	res = s.owner.get("/workspaces/acme/posts/" + id(pid) + "/edit")
	require.Contains(t, res.Body, `value="students" placeholder`)
	require.Contains(t, res.Body, `value="launch" placeholder`)
	require.Contains(t, res.Body, `value="campaign=spring, format=video" placeholder="campaign=spring, format=video"`)

	// A bad free label is named next to the label fields; the typed values stay.
	res = s.owner.post("/workspaces/acme/posts", form("text", "Second", "channel", s.webID, "label_theme", "winter", "labels", "oops", "action", "draft"))
	require.Equal(t, 422, res.StatusCode)
	require.Contains(t, res.Body, "key=value")
	require.Contains(t, res.Body, `value="winter" placeholder`)
}
