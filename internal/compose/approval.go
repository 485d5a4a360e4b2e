package compose

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

func validErr(field, code, format string, args ...any) error {
	return valid.Errorf(field, code, format, args...)
}

// Step is a move of the approval workflow.
type Step string

// The workflow steps. Scheduling, publishing now and cancelling go through
// the publishing store (SchedulePosts, CancelPost) in one transaction each.
const (
	StepSubmit   Step = "submit"   // draft → in_review
	StepApprove  Step = "approve"  // in_review → approved
	StepReject   Step = "reject"   // in_review → draft
	StepSchedule Step = "schedule" // (approved, or any unpublished state without approval) → scheduled
	StepCancel   Step = "cancel"   // scheduled → cancelled
	StepReopen   Step = "reopen"   // cancelled, failed → draft
)

// rule is one step's role and source states; data, so the whole machine is read in one place.
type rule struct {
	action auth.Action
	from   []store.PostState
	to     store.PostState
}

// Rules returns the workflow's rules for a workspace's approval setting:
// which role action each step needs and from which states it may start.
func rules(approvalRequired bool) map[Step]rule {
	schedulable := []store.PostState{store.PostApproved, store.PostScheduled}
	if !approvalRequired {
		schedulable = []store.PostState{store.PostDraft, store.PostInReview, store.PostApproved, store.PostScheduled, store.PostCancelled}
	}
	return map[Step]rule{
		StepSubmit:   {auth.ActCompose, []store.PostState{store.PostDraft}, store.PostInReview},
		StepApprove:  {auth.ActApprove, []store.PostState{store.PostInReview}, store.PostApproved},
		StepReject:   {auth.ActApprove, []store.PostState{store.PostInReview}, store.PostDraft},
		StepSchedule: {auth.ActPublish, schedulable, store.PostScheduled},
		StepCancel:   {auth.ActPublish, []store.PostState{store.PostScheduled, store.PostFailed, store.PostNeedsReview, store.PostPartiallyPublished}, store.PostCancelled},
		StepReopen:   {auth.ActCompose, []store.PostState{store.PostCancelled, store.PostFailed}, store.PostDraft},
	}
}

// Allowed reports whether a principal may take a step from a post state,
// and if not, the error saying why (auth.ErrForbidden or a *valid.Error).
func Allowed(p auth.Principal, step Step, from store.PostState) error {
	r, ok := rules(NeedsApproval(p))[step]
	if !ok {
		return validErr("step", "unknown", "unknown step %q", step)
	}
	if err := need(p, r.action); err != nil {
		return err
	}
	if !stateIn(from, r.from) {
		if step == StepSchedule && NeedsApproval(p) && stateIn(from, []store.PostState{store.PostDraft, store.PostInReview}) {
			return validErr("state", "approval_required", "this workspace requires approval: a %s post must be approved before it is scheduled", from)
		}
		return validErr("state", "invalid_transition", "cannot %s a %s post (allowed from: %s)", step, from, stateNames(r.from))
	}
	return nil
}

// transition moves a post one step, checking role and state, and records it.
func (s *Service) transition(ctx context.Context, p auth.Principal, id int64, step Step, detail string) (store.Post, error) {
	cur, err := s.Store.Post(ctx, p.Workspace.ID, id)
	if err != nil {
		return cur, err
	}
	if err := Allowed(p, step, cur.State); err != nil {
		return cur, err
	}
	if step == StepApprove {
		if err := mayDecide(p, cur); err != nil {
			return cur, err
		}
	}
	r := rules(NeedsApproval(p))[step]
	err = s.Store.SetPostState(ctx, p.Workspace.ID, id, []store.PostState{cur.State}, r.to, s.now())
	if errors.Is(err, store.ErrStale) {
		return cur, validErr("state", "changed", "post %d changed meanwhile; reload it and try again", id)
	}
	if err != nil {
		return cur, err
	}
	s.record(ctx, p, id, string(step), detail)
	cur.State = r.to
	return cur, nil
}

// Submit sends a draft to review; it must validate. Approvers are notified.
func (s *Service) Submit(ctx context.Context, p auth.Principal, id int64) (PostView, error) {
	if err := s.mustValidate(ctx, p, id); err != nil {
		return PostView{}, err
	}
	if _, err := s.transition(ctx, p, id, StepSubmit, ""); err != nil {
		return PostView{}, err
	}
	s.notifyApprovers(ctx, p, id, fmt.Sprintf("%s submitted post %d for review", who(p), id), who(p), strconv.FormatInt(id, 10))
	return s.view(ctx, p.Workspace.ID, id)
}

// notifyApprovers tells every member who may approve (but the one acting)
// that a post waits for review; without any, the whole workspace is told.
func (s *Service) notifyApprovers(ctx context.Context, p auth.Principal, postID int64, msg string, args ...string) {
	members, err := s.Store.Members(ctx, p.Workspace.ID)
	if err != nil {
		return
	}
	sent := false
	for _, m := range members {
		if auth.Can(m.Role, auth.ActApprove) && m.UserID != p.User.ID {
			s.notify(ctx, p.Workspace.ID, m.UserID, "post_review", msg, postID, args...)
			sent = true
		}
	}
	if !sent {
		s.notify(ctx, p.Workspace.ID, 0, "post_review", msg, postID, args...)
	}
}

// Approve approves a post in review, with an optional note; the author is notified.
func (s *Service) Approve(ctx context.Context, p auth.Principal, id int64, note string) (PostView, error) {
	return s.decide(ctx, p, id, StepApprove, store.ApprovalApproved, note)
}

// Reject sends a post in review back to draft with a note saying why; the author is notified.
func (s *Service) Reject(ctx context.Context, p auth.Principal, id int64, note string) (PostView, error) {
	return s.decide(ctx, p, id, StepReject, store.ApprovalRejected, note)
}

func (s *Service) decide(ctx context.Context, p auth.Principal, id int64, step Step, d store.ApprovalDecision, note string) (PostView, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxCommentLen {
		return PostView{}, validErr("note", "too_long", "note allows at most %d characters", maxCommentLen)
	}
	post, err := s.transition(ctx, p, id, step, note)
	if err != nil {
		return PostView{}, err
	}
	if err := s.Store.AddApproval(ctx, &store.Approval{WorkspaceID: p.Workspace.ID, PostID: id, UserID: p.User.ID, Decision: d, Note: note, CreatedAt: s.now()}); err != nil {
		return PostView{}, err
	}
	msg := fmt.Sprintf("%s %s post %d", who(p), d, id)
	if note != "" {
		msg += ": " + note
	}
	s.notify(ctx, p.Workspace.ID, post.AuthorID, "post_"+string(d), msg, id, who(p), strconv.FormatInt(id, 10), note)
	return s.view(ctx, p.Workspace.ID, id)
}

// Reopen returns a cancelled or failed post to draft.
func (s *Service) Reopen(ctx context.Context, p auth.Principal, id int64) (PostView, error) {
	if _, err := s.transition(ctx, p, id, StepReopen, ""); err != nil {
		return PostView{}, err
	}
	return s.view(ctx, p.Workspace.ID, id)
}

func who(p auth.Principal) string {
	if p.User.Name != "" {
		return p.User.Name
	}
	if p.User.Email != "" {
		return p.User.Email
	}
	return "relais"
}

// mustValidate loads a saved post and returns a *ValidationError when a variant does not validate.
func (s *Service) mustValidate(ctx context.Context, p auth.Principal, id int64) error {
	v, err := s.view(ctx, p.Workspace.ID, id)
	if err != nil {
		return err
	}
	in := v.input()
	if len(in.Variants) == 0 {
		return validErr("variants", "required", "post %d has no channel", id)
	}
	r, err := s.resolve(ctx, p, in)
	if err != nil {
		return err
	}
	problems, err := s.problemsOf(ctx, p.Workspace.ID, r)
	if err != nil {
		return err
	}
	if errs := errorsOnly(problems); len(errs) > 0 {
		return &ValidationError{Problems: errs}
	}
	return nil
}

// Schedule schedules a post at a moment (in the time zone tz, IANA; "" keeps
// the post's); a zero moment means the post's planned time, if it has one. Every variant must validate, and when the workspace requires
// approval the post must be approved. Scheduling is one store transaction
// (post state and publications).
func (s *Service) Schedule(ctx context.Context, p auth.Principal, id int64, at time.Time, tz string) (PostView, error) {
	return s.schedule(ctx, p, id, at, tz, false)
}

// Reschedule moves a scheduled post to another moment (drag and drop in the calendar).
func (s *Service) Reschedule(ctx context.Context, p auth.Principal, id int64, at time.Time, tz string) (PostView, error) {
	cur, err := s.Store.Post(ctx, p.Workspace.ID, id)
	if err != nil {
		return PostView{}, err
	}
	if cur.State != store.PostScheduled {
		if err := need(p, auth.ActPublish); err != nil {
			return PostView{}, err
		}
		return PostView{}, validErr("state", "invalid_transition", "only a scheduled post can be moved; post %d is %s", id, cur.State)
	}
	if NeedsApproval(p) && cur.ScheduledAt != nil && !at.Equal(*cur.ScheduledAt) {
		return s.moveToReview(ctx, p, cur, at, tz)
	}
	return s.schedule(ctx, p, id, at, tz, false)
}

// moveToReview handles a new time for a scheduled post from a member whose
// posts need approval: the time was part of what was approved, so the post
// keeps the new time as planned and goes back to review.
func (s *Service) moveToReview(ctx context.Context, p auth.Principal, cur store.Post, at time.Time, tz string) (PostView, error) {
	if err := need(p, auth.ActPublish); err != nil {
		return PostView{}, err
	}
	tz, err := checkTimezone("timezone", tz, cur.Timezone)
	if err != nil {
		return PostView{}, err
	}
	if !at.After(s.now()) {
		return PostView{}, validErr("at", "in_the_past", "%s is in the past; choose a later time or publish now", at.UTC().Format(time.RFC3339))
	}
	if _, err := s.Store.CancelPost(ctx, p.Workspace.ID, cur.ID, s.now()); err != nil {
		return PostView{}, err
	}
	planned := at.UTC()
	if err := s.Store.PlanPost(ctx, p.Workspace.ID, cur.ID, &planned, tz, s.now()); err != nil {
		return PostView{}, fmt.Errorf("compose: planned time: %w", err)
	}
	if err := s.sendBackToReview(ctx, p, cur.ID, "time"); err != nil {
		return PostView{}, err
	}
	return s.view(ctx, p.Workspace.ID, cur.ID)
}

// PublishNow schedules a post at the current moment.
func (s *Service) PublishNow(ctx context.Context, p auth.Principal, id int64) (PostView, error) {
	return s.schedule(ctx, p, id, s.now(), "", true)
}

func (s *Service) schedule(ctx context.Context, p auth.Principal, id int64, at time.Time, tz string, now bool) (PostView, error) {
	cur, err := s.Store.Post(ctx, p.Workspace.ID, id)
	if err != nil {
		return PostView{}, err
	}
	if err := Allowed(p, StepSchedule, cur.State); err != nil {
		return PostView{}, err
	}
	return s.scheduleAllowed(ctx, p, cur, at, tz, now)
}

// ApproveAndSchedule approves a post in review and schedules it at the time
// its author planned, in one step: what an approver does with a post that is
// ready. The approver role may do this without the right to publish, since
// the time is the author's. A post without a planned time, or whose planned
// time has passed, is refused before anything changes.
func (s *Service) ApproveAndSchedule(ctx context.Context, p auth.Principal, id int64, note string) (PostView, error) {
	cur, err := s.Store.Post(ctx, p.Workspace.ID, id)
	if err != nil {
		return PostView{}, err
	}
	if err := MayApprove(p, cur); err != nil {
		return PostView{}, err
	}
	if cur.ScheduledAt == nil {
		return PostView{}, validErr("at", "required", "post %d has no planned time; approve it, then schedule it", id)
	}
	if !cur.ScheduledAt.After(s.now()) {
		return PostView{}, validErr("at", "in_the_past", "the planned time %s is in the past; approve the post, then choose a later time", cur.ScheduledAt.UTC().Format(time.RFC3339))
	}
	if err := s.mustValidate(ctx, p, id); err != nil {
		return PostView{}, err
	}
	if _, err := s.decide(ctx, p, id, StepApprove, store.ApprovalApproved, note); err != nil {
		return PostView{}, err
	}
	cur.State = store.PostApproved
	return s.scheduleAllowed(ctx, p, cur, time.Time{}, "", false)
}

// scheduleAllowed schedules a post whose schedule step was allowed.
func (s *Service) scheduleAllowed(ctx context.Context, p auth.Principal, cur store.Post, at time.Time, tz string, now bool) (PostView, error) {
	id := cur.ID
	var err error
	if tz, err = checkTimezone("timezone", tz, cur.Timezone); err != nil {
		return PostView{}, err
	}
	if at.IsZero() && cur.ScheduledAt != nil {
		at = *cur.ScheduledAt // the planned time (an import waiting for approval)
	}
	if at.IsZero() {
		return PostView{}, validErr("at", "required", "give the moment to publish at")
	}
	if !now && !at.After(s.now()) {
		return PostView{}, validErr("at", "in_the_past", "%s is in the past; choose a later time or publish now", at.UTC().Format(time.RFC3339))
	}
	if err := s.mustValidate(ctx, p, id); err != nil {
		return PostView{}, err
	}
	ids, err := s.Store.SchedulePosts(ctx, p.Workspace.ID, []int64{id}, at.UTC(), tz, s.now())
	if err != nil {
		return PostView{}, err
	}
	s.wake()
	if len(ids) == 0 {
		return PostView{}, validErr("state", "changed", "post %d changed meanwhile; reload it and try again", id)
	}
	detail := at.UTC().Format(time.RFC3339) + " (" + tz + ")"
	if now {
		detail = "now"
	}
	s.record(ctx, p, id, "scheduled", detail)
	return s.view(ctx, p.Workspace.ID, id)
}

// Cancel cancels a post's publications not yet in flight and returns how
// many are already publishing (those cannot be stopped).
func (s *Service) Cancel(ctx context.Context, p auth.Principal, id int64) (PostView, int, error) {
	cur, err := s.Store.Post(ctx, p.Workspace.ID, id)
	if err != nil {
		return PostView{}, 0, err
	}
	if err := Allowed(p, StepCancel, cur.State); err != nil {
		return PostView{}, 0, err
	}
	inFlight, err := s.Store.CancelPost(ctx, p.Workspace.ID, id, s.now())
	if err != nil {
		return PostView{}, 0, err
	}
	s.record(ctx, p, id, "cancelled", "")
	v, err := s.view(ctx, p.Workspace.ID, id)
	return v, inFlight, err
}

// Retry puts a failed or needs-review publication of the post back in the queue.
func (s *Service) Retry(ctx context.Context, p auth.Principal, postID, publicationID int64) (PostView, error) {
	if err := need(p, auth.ActPublish); err != nil {
		return PostView{}, err
	}
	pub, err := s.Store.Publication(ctx, p.Workspace.ID, publicationID)
	if err != nil {
		return PostView{}, err
	}
	if pub.PostID != postID {
		return PostView{}, store.ErrNotFound
	}
	err = s.Store.RetryPublication(ctx, p.Workspace.ID, publicationID, s.now())
	if errors.Is(err, store.ErrStale) {
		return PostView{}, validErr("state", "invalid_transition", "only a failed or needs_review publication can be retried; this one is %s", pub.State)
	}
	if err != nil {
		return PostView{}, err
	}
	s.wake()
	s.record(ctx, p, postID, "retried", fmt.Sprintf("publication %d", publicationID))
	return s.view(ctx, p.Workspace.ID, postID)
}
