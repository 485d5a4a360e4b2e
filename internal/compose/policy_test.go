package compose_test

import (
	"testing"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

// setPolicy saves the workspace's approval policy and reloads every principal.
func (f *fixture) setPolicy(t *testing.T, pol compose.Policy, self bool) {
	t.Helper()
	w := f.ws
	w.ApprovalRequired, w.ApprovalFor = pol.Settings()
	w.SelfApproval = self
	require.NoError(t, f.st.UpdateWorkspace(ctx, w))
	a := auth.NewService(f.st)
	for role, p := range f.as {
		np, err := a.Principal(ctx, p.User, w.ID)
		require.NoError(t, err)
		f.as[role] = np
	}
	f.ws = f.as[store.RoleOwner].Workspace
}

func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	ve, ok := valid.As(err)
	require.True(t, ok, "%v", err)
	require.Equal(t, code, ve.Code, ve.Message)
}

func TestNeedsApprovalByPolicy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		policy compose.Policy
		role   store.Role
		needs  bool
	}{
		{compose.PolicyNobody, store.RoleEditor, false},
		{compose.PolicyNobody, store.RoleOwner, false},
		{compose.PolicyEditors, store.RoleEditor, true},
		{compose.PolicyEditors, store.RoleAdmin, false},
		{compose.PolicyEditors, store.RoleOwner, false},
		{compose.PolicyEveryone, store.RoleOwner, true},
		{compose.PolicyEveryone, store.RoleAdmin, true},
		{compose.PolicyEveryone, store.RoleEditor, true},
	}
	for _, c := range cases {
		var w store.Workspace
		w.ApprovalRequired, w.ApprovalFor = c.policy.Settings()
		require.Equal(t, c.policy, compose.PolicyOf(w))
		p := auth.Principal{Workspace: w, Role: c.role}
		require.Equal(t, c.needs, compose.NeedsApproval(p), "%s %s", c.policy, c.role)
	}
}

// TestOwnerPublishesDirectlyUnderEditorsPolicy: with approval for editors
// only, the owner publishes now without submitting and approving their own
// post; under "everyone" the same is refused with the reason.
func TestOwnerPublishesDirectlyUnderEditorsPolicy(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	owner := f.as[store.RoleOwner]
	v, err := f.svc.Create(ctx, owner, f.input("Flash sale", f.masto))
	require.NoError(t, err)
	_, err = f.svc.PublishNow(ctx, owner, v.ID)
	requireCode(t, err, "approval_required")

	f.setPolicy(t, compose.PolicyEditors, false)
	owner = f.as[store.RoleOwner]
	v, err = f.svc.PublishNow(ctx, owner, v.ID)
	require.NoError(t, err)
	require.Equal(t, "scheduled", v.State)

	// An editor still needs approval.
	e, err := f.svc.Create(ctx, f.as[store.RoleEditor], f.input("Editor's post", f.masto))
	require.NoError(t, err)
	_, err = f.svc.PublishNow(ctx, f.as[store.RoleEditor], e.ID)
	requireCode(t, err, "approval_required")
}

// TestSelfApproval: by default an author does not approve their own post;
// the workspace may allow it.
func TestSelfApproval(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	admin := f.as[store.RoleAdmin]
	v, err := f.svc.Create(ctx, admin, f.input("Admin's own post", f.masto))
	require.NoError(t, err)
	_, err = f.svc.Submit(ctx, admin, v.ID)
	require.NoError(t, err)
	_, err = f.svc.Approve(ctx, admin, v.ID, "")
	requireCode(t, err, "self_approval")
	_, err = f.svc.ApproveAndSchedule(ctx, admin, v.ID, "")
	requireCode(t, err, "self_approval")
	post, err := f.st.Post(ctx, f.ws.ID, v.ID)
	require.NoError(t, err)
	require.Equal(t, store.PostInReview, post.State, "nothing changed")
	require.Error(t, compose.MayApprove(admin, post))
	require.NoError(t, compose.MayApprove(f.as[store.RoleApprover], post))

	f.setPolicy(t, compose.PolicyEveryone, true)
	v, err = f.svc.Approve(ctx, f.as[store.RoleAdmin], v.ID, "")
	require.NoError(t, err)
	require.Equal(t, "approved", v.State)
}

// TestPlannedTimeThroughReview: the time the editor chose is kept when the
// draft is saved and submitted; the approver approves and schedules at it in
// one step, without the right to publish.
func TestPlannedTimeThroughReview(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, dialect, true)
			ed, ap := f.as[store.RoleEditor], f.as[store.RoleApprover]
			at := f.clock.Add(72 * time.Hour)
			in := f.input("Planned launch", f.bsky, f.masto)
			in.PlannedAt, in.Timezone = &at, "America/New_York"
			v, err := f.svc.Create(ctx, ed, in)
			require.NoError(t, err)
			require.Equal(t, "draft", v.State)
			require.NotNil(t, v.ScheduledAt, "the planned time is kept on the draft")
			require.True(t, at.Equal(*v.ScheduledAt))

			// Saved again without a change: still planned; submitted: still planned.
			v, err = f.svc.Update(ctx, ed, v.ID, in)
			require.NoError(t, err)
			require.True(t, at.Equal(*v.ScheduledAt))
			v, err = f.svc.Submit(ctx, ed, v.ID)
			require.NoError(t, err)
			require.True(t, at.Equal(*v.ScheduledAt))
			items, err := f.svc.List(ctx, ap, compose.Query{From: at.Add(-time.Hour), To: at.Add(time.Hour)})
			require.NoError(t, err)
			require.Len(t, items, 1, "the calendar shows the planned post")
			require.Equal(t, "in_review", items[0].State)

			// The approver may not publish, but approves and schedules at the planned time.
			_, err = f.svc.Schedule(ctx, ap, v.ID, at, "")
			require.ErrorIs(t, err, auth.ErrForbidden)
			v, err = f.svc.ApproveAndSchedule(ctx, ap, v.ID, "Ship it")
			require.NoError(t, err)
			require.Equal(t, "scheduled", v.State)
			require.Equal(t, "America/New_York", v.Timezone)
			for _, vv := range v.Variants {
				require.NotNil(t, vv.Publication)
				require.True(t, at.Equal(vv.Publication.DueAt))
			}
			d, err := f.svc.Detail(ctx, ap, v.ID)
			require.NoError(t, err)
			require.Len(t, d.Approvals, 1)
			require.Equal(t, "Ship it", d.Approvals[0].Note)
		})
	}
}

// TestApproveAndScheduleRefusals: without a planned time, or with one in the
// past, approve-and-schedule changes nothing and says why.
func TestApproveAndScheduleRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ed, ap := f.as[store.RoleEditor], f.as[store.RoleApprover]
	past := f.clock.Add(-time.Hour)
	for _, c := range []struct {
		name string
		at   *time.Time
		code string
	}{
		{"no planned time", nil, "required"},
		{"planned time past", &past, "in_the_past"},
	} {
		in := f.input("Post "+c.name, f.masto)
		in.PlannedAt = c.at
		v, err := f.svc.Create(ctx, ed, in)
		require.NoError(t, err)
		_, err = f.svc.Submit(ctx, ed, v.ID)
		require.NoError(t, err)
		_, err = f.svc.ApproveAndSchedule(ctx, ap, v.ID, "")
		requireCode(t, err, c.code)
		post, err := f.st.Post(ctx, f.ws.ID, v.ID)
		require.NoError(t, err)
		require.Equal(t, store.PostInReview, post.State, c.name)
	}
}

// TestEditAfterApprovalGoesBackToReview: any change of an approved or
// scheduled post (text, media, channels, time) sends it back to review,
// and the history says what changed.
func TestEditAfterApprovalGoesBackToReview(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 25, 9, 0, 0, 0, time.UTC)
	later := at.Add(2 * time.Hour)
	cases := []struct {
		name   string
		change func(f *fixture, in *compose.PostInput)
		why    string
	}{
		{"text", func(f *fixture, in *compose.PostInput) { in.Text = "Changed text" }, "text"},
		{"channels", func(f *fixture, in *compose.PostInput) {
			in.Variants = append(in.Variants, compose.VariantInput{ChannelID: f.bsky})
		}, "added channel"},
		{"media", func(f *fixture, in *compose.PostInput) {
			in.Media = []compose.MediaRef{{URL: "https://example.com/a.jpg"}}
		}, "channel"},
		{"time", func(f *fixture, in *compose.PostInput) { in.PlannedAt = &later }, "time"},
	}
	for _, c := range cases {
		for _, scheduled := range []bool{false, true} {
			f := newFixture(t, true)
			ed, ap := f.as[store.RoleEditor], f.as[store.RoleApprover]
			in := f.input("Approved text", f.masto)
			in.PlannedAt = &at
			v, err := f.svc.Create(ctx, ed, in)
			require.NoError(t, err)
			_, err = f.svc.Submit(ctx, ed, v.ID)
			require.NoError(t, err)
			if scheduled {
				_, err = f.svc.ApproveAndSchedule(ctx, ap, v.ID, "")
			} else {
				_, err = f.svc.Approve(ctx, ap, v.ID, "")
			}
			require.NoError(t, err)
			c.change(f, &in)
			v, err = f.svc.Update(ctx, ed, v.ID, in)
			require.NoError(t, err, c.name)
			require.Equal(t, "in_review", v.State, "%s (scheduled %v)", c.name, scheduled)
			require.NotNil(t, v.ScheduledAt, "the time stays planned")
			d, err := f.svc.Detail(ctx, ap, v.ID)
			require.NoError(t, err)
			last := d.History[len(d.History)-1]
			require.Equal(t, "back_to_review", last.Action)
			require.Contains(t, last.Detail, c.why, c.name)
		}
	}
}

// TestRescheduleAfterApprovalGoesBackToReview: moving an approved,
// scheduled post to another time (calendar drag) needs approval again when
// the member's posts need it; the new time is kept as planned.
func TestRescheduleAfterApprovalGoesBackToReview(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ed, ap := f.as[store.RoleEditor], f.as[store.RoleApprover]
	at := f.clock.Add(48 * time.Hour)
	in := f.input("Moved later", f.masto)
	in.PlannedAt = &at
	v, err := f.svc.Create(ctx, ed, in)
	require.NoError(t, err)
	_, err = f.svc.Submit(ctx, ed, v.ID)
	require.NoError(t, err)
	_, err = f.svc.ApproveAndSchedule(ctx, ap, v.ID, "")
	require.NoError(t, err)

	later := at.Add(24 * time.Hour)
	v, err = f.svc.Reschedule(ctx, ed, v.ID, later, "")
	require.NoError(t, err)
	require.Equal(t, "in_review", v.State)
	require.True(t, later.Equal(*v.ScheduledAt), "the new time is planned")
	require.Equal(t, "cancelled", v.Variants[0].Publication.State)
	d, err := f.svc.Detail(ctx, ap, v.ID)
	require.NoError(t, err)
	require.Equal(t, "changed after approval: time", d.History[len(d.History)-1].Detail)

	// The owner, under "editors", moves a scheduled post without review.
	f.setPolicy(t, compose.PolicyEditors, false)
	v, err = f.svc.ApproveAndSchedule(ctx, f.as[store.RoleApprover], v.ID, "")
	require.NoError(t, err)
	v, err = f.svc.Reschedule(ctx, f.as[store.RoleOwner], v.ID, later.Add(time.Hour), "")
	require.NoError(t, err)
	require.Equal(t, "scheduled", v.State)
}
