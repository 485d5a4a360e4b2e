package compose_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // DST tests must not depend on the machine's zoneinfo

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/relais/relais/internal/valid"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

// fixture is one workspace with a member of every role and three channels.
type fixture struct {
	st    store.Store
	svc   *compose.Service
	clock time.Time
	ws    store.Workspace
	as    map[store.Role]auth.Principal
	// bsky (300 graphemes), masto (500) and tg (telegram) channel ids.
	bsky, masto, tg int64
	other           auth.Principal // the owner of another workspace
	otherCh         int64
}

func newFixture(t *testing.T, approval bool) *fixture {
	t.Helper()
	return newFixtureOn(t, "sqlite", approval)
}

// newFixtureOn builds the fixture on a dialect; the tests of scheduling,
// the queue and imports run on every dialect, since their queries differ.
func newFixtureOn(t *testing.T, dialect string, approval bool) *fixture {
	t.Helper()
	st := storetest.Open(t, dialect)
	f := &fixture{st: st, clock: time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC), as: map[store.Role]auth.Principal{}}
	f.svc = compose.NewService(st, &channel.Service{Store: st}, "https://relais.example")
	f.svc.Now = func() time.Time { return f.clock }
	a := auth.NewService(st)
	// Users are made in the store directly: hashing passwords would make the suite slow.
	owner := storetest.NewUser(t, st, "owner@example.com")
	ws := store.Workspace{Name: "Brand", Slug: "brand", Timezone: "Europe/Paris", ApprovalRequired: approval}
	require.NoError(t, st.CreateWorkspace(ctx, &ws, owner.ID))
	var err error
	for _, role := range store.Roles {
		u := owner
		if role != store.RoleOwner {
			u = storetest.NewUser(t, st, string(role)+"@example.com")
			require.NoError(t, st.AddMember(ctx, ws.ID, u.ID, role))
		}
		f.as[role], err = a.Principal(ctx, u, ws.ID)
		require.NoError(t, err)
	}
	f.ws = f.as[store.RoleOwner].Workspace
	f.bsky = storetest.NewChannel(t, st, ws.ID, "bluesky", "bsky").ID
	f.masto = storetest.NewChannel(t, st, ws.ID, "mastodon", "masto").ID
	f.tg = storetest.NewChannel(t, st, ws.ID, "telegram", "tg").ID

	ou := storetest.NewUser(t, st, "other@example.com")
	ows := store.Workspace{Name: "Other", Slug: "other", Timezone: "UTC"}
	require.NoError(t, st.CreateWorkspace(ctx, &ows, ou.ID))
	f.other, err = a.Principal(ctx, ou, ows.ID)
	require.NoError(t, err)
	f.otherCh = storetest.NewChannel(t, st, ows.ID, "mastodon", "othermasto").ID
	return f
}

func (f *fixture) input(text string, channels ...int64) compose.PostInput {
	in := compose.PostInput{Text: text, Labels: []store.Label{{Key: "theme", Value: "launch"}}}
	for _, c := range channels {
		in.Variants = append(in.Variants, compose.VariantInput{ChannelID: c})
	}
	return in
}

func (f *fixture) create(t *testing.T, text string, channels ...int64) compose.PostView {
	t.Helper()
	v, err := f.svc.Create(ctx, f.as[store.RoleEditor], f.input(text, channels...))
	require.NoError(t, err)
	return v
}

func TestCreateReturnsEveryProblemPerVariant(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	long := strings.Repeat("é", 400) // 400 graphemes: over Bluesky's 300, within Mastodon's 500
	in := f.input(long, f.bsky, f.masto)
	in.Variants[1].ThreadParts = []string{""}
	in.Variants[0].FirstComment = strings.Repeat("x", 301)
	_, err := f.svc.Create(ctx, f.as[store.RoleEditor], in)
	ve, ok := compose.AsValidation(err)
	require.True(t, ok, "%v", err)
	var paths []string
	for _, p := range ve.Problems {
		paths = append(paths, p.Path+" "+p.Code)
	}
	b, m := strconv.FormatInt(f.bsky, 10), strconv.FormatInt(f.masto, 10)
	require.Equal(t, []string{
		"variants[" + b + "].text text_too_long",
		"variants[" + b + "].first_comment text_too_long",
		"variants[" + m + "].thread[2] thread_part_empty",
	}, paths)
	require.Contains(t, ve.Problems[0].Message, "Bluesky")
	require.Contains(t, ve.Problems[0].Message, "300")
	require.Contains(t, ve.Problems[0].Message, "400")
	// Handlers see the first problem as a *valid.Error with its field.
	vErr, ok := valid.As(err)
	require.True(t, ok)
	require.Equal(t, "variants["+b+"].text", vErr.Field)
	list, err := f.st.Posts(ctx, f.ws.ID, store.PostFilter{})
	require.NoError(t, err)
	require.Empty(t, list, "an invalid post is not saved")

	// A draft may be saved as it is, but not scheduled.
	in.AllowInvalid = true
	v, err := f.svc.Create(ctx, f.as[store.RoleEditor], in)
	require.NoError(t, err)
	require.Equal(t, "draft", v.State)
	require.Len(t, v.Variants, 2)
	require.Equal(t, []string{""}, v.Variants[1].ThreadParts)
	_, err = f.svc.Schedule(ctx, f.as[store.RoleEditor], v.ID, f.clock.Add(time.Hour), "")
	ve, ok = compose.AsValidation(err)
	require.True(t, ok, "%v", err)
	require.Len(t, ve.Problems, 3)

	// Live validation counts per channel and translates.
	chk, err := f.svc.Validate(ctx, f.as[store.RoleViewer], f.input(long, f.bsky, f.masto), "fr")
	require.NoError(t, err)
	require.False(t, chk.Valid)
	require.Equal(t, 400, chk.Variants[0].Count.Value)
	require.Equal(t, 300, chk.Variants[0].Count.Limit)
	require.Equal(t, 500, chk.Variants[1].Count.Limit)
	require.Len(t, chk.Variants[0].Problems, 1)
	require.Empty(t, chk.Variants[1].Problems)
	require.NotEqual(t, ve.Problems[0].Message, chk.Variants[0].Problems[0].Message, "French message")
}

func TestInputStructureErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	ed := f.as[store.RoleEditor]
	for name, tc := range map[string]struct {
		in    compose.PostInput
		field string
	}{
		"no channel":        {compose.PostInput{Text: "hi"}, "variants"},
		"other's channel":   {f.input("hi", f.otherCh), "variants[" + strconv.FormatInt(f.otherCh, 10) + "].channel_id"},
		"duplicate channel": {f.input("hi", f.bsky, f.bsky), "variants[" + strconv.FormatInt(f.bsky, 10) + "]"},
		"bad zone":          {func() compose.PostInput { in := f.input("hi", f.bsky); in.Timezone = "Mars/Olympus"; return in }(), "timezone"},
		"empty label": {func() compose.PostInput {
			in := f.input("hi", f.bsky)
			in.Labels = []store.Label{{Key: "theme"}}
			return in
		}(), "labels[0]"},
		"unknown media": {func() compose.PostInput {
			in := f.input("hi", f.bsky)
			in.Media = []compose.MediaRef{{MediaID: 999}}
			return in
		}(), "variants[" + strconv.FormatInt(f.bsky, 10) + "].media[1]"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := f.svc.Create(ctx, ed, tc.in)
			ve, ok := valid.As(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, tc.field, ve.Field)
		})
	}
}

// allowed is the workflow written out by hand: which steps may start from
// which states, with and without required approval.
var allowed = map[bool]map[compose.Step][]store.PostState{
	true: {
		compose.StepSubmit:   {store.PostDraft},
		compose.StepApprove:  {store.PostInReview},
		compose.StepReject:   {store.PostInReview},
		compose.StepSchedule: {store.PostApproved, store.PostScheduled},
		compose.StepCancel:   {store.PostScheduled, store.PostFailed, store.PostNeedsReview, store.PostPartiallyPublished},
		compose.StepReopen:   {store.PostCancelled, store.PostFailed},
	},
	false: {
		compose.StepSubmit:   {store.PostDraft},
		compose.StepApprove:  {store.PostInReview},
		compose.StepReject:   {store.PostInReview},
		compose.StepSchedule: {store.PostDraft, store.PostInReview, store.PostApproved, store.PostScheduled, store.PostCancelled},
		compose.StepCancel:   {store.PostScheduled, store.PostFailed, store.PostNeedsReview, store.PostPartiallyPublished},
		compose.StepReopen:   {store.PostCancelled, store.PostFailed},
	},
}

// mayStep is which roles may take each step, by hand.
var mayStep = map[compose.Step][]store.Role{
	compose.StepSubmit:   {store.RoleOwner, store.RoleAdmin, store.RoleEditor},
	compose.StepApprove:  {store.RoleOwner, store.RoleAdmin, store.RoleApprover},
	compose.StepReject:   {store.RoleOwner, store.RoleAdmin, store.RoleApprover},
	compose.StepSchedule: {store.RoleOwner, store.RoleAdmin, store.RoleEditor},
	compose.StepCancel:   {store.RoleOwner, store.RoleAdmin, store.RoleEditor},
	compose.StepReopen:   {store.RoleOwner, store.RoleAdmin, store.RoleEditor},
}

var allStates = []store.PostState{store.PostDraft, store.PostInReview, store.PostApproved, store.PostScheduled, store.PostPublishing,
	store.PostPublished, store.PostPartiallyPublished, store.PostFailed, store.PostNeedsReview, store.PostCancelled}

func contains[T comparable](list []T, x T) bool {
	for _, y := range list {
		if x == y {
			return true
		}
	}
	return false
}

func TestEveryTransitionByRole(t *testing.T) {
	t.Parallel()
	for _, approval := range []bool{true, false} {
		for step, states := range allowed[approval] {
			for _, role := range store.Roles {
				for _, from := range allStates {
					p := auth.Principal{User: store.User{ID: 1}, Workspace: store.Workspace{ID: 1, ApprovalRequired: approval}, Role: role}
					err := compose.Allowed(p, step, from)
					switch {
					case !contains(mayStep[step], role):
						require.ErrorIs(t, err, auth.ErrForbidden, "%s %s from %s (approval %v)", role, step, from, approval)
					case !contains(states, from):
						ve, ok := valid.As(err)
						require.True(t, ok, "%s %s from %s (approval %v): %v", role, step, from, approval, err)
						require.Equal(t, "state", ve.Field)
					default:
						require.NoError(t, err, "%s %s from %s (approval %v)", role, step, from, approval)
					}
				}
			}
		}
	}
}

func TestApprovalWorkflow(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, dialect, true)
			ed, ap, viewer := f.as[store.RoleEditor], f.as[store.RoleApprover], f.as[store.RoleViewer]
			v := f.create(t, "New collection is out", f.bsky, f.masto)
			at := f.clock.Add(48 * time.Hour)

			// Scheduling needs approval first.
			_, err := f.svc.Schedule(ctx, ed, v.ID, at, "")
			ve, ok := valid.As(err)
			require.True(t, ok, "%v", err)
			require.Equal(t, "approval_required", ve.Code)
			_, err = f.svc.Submit(ctx, viewer, v.ID)
			require.ErrorIs(t, err, auth.ErrForbidden)
			v, err = f.svc.Submit(ctx, ed, v.ID)
			require.NoError(t, err)
			require.Equal(t, "in_review", v.State)
			_, err = f.svc.Approve(ctx, ed, v.ID, "")
			require.ErrorIs(t, err, auth.ErrForbidden, "an editor is no approver")
			v, err = f.svc.Reject(ctx, ap, v.ID, "Say which collection")
			require.NoError(t, err)
			require.Equal(t, "draft", v.State)
			v, err = f.svc.Submit(ctx, ed, v.ID)
			require.NoError(t, err)
			v, err = f.svc.Approve(ctx, ap, v.ID, "Good")
			require.NoError(t, err)
			require.Equal(t, "approved", v.State)
			_, err = f.svc.Schedule(ctx, ap, v.ID, at, "")
			require.ErrorIs(t, err, auth.ErrForbidden, "an approver does not publish")
			v, err = f.svc.Schedule(ctx, ed, v.ID, at, "America/New_York")
			require.NoError(t, err)
			require.Equal(t, "scheduled", v.State)
			require.Equal(t, "America/New_York", v.Timezone)
			for _, vv := range v.Variants {
				require.NotNil(t, vv.Publication)
				require.Equal(t, "scheduled", vv.Publication.State)
				require.True(t, at.Equal(vv.Publication.DueAt))
			}

			// An edit after approval cancels the queued publications and sends it back to review.
			in := f.input("Spring collection is out", f.bsky, f.masto)
			v, err = f.svc.Update(ctx, ed, v.ID, in)
			require.NoError(t, err)
			require.Equal(t, "in_review", v.State)
			for _, vv := range v.Variants {
				require.Equal(t, "cancelled", vv.Publication.State)
			}
			d, err := f.svc.Detail(ctx, viewer, v.ID)
			require.NoError(t, err)
			var actions []string
			for _, h := range d.History {
				actions = append(actions, h.Action+":"+h.Detail)
			}
			require.Equal(t, []string{"created:", "submit:", "reject:Say which collection", "submit:", "approve:Good",
				"scheduled:" + at.Format(time.RFC3339) + " (America/New_York)", "edited:text", "back_to_review:changed after approval: text"}, actions)
			require.Len(t, d.Approvals, 2)
			require.Equal(t, store.ApprovalRejected, d.Approvals[0].Decision)

			// Notifications: review requests to those who may approve, decisions to the author.
			kinds := func(u auth.Principal) []string {
				notes, err := f.st.Notifications(ctx, f.ws.ID, u.User.ID, 100)
				require.NoError(t, err)
				out := []string{}
				for _, n := range notes {
					out = append(out, n.Kind)
				}
				return out
			}
			require.ElementsMatch(t, []string{"post_rejected", "post_approved"}, kinds(ed))
			require.ElementsMatch(t, []string{"post_review", "post_review", "post_review"}, kinds(ap))
			require.ElementsMatch(t, []string{"post_review", "post_review", "post_review"}, kinds(f.as[store.RoleAdmin]))
			require.Empty(t, kinds(viewer))

			// Comments from approvers and editors; not from viewers.
			_, err = f.svc.Comment(ctx, ap, v.ID, "Check the price")
			require.NoError(t, err)
			notes, err := f.st.Notifications(ctx, f.ws.ID, ed.User.ID, 100)
			require.NoError(t, err)
			require.Equal(t, "post_comment", notes[0].Kind, "the author hears of comments")
			require.Contains(t, notes[0].Message, "Check the price")
			_, err = f.svc.Comment(ctx, viewer, v.ID, "me too")
			require.ErrorIs(t, err, auth.ErrForbidden)
			cs, err := f.svc.Comments(ctx, viewer, v.ID)
			require.NoError(t, err)
			require.Len(t, cs, 1)
		})
	}
}

func TestScheduleWithoutApprovalAndCancel(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	ed := f.as[store.RoleEditor]
	v := f.create(t, "Hello", f.masto)
	_, err := f.svc.Schedule(ctx, ed, v.ID, f.clock.Add(-time.Minute), "")
	ve, ok := valid.As(err)
	require.True(t, ok)
	require.Equal(t, "in_the_past", ve.Code)
	v, err = f.svc.Schedule(ctx, ed, v.ID, f.clock.Add(time.Hour), "")
	require.NoError(t, err)
	require.Equal(t, "scheduled", v.State)

	// Editing a scheduled post keeps it scheduled, and a new channel gets its publication.
	v, err = f.svc.Update(ctx, ed, v.ID, f.input("Hello again", f.masto, f.bsky))
	require.NoError(t, err)
	require.Equal(t, "scheduled", v.State)
	require.Len(t, v.Variants, 2)
	for _, vv := range v.Variants {
		require.NotNil(t, vv.Publication, "channel %d", vv.ChannelID)
		require.Equal(t, "scheduled", vv.Publication.State)
	}
	// Moving it in the calendar.
	later := time.Date(2026, 3, 29, 10, 0, 0, 0, time.UTC)
	v, err = f.svc.Reschedule(ctx, ed, v.ID, later, "Europe/Paris")
	require.NoError(t, err)
	require.True(t, later.Equal(*v.ScheduledAt))
	require.True(t, later.Equal(v.Variants[0].Publication.DueAt))

	v, inFlight, err := f.svc.Cancel(ctx, ed, v.ID)
	require.NoError(t, err)
	require.Zero(t, inFlight)
	require.Equal(t, "cancelled", v.State)
	_, err = f.svc.Reschedule(ctx, ed, v.ID, later, "")
	require.Error(t, err)
	v, err = f.svc.Reopen(ctx, ed, v.ID)
	require.NoError(t, err)
	require.Equal(t, "draft", v.State)

	// Publish now is scheduling at the current moment.
	v, err = f.svc.PublishNow(ctx, ed, v.ID)
	require.NoError(t, err)
	require.Equal(t, "scheduled", v.State)
	require.True(t, f.clock.Equal(v.Variants[0].Publication.DueAt))
}

func TestQueueTakesNextFreeSlotAcrossDST(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, dialect, false)
			ed := f.as[store.RoleEditor]
			_, err := f.svc.SetSlots(ctx, ed, f.masto, "daily 02:30", "Europe/Paris")
			require.NoError(t, err)
			_, err = f.svc.SetSlots(ctx, f.other, f.masto, "daily 02:30", "UTC")
			require.ErrorIs(t, err, store.ErrNotFound)

			// Spring forward on 29 March 2026: 02:30 does not exist in Paris; the
			// slot moves to 03:00 CEST (01:00 UTC).
			f.clock = time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC)
			want := []string{"2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", "2026-03-31T00:30:00Z"}
			for _, w := range want {
				v := f.create(t, "queued", f.masto)
				v, err := f.svc.Queue(ctx, ed, v.ID)
				require.NoError(t, err)
				require.Equal(t, w, v.ScheduledAt.Format(time.RFC3339))
			}
			// Fall back on 25 October 2026: 02:30 happens twice; the slot is the first (CEST, 00:30 UTC).
			f.clock = time.Date(2026, 10, 24, 12, 0, 0, 0, time.UTC)
			v := f.create(t, "queued", f.masto)
			v, err = f.svc.Queue(ctx, ed, v.ID)
			require.NoError(t, err)
			require.Equal(t, "2026-10-25T00:30:00Z", v.ScheduledAt.Format(time.RFC3339))
			v = f.create(t, "queued", f.masto)
			v, err = f.svc.Queue(ctx, ed, v.ID)
			require.NoError(t, err)
			require.Equal(t, "2026-10-26T01:30:00Z", v.ScheduledAt.Format(time.RFC3339), "CET after the change")

			// Two channels: the first slot free on both.
			_, err = f.svc.SetSlots(ctx, ed, f.bsky, "Mon 02:30; Tue 09:00", "Europe/Paris")
			require.NoError(t, err)
			v = f.create(t, "both", f.masto, f.bsky)
			v, err = f.svc.Queue(ctx, ed, v.ID)
			require.NoError(t, err)
			// Mon 26 Oct 02:30 is taken on mastodon; Tue 27 Oct 02:30 is not a Bluesky slot; Mon 2 Nov is.
			require.Equal(t, "2026-11-02T01:30:00Z", v.ScheduledAt.Format(time.RFC3339))

			// No slots: a clear error.
			v = f.create(t, "no slots", f.tg)
			_, err = f.svc.Queue(ctx, ed, v.ID)
			ve, ok := valid.As(err)
			require.True(t, ok)
			require.Equal(t, "no_slots", ve.Code)
		})
	}
}

func TestImportAllOrNothingAndValidOnly(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, dialect, false)
			ed := f.as[store.RoleEditor]
			csv := "date,time,time zone,channels,text,link,labels\n" +
				"2026-04-01,09:00,Europe/Paris,@bsky|masto,Spring is here,https://example.com/spring,theme=spring;audience=students\n" +
				"2026-04-02,09:00,,nosuchchannel,Orphan,,\n" +
				"2026-04-03,10:30,America/New_York," + strconv.FormatInt(f.masto, 10) + ",Second,,\n" +
				"2026-04-04,09:00,,bsky," + strings.Repeat("x", 301) + ",,\n"

			res, err := f.svc.Import(ctx, ed, strings.NewReader(csv), compose.ImportOptions{})
			require.ErrorIs(t, err, compose.ErrImportRefused)
			require.ErrorIs(t, err, compose.ErrImportHasErrors)
			require.Equal(t, 4, res.Report.Rows)
			require.Equal(t, 2, res.Report.ValidRows)
			require.Len(t, res.Report.Problems, 2)
			require.Equal(t, 3, res.Report.Problems[0].Row)
			require.Equal(t, "unknown_channel", res.Report.Problems[0].Code)
			require.Equal(t, 5, res.Report.Problems[1].Row)
			require.Equal(t, "text_too_long", res.Report.Problems[1].Code)
			list, err := f.st.Posts(ctx, f.ws.ID, store.PostFilter{})
			require.NoError(t, err)
			require.Empty(t, list, "nothing saved")

			res, err = f.svc.Import(ctx, ed, strings.NewReader(csv), compose.ImportOptions{ValidOnly: true})
			require.NoError(t, err)
			require.Len(t, res.PostIDs, 2)
			require.Equal(t, 2, res.Scheduled)
			first, err := f.svc.Get(ctx, ed, res.PostIDs[0])
			require.NoError(t, err)
			require.Equal(t, "scheduled", first.State)
			require.Equal(t, "2026-04-01T07:00:00Z", first.ScheduledAt.Format(time.RFC3339))
			require.Equal(t, []store.Label{{Key: "audience", Value: "students"}, {Key: "theme", Value: "spring"}}, first.Labels)
			require.Len(t, first.Variants, 2)
			second, err := f.svc.Get(ctx, ed, res.PostIDs[1])
			require.NoError(t, err)
			require.Equal(t, "2026-04-03T14:30:00Z", second.ScheduledAt.Format(time.RFC3339))
			require.Equal(t, "America/New_York", second.Timezone)

			// With approval required, imports wait for review with their planned time.
			f2 := newFixtureOn(t, dialect, true)
			res, err = f2.svc.Import(ctx, f2.as[store.RoleEditor], strings.NewReader("date,time,channels,text\n2026-04-01,09:00,masto,Hi\n"), compose.ImportOptions{})
			require.NoError(t, err)
			require.Zero(t, res.Scheduled)
			v, err := f2.svc.Get(ctx, f2.as[store.RoleEditor], res.PostIDs[0])
			require.NoError(t, err)
			require.Equal(t, "in_review", v.State)
			require.Equal(t, "2026-04-01T07:00:00Z", v.ScheduledAt.Format(time.RFC3339))
			// Once approved, it is scheduled at its planned time.
			_, err = f2.svc.Approve(ctx, f2.as[store.RoleApprover], v.ID, "")
			require.NoError(t, err)
			v, err = f2.svc.Schedule(ctx, f2.as[store.RoleEditor], v.ID, time.Time{}, "")
			require.NoError(t, err)
			require.Equal(t, "scheduled", v.State)
			require.Equal(t, "2026-04-01T07:00:00Z", v.Variants[0].Publication.DueAt.Format(time.RFC3339))
		})
	}
}

func TestExportRoundTrip(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, dialect, false)
			ed := f.as[store.RoleEditor]
			img := store.Media{WorkspaceID: f.ws.ID, SHA256: strings.Repeat("ab", 32), MIME: "image/png", Kind: store.MediaImage,
				Bytes: 10, Width: 10, Height: 10, AltText: "A lighthouse", Filename: "l.png", Path: "l.png", UploadedBy: ed.User.ID, CreatedAt: f.clock}
			require.NoError(t, f.st.CreateMedia(ctx, &img))
			// Every cell a spreadsheet would run as a formula, per-channel
			// texts, library media and labels from a tags column.
			in := []compose.PostInput{
				{Text: "=HYPERLINK(\"https://evil.example\")", Labels: []store.Label{{Key: "tag", Value: "-minus"}, {Key: "theme", Value: "spring"}},
					Variants: []compose.VariantInput{{ChannelID: f.bsky, Text: "@friends on Bluesky", Media: []compose.MediaRef{{MediaID: img.ID}}},
						{ChannelID: f.masto, Text: "+1 for Mastodon", Media: []compose.MediaRef{{MediaID: img.ID}}}}},
				{Text: "-- the clocks go back tonight\twith a tab", Link: "https://example.com/clocks", Timezone: "America/New_York",
					Variants: []compose.VariantInput{{ChannelID: f.masto, Media: []compose.MediaRef{{URL: "https://cdn.example/a.jpg"}}}}},
				{Text: "\rcarriage return first", Variants: []compose.VariantInput{{ChannelID: f.tg}}},
			}
			var originals []compose.PostView
			for i, pi := range in {
				v, err := f.svc.Create(ctx, ed, pi)
				require.NoError(t, err)
				v, err = f.svc.Schedule(ctx, ed, v.ID, time.Date(2026, 10, 25+i, 2, 30, 0, 0, time.UTC), "")
				require.NoError(t, err)
				originals = append(originals, v)
			}
			// A draft without a time comes back as a draft.
			draft, err := f.svc.Create(ctx, ed, compose.PostInput{Text: "Someday, maybe", Labels: []store.Label{{Key: "theme", Value: "later"}},
				Variants: []compose.VariantInput{{ChannelID: f.bsky}}})
			require.NoError(t, err)
			originals = append(originals, draft)

			var out bytes.Buffer
			require.NoError(t, f.svc.Export(ctx, f.as[store.RoleViewer], compose.Query{}, "csv", &out))
			for _, line := range strings.Split(out.String(), "\n") {
				for _, cell := range strings.Split(line, ",") {
					cell = strings.TrimPrefix(cell, `"`)
					if cell != "" {
						require.NotContains(t, "=+-@\t\r", cell[:1], "formula guard: %q in %q", cell, line)
					}
				}
			}
			require.Contains(t, out.String(), "text (bsky),text (masto)")
			require.Contains(t, out.String(), "media:"+strconv.FormatInt(img.ID, 10))

			res, err := f.svc.Import(ctx, ed, bytes.NewReader(out.Bytes()), compose.ImportOptions{})
			require.NoError(t, err, "%+v\n%s", res.Report, out.String())
			require.Equal(t, compose.FormatRelais, res.Report.Format)
			require.Equal(t, []string{"id", "state"}, res.Report.IgnoredColumns)
			require.Len(t, res.PostIDs, len(originals))
			for i, id := range res.PostIDs {
				a := originals[i]
				b, err := f.svc.Get(ctx, ed, id)
				require.NoError(t, err)
				require.Equal(t, a.Text, b.Text)
				require.Equal(t, a.Link, b.Link)
				require.ElementsMatch(t, a.Labels, b.Labels)
				require.Equal(t, a.Timezone, b.Timezone)
				if a.ScheduledAt == nil {
					require.Nil(t, b.ScheduledAt)
				} else {
					require.Equal(t, a.ScheduledAt.UTC(), b.ScheduledAt.UTC())
				}
				require.Equal(t, a.State, b.State)
				require.Len(t, b.Variants, len(a.Variants))
				for j := range a.Variants {
					require.Equal(t, a.Variants[j].ChannelID, b.Variants[j].ChannelID)
					require.Equal(t, a.Variants[j].Text, b.Variants[j].Text)
					require.Equal(t, a.Variants[j].Media, b.Variants[j].Media)
				}
			}

			out.Reset()
			require.NoError(t, f.svc.Export(ctx, f.as[store.RoleViewer], compose.Query{Labels: []store.Label{{Key: "theme", Value: "spring"}}}, "json", &out))
			var doc struct {
				Posts []compose.ExportRow `json:"posts"`
			}
			require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
			require.Len(t, doc.Posts, 2)
			require.Equal(t, "scheduled", doc.Posts[0].State)
			require.Equal(t, []int64{f.bsky, f.masto}, doc.Posts[0].Channels)

			ve, ok := valid.As(f.svc.Export(ctx, ed, compose.Query{}, "xml", &out))
			require.True(t, ok)
			require.Equal(t, "format", ve.Field)
		})
	}
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	ed := f.as[store.RoleEditor]
	a := f.create(t, "a", f.bsky)
	b := f.create(t, "b", f.masto)
	in := f.input("c", f.masto)
	in.Labels = []store.Label{{Key: "audience", Value: "b2b"}, {Key: "theme", Value: "launch"}}
	c, err := f.svc.Create(ctx, ed, in)
	require.NoError(t, err)
	_, err = f.svc.Schedule(ctx, ed, a.ID, time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC), "")
	require.NoError(t, err)
	_, err = f.svc.Schedule(ctx, ed, b.ID, time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC), "")
	require.NoError(t, err)

	ids := func(q compose.Query) []int64 {
		items, err := f.svc.List(ctx, f.as[store.RoleViewer], q)
		require.NoError(t, err)
		out := []int64{}
		for _, it := range items {
			out = append(out, it.ID)
		}
		return out
	}
	april := compose.Query{From: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
	require.Equal(t, []int64{a.ID}, ids(april))
	require.Equal(t, []int64{a.ID, b.ID, c.ID}, ids(compose.Query{}))
	require.Equal(t, []int64{b.ID, c.ID}, ids(compose.Query{ChannelIDs: []int64{f.masto}}))
	require.Equal(t, []int64{c.ID}, ids(compose.Query{Labels: []store.Label{{Key: "theme", Value: "launch"}, {Key: "audience", Value: "b2b"}}}))
	require.Equal(t, []int64{c.ID}, ids(compose.Query{States: []store.PostState{store.PostDraft}}))
}

func TestOtherWorkspaceGetsNotFound(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	v := f.create(t, "secret plans", f.masto)
	o := f.other
	at := f.clock.Add(time.Hour)
	for name, call := range map[string]func() error{
		"get": func() error { _, err := f.svc.Get(ctx, o, v.ID); return err },
		"update": func() error {
			_, err := f.svc.Update(ctx, o, v.ID, compose.PostInput{Text: "x", Variants: []compose.VariantInput{{ChannelID: f.otherCh}}})
			return err
		},
		"delete":     func() error { return f.svc.Delete(ctx, o, v.ID) },
		"submit":     func() error { _, err := f.svc.Submit(ctx, o, v.ID); return err },
		"approve":    func() error { _, err := f.svc.Approve(ctx, o, v.ID, ""); return err },
		"schedule":   func() error { _, err := f.svc.Schedule(ctx, o, v.ID, at, ""); return err },
		"reschedule": func() error { _, err := f.svc.Reschedule(ctx, o, v.ID, at, ""); return err },
		"queue":      func() error { _, err := f.svc.Queue(ctx, o, v.ID); return err },
		"cancel":     func() error { _, _, err := f.svc.Cancel(ctx, o, v.ID); return err },
		"comment":    func() error { _, err := f.svc.Comment(ctx, o, v.ID, "hi"); return err },
		"comments":   func() error { _, err := f.svc.Comments(ctx, o, v.ID); return err },
		"history":    func() error { _, err := f.svc.History(ctx, o, v.ID); return err },
		"slots":      func() error { _, err := f.svc.GetSlots(ctx, o, f.masto); return err },
		"split":      func() error { _, err := f.svc.SplitThread(ctx, o, f.masto, "x", ""); return err },
	} {
		require.ErrorIs(t, call(), store.ErrNotFound, name)
	}
	items, err := f.svc.List(ctx, o, compose.Query{})
	require.NoError(t, err)
	require.Empty(t, items)
	got, err := f.svc.Get(ctx, f.as[store.RoleViewer], v.ID)
	require.NoError(t, err)
	require.Equal(t, "secret plans", got.Text)
}

func TestICalFeedAndRotation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	ed := f.as[store.RoleEditor]
	v := f.create(t, "Launch; with, specials", f.masto)
	_, err := f.svc.Schedule(ctx, ed, v.ID, time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), "Europe/Paris")
	require.NoError(t, err)
	_, err = f.svc.RotateFeedSecret(ctx, ed)
	require.ErrorIs(t, err, auth.ErrForbidden)
	tok, err := f.svc.RotateFeedSecret(ctx, f.as[store.RoleOwner])
	require.NoError(t, err)
	b, err := f.svc.ICal(ctx, tok)
	require.NoError(t, err)
	s := string(b)
	require.Contains(t, s, "UID:post-"+strconv.FormatInt(v.ID, 10)+"@relais.example\r\n")
	require.Contains(t, s, "DTSTART:20260329T013000Z\r\n")
	require.Contains(t, s, `Launch\; with\, specials`)
	tok2, err := f.svc.RotateFeedSecret(ctx, f.as[store.RoleOwner])
	require.NoError(t, err)
	_, err = f.svc.ICal(ctx, tok)
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = f.svc.ICal(ctx, tok2)
	require.NoError(t, err)
	require.NoError(t, f.svc.DisableFeed(ctx, f.as[store.RoleOwner]))
	_, err = f.svc.ICal(ctx, tok2)
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestSnippetsAndThreads(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	ed := f.as[store.RoleEditor]
	sn, err := f.svc.CreateSnippet(ctx, ed, "launch tags", "hashtags", "#launch #spring")
	require.NoError(t, err)
	_, err = f.svc.CreateSnippet(ctx, ed, "launch tags", "hashtags", "#again")
	ve, ok := valid.As(err)
	require.True(t, ok)
	require.Equal(t, "taken", ve.Code)
	_, err = f.svc.CreateSnippet(ctx, f.as[store.RoleViewer], "x", "text", "y")
	require.ErrorIs(t, err, auth.ErrForbidden)
	list, err := f.svc.Snippets(ctx, f.as[store.RoleViewer])
	require.NoError(t, err)
	require.Equal(t, []store.Snippet{sn}, list)
	require.ErrorIs(t, f.svc.DeleteSnippet(ctx, f.other, sn.ID), store.ErrNotFound)

	text := strings.Repeat("This sentence is about forty characters. ", 20)
	parts, err := f.svc.SplitThread(ctx, ed, f.bsky, text, "")
	require.NoError(t, err)
	require.Greater(t, len(parts), 2)
	require.True(t, strings.HasSuffix(parts[0], " 1/"+strconv.Itoa(len(parts))))
	in := f.input(parts[0], f.bsky)
	in.Variants[0].ThreadParts = parts[1:]
	v, err := f.svc.Create(ctx, ed, in)
	require.NoError(t, err)
	require.Equal(t, parts[1:], v.Variants[0].ThreadParts)
	// Or in one go when saving: the variant's text becomes a numbered thread.
	in = f.input(text, f.bsky, f.masto)
	in.Variants[0].SplitThread = true
	in.Variants[1].Text = "The short version for Mastodon."
	v, err = f.svc.Create(ctx, ed, in)
	require.NoError(t, err)
	require.Equal(t, parts[0], v.Variants[0].Text)
	require.Equal(t, parts[1:], v.Variants[0].ThreadParts)
	require.Empty(t, v.Variants[1].ThreadParts, "only the variant that asked is split")

	_, err = f.svc.SplitThread(ctx, ed, f.tg, text, "")
	if err != nil {
		ve, ok := valid.As(err)
		require.True(t, ok)
		require.Equal(t, "threads_not_supported", ve.Code)
	}
	require.False(t, errors.Is(err, store.ErrNotFound))
}

func TestSlotQueueListsWhatEachSlotHolds(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			f := newFixtureOn(t, dialect, false)
			ed := f.as[store.RoleEditor]
			q, err := f.svc.SlotQueue(ctx, f.as[store.RoleViewer], f.masto, 3)
			require.NoError(t, err)
			require.Empty(t, q, "no slots, nothing queued")

			_, err = f.svc.SetSlots(ctx, ed, f.masto, "Lun-Ven 09:00", "Europe/Paris")
			require.NoError(t, err)
			f.clock = time.Date(2026, 4, 3, 12, 0, 0, 0, time.UTC) // a Friday
			first := f.create(t, "first in the queue", f.masto)
			_, err = f.svc.Queue(ctx, ed, first.ID)
			require.NoError(t, err)
			second := f.create(t, "second in the queue", f.masto)
			_, err = f.svc.Queue(ctx, ed, second.ID)
			require.NoError(t, err)
			other := f.create(t, "another channel", f.bsky)
			_, err = f.svc.Schedule(ctx, ed, other.ID, time.Date(2026, 4, 8, 7, 0, 0, 0, time.UTC), "")
			require.NoError(t, err)

			q, err = f.svc.SlotQueue(ctx, f.as[store.RoleViewer], f.masto, 4)
			require.NoError(t, err)
			require.Equal(t, []compose.QueuedSlot{
				{At: time.Date(2026, 4, 6, 7, 0, 0, 0, time.UTC), PostID: first.ID, Text: "first in the queue", State: "scheduled"},
				{At: time.Date(2026, 4, 7, 7, 0, 0, 0, time.UTC), PostID: second.ID, Text: "second in the queue", State: "scheduled"},
				{At: time.Date(2026, 4, 8, 7, 0, 0, 0, time.UTC)},
				{At: time.Date(2026, 4, 9, 7, 0, 0, 0, time.UTC)},
			}, q)
			_, err = f.svc.SlotQueue(ctx, f.other, f.masto, 4)
			require.ErrorIs(t, err, store.ErrNotFound)
		})
	}
}

// TestQueueingWakesThePublishingEngine: scheduling, publishing now and
// editing a scheduled post call Wake, so the engine stages at once instead of
// at its next idle look; a refused schedule does not.
func TestQueueingWakesThePublishingEngine(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	wakes := 0
	f.svc.Wake = func() { wakes++ }
	ed := f.as[store.RoleEditor]
	v := f.create(t, "Hello", f.masto)
	_, err := f.svc.Schedule(ctx, ed, v.ID, f.clock.Add(-time.Minute), "")
	require.Error(t, err)
	require.Zero(t, wakes)
	_, err = f.svc.Schedule(ctx, ed, v.ID, f.clock.Add(time.Hour), "")
	require.NoError(t, err)
	require.Equal(t, 1, wakes)
	_, err = f.svc.Update(ctx, ed, v.ID, f.input("Hello again", f.masto, f.bsky))
	require.NoError(t, err)
	require.Equal(t, 2, wakes)
	w := f.create(t, "Now", f.masto)
	_, err = f.svc.PublishNow(ctx, ed, w.ID)
	require.NoError(t, err)
	require.Equal(t, 3, wakes)
}
