package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
)

// RunLabels runs the conformance suite of the label suggestions.
func RunLabels(t *testing.T, open func(t testing.TB) store.Store) {
	t.Run("WorkspaceLabels", func(t *testing.T) {
		t.Parallel()
		testWorkspaceLabels(t, open(t))
	})
}

func testWorkspaceLabels(t *testing.T, s store.Store) {
	u := NewUser(t, s, "labels@compose.example")
	wa := NewWorkspace(t, s, "labels-a", u.ID)
	wb := NewWorkspace(t, s, "labels-b", u.ID)
	label := func(k, v string) store.Label { return store.Label{Key: k, Value: v} }
	var nps []store.NewPost
	for _, ls := range [][]store.Label{
		{label("theme", "launch"), label("target_group", "students")},
		{label("theme", "launch"), label("target_group", "parents")},
		{label("theme", "winter"), label("target_group", "students"), label("campaign", "q1")},
	} {
		nps = append(nps, store.NewPost{Post: &store.Post{WorkspaceID: wa.ID, State: store.PostDraft, Text: "x", Labels: ls}})
	}
	nps = append(nps, store.NewPost{Post: &store.Post{WorkspaceID: wb.ID, State: store.PostDraft, Text: "other", Labels: []store.Label{label("theme", "secret")}}})
	require.NoError(t, s.CreatePosts(ctx, nps))

	got, err := s.WorkspaceLabels(ctx, wa.ID, 100)
	require.NoError(t, err)
	require.Equal(t, []store.LabelUse{
		{Label: label("campaign", "q1"), Posts: 1},
		{Label: label("target_group", "students"), Posts: 2},
		{Label: label("target_group", "parents"), Posts: 1},
		{Label: label("theme", "launch"), Posts: 2},
		{Label: label("theme", "winter"), Posts: 1},
	}, got, "by key, the most used first; another workspace's labels are not listed")

	got, err = s.WorkspaceLabels(ctx, wa.ID, 2)
	require.NoError(t, err)
	require.Len(t, got, 2)
	none, err := s.WorkspaceLabels(ctx, 0, 100)
	require.NoError(t, err)
	require.Empty(t, none)
}
