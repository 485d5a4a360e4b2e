package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		if h.d.Compose == nil && h.d.Store != nil && h.d.Channels != nil {
			// Tests of other routes build the API without the composer.
			h.d.Compose = compose.NewService(h.d.Store, h.d.Channels, h.d.BaseURL)
		}
		op := func(method, path, id, summary, tag string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{tag},
				DefaultStatus: status, MaxBodyBytes: 1 << 20}
		}
		const P = "Posts"
		huma.Register(h.api, op(http.MethodGet, "/posts", "list-posts", "Posts in a time range, filtered by channel, label and state (calendar and list views)", P, 200), h.listPosts)
		huma.Register(h.api, op(http.MethodPost, "/posts", "create-post", "Create a draft post with one variant per channel; refuses it with every problem when a variant does not validate", P, 201), h.createPost)
		huma.Register(h.api, op(http.MethodPost, "/posts/validate", "validate-post", "Validate a post as typed, per channel, without saving", P, 200), h.validatePost)
		huma.Register(h.api, op(http.MethodPost, "/posts/split-thread", "split-thread", "Split a long text into a numbered thread for a channel", P, 200), h.splitThread)
		h.registerImport(op(http.MethodPost, "/posts/import", "import-posts", "Bulk-schedule posts from a CSV file (all or nothing unless valid_only)", P, 200))
		huma.Register(h.api, csvOperation(op(http.MethodGet, "/posts/import/sample", "import-sample", "A sample import file with the workspace's channels", P, 200),
			"A CSV file with the import's columns and two rows on the workspace's first channels"), h.importSample)
		huma.Register(h.api, exportOperation(h.api, op(http.MethodGet, "/posts/export", "export-posts", "Export posts with their state as CSV or JSON", P, 200)), h.exportPosts)
		huma.Register(h.api, op(http.MethodGet, "/posts/{id}", "get-post", "A post with variants, publications, attempt logs, comments, approvals and history", P, 200), h.getPost)
		huma.Register(h.api, op(http.MethodPut, "/posts/{id}", "update-post", "Replace a post's content, labels and variants", P, 200), h.updatePost)
		huma.Register(h.api, op(http.MethodDelete, "/posts/{id}", "delete-post", "Delete a post; with remote=true, a published post is deleted on its networks first (see docs/publishing.md)", P, 200), h.deletePost)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/submit", "submit-post", "Send a draft to review", P, 200), h.submitPost)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/approve", "approve-post", "Approve a post in review", P, 200), h.approvePost)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/reject", "reject-post", "Send a post in review back to draft", P, 200), h.rejectPost)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/schedule", "schedule-post", "Schedule a post at a moment (every variant must validate)", P, 200), h.schedulePost)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/reschedule", "reschedule-post", "Move a scheduled post to another moment", P, 200), h.reschedulePost)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/queue", "queue-post", "Schedule a post at its channels' next free posting slot", P, 200), h.queuePost)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/publish-now", "publish-post-now", "Publish a post now", P, 200), h.publishNow)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/cancel", "cancel-post", "Cancel a post's publications not yet in flight", P, 200), h.cancelPost)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/reopen", "reopen-post", "Return a cancelled or failed post to draft", P, 200), h.reopenPost)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/publications/{publicationID}/retry", "retry-publication", "Retry a failed publication of the post", P, 200), h.retryPublication)
		huma.Register(h.api, op(http.MethodGet, "/posts/{id}/comments", "list-comments", "A post's internal comments", P, 200), h.listComments)
		huma.Register(h.api, op(http.MethodPost, "/posts/{id}/comments", "create-comment", "Comment on a post (internal)", P, 201), h.createComment)
		huma.Register(h.api, op(http.MethodGet, "/posts/{id}/history", "post-history", "Who changed what on a post, and when", P, 200), h.postHistory)
		huma.Register(h.api, op(http.MethodGet, "/snippets", "list-snippets", "Reusable snippets (hashtag groups, signatures)", "Snippets", 200), h.listSnippets)
		huma.Register(h.api, op(http.MethodPost, "/snippets", "create-snippet", "Save a snippet", "Snippets", 201), h.createSnippet)
		huma.Register(h.api, op(http.MethodDelete, "/snippets/{id}", "delete-snippet", "Delete a snippet", "Snippets", 204), h.deleteSnippet)
		huma.Register(h.api, op(http.MethodGet, "/channels/{id}/slots", "get-channel-slots", "A channel's weekly posting slots", "Channels", 200), h.getSlots)
		huma.Register(h.api, op(http.MethodPut, "/channels/{id}/slots", "set-channel-slots", "Set a channel's weekly posting slots", "Channels", 200), h.setSlots)
		huma.Register(h.api, op(http.MethodGet, "/channels/{id}/slots/queue", "get-channel-slot-queue", "A channel's next posting slots, each with the post due then", "Channels", 200), h.getSlotQueue)
		huma.Register(h.api, op(http.MethodGet, "/channels/{id}/slots/suggested", "suggest-channel-slots",
			"The posting slots the best-time model recommends for a channel (methods.md §3), in the zone of its slots", "Channels", 200), h.suggestSlots)
		huma.Register(h.api, op(http.MethodPost, "/channels/{id}/slots/suggested", "add-suggested-slots",
			"Add the recommended slots to a channel's posting slots (those already there are kept once)", "Channels", 200), h.addSuggestedSlots)
		huma.Register(h.api, op(http.MethodPost, "/calendar/feed", "rotate-calendar-feed", "Make a new secret iCal feed URL (the old one stops working)", "Calendar", 201), h.rotateFeed)
		huma.Register(h.api, op(http.MethodDelete, "/calendar/feed", "disable-calendar-feed", "Turn the iCal feed off", "Calendar", 204), h.disableFeed)
	})
}

// composeFail maps composer errors, listing every problem of a post that does not validate.
func (h *Handler) composeFail(err error) error {
	if ve, ok := compose.AsValidation(err); ok {
		first := ve.Problems[0]
		return &ErrorBody{status: http.StatusUnprocessableEntity, Detail: ErrorDetail{Code: first.Code, Message: ve.Error(), Field: first.Path}, Problems: ve.Problems}
	}
	return h.fail(err)
}

// PostIDInput names a post.
type PostIDInput struct {
	ID int64 `path:"id"`
}

// PostOutput is one post with its variants and publications.
type PostOutput struct {
	Body compose.PostView
}

// PostDetailOutput is one post with comments, approvals and history.
type PostDetailOutput struct {
	Body compose.PostDetail
}

// PostFilterInput filters posts.
type PostFilterInput struct {
	From    time.Time `query:"from" doc:"Scheduled at or after (RFC 3339)"`
	To      time.Time `query:"to" doc:"Scheduled before (RFC 3339)"`
	Channel []int64   `query:"channel" doc:"Keep posts on one of these channels"`
	Label   []string  `query:"label" doc:"Keep posts carrying every label key=value"`
	State   []string  `query:"state" enum:"draft,in_review,approved,scheduled,publishing,published,partially_published,failed,needs_review,cancelled"`
}

// ListPostsInput filters posts and names the page.
type ListPostsInput struct {
	PostFilterInput
	Limit  int    `query:"limit" minimum:"1" maximum:"5000" default:"1000" doc:"Posts per page"`
	Cursor string `query:"cursor" maxLength:"200" doc:"Continue after the page whose next_cursor this is (empty: the first page)"`
}

func (in *ListPostsInput) query() (compose.Query, error) {
	q, err := in.PostFilterInput.query()
	q.Limit, q.Cursor = in.Limit, in.Cursor
	return q, err
}

func (in *PostFilterInput) query() (compose.Query, error) {
	q := compose.Query{From: in.From, To: in.To, ChannelIDs: in.Channel}
	for _, s := range in.State {
		q.States = append(q.States, store.PostState(s))
	}
	for _, l := range in.Label {
		lab, err := compose.ParseLabel(l)
		if err != nil {
			return q, err
		}
		q.Labels = append(q.Labels, lab)
	}
	return q, nil
}

// PostsOutput is one page of posts.
type PostsOutput struct {
	Body struct {
		Posts []compose.CalendarItem `json:"posts"`
		// NextCursor continues the listing; empty after the last page.
		NextCursor string `json:"next_cursor" doc:"Pass as cursor for the next page; empty after the last page"`
	}
}

func (h *Handler) listPosts(ctx context.Context, in *ListPostsInput) (*PostsOutput, error) {
	q, err := in.query()
	if err != nil {
		return nil, h.fail(err)
	}
	pg, err := h.d.Compose.Page(ctx, principal(ctx), q)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &PostsOutput{}
	out.Body.Posts, out.Body.NextCursor = pg.Items, pg.NextCursor
	return out, nil
}

// PostInput is a post's content.
type PostInput struct {
	Body compose.PostInput
}

func (h *Handler) createPost(ctx context.Context, in *PostInput) (*PostOutput, error) {
	v, err := h.d.Compose.Create(ctx, principal(ctx), in.Body)
	if err != nil {
		return nil, h.composeFail(err)
	}
	return &PostOutput{Body: v}, nil
}

// ValidateInput is a post as typed, with the language of the messages.
type ValidateInput struct {
	Lang string `query:"lang" enum:"en,fr,de" default:"en"`
	Body compose.PostInput
}

// ValidateOutput is the per-channel result.
type ValidateOutput struct {
	Body compose.Check
}

func (h *Handler) validatePost(ctx context.Context, in *ValidateInput) (*ValidateOutput, error) {
	c, err := h.d.Compose.Validate(ctx, principal(ctx), in.Body, in.Lang)
	if err != nil {
		return nil, h.fail(err)
	}
	return &ValidateOutput{Body: c}, nil
}

// SplitInput is a text to split for a channel.
type SplitInput struct {
	Body struct {
		ChannelID int64  `json:"channel_id"`
		Text      string `json:"text" maxLength:"65000"`
		Link      string `json:"link,omitempty" maxLength:"2048" doc:"The post's link: the first part keeps room for it where the network sends it in the text"`
	}
}

// SplitOutput holds the thread parts, numbered "i/n".
type SplitOutput struct {
	Body struct {
		Parts []string `json:"parts"`
	}
}

func (h *Handler) splitThread(ctx context.Context, in *SplitInput) (*SplitOutput, error) {
	parts, err := h.d.Compose.SplitThread(ctx, principal(ctx), in.Body.ChannelID, in.Body.Text, in.Body.Link)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &SplitOutput{}
	out.Body.Parts = parts
	return out, nil
}

func (h *Handler) getPost(ctx context.Context, in *PostIDInput) (*PostDetailOutput, error) {
	d, err := h.d.Compose.Detail(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &PostDetailOutput{Body: d}, nil
}

// UpdatePostInput replaces a post's content.
type UpdatePostInput struct {
	ID   int64 `path:"id"`
	Body compose.PostInput
}

func (h *Handler) updatePost(ctx context.Context, in *UpdatePostInput) (*PostOutput, error) {
	v, err := h.d.Compose.Update(ctx, principal(ctx), in.ID, in.Body)
	if err != nil {
		return nil, h.composeFail(err)
	}
	return &PostOutput{Body: v}, nil
}

// DeletePostInput names the post and whether to delete it on its networks.
type DeletePostInput struct {
	ID     int64 `path:"id"`
	Remote bool  `query:"remote" doc:"Delete the post's published copies on their networks too (needs the publish right). Without it a published post is removed from relais only and stays on the networks."`
}

// DeletePostOutput says what happened: removed from relais, and per
// published publication what its network did.
type DeletePostOutput struct {
	Body compose.DeleteReport
}

func (h *Handler) deletePost(ctx context.Context, in *DeletePostInput) (*DeletePostOutput, error) {
	rep, err := h.d.Compose.DeletePost(ctx, principal(ctx), in.ID, in.Remote)
	if err != nil {
		return nil, h.fail(err)
	}
	return &DeletePostOutput{Body: rep}, nil
}

func (h *Handler) submitPost(ctx context.Context, in *PostIDInput) (*PostOutput, error) {
	v, err := h.d.Compose.Submit(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.composeFail(err)
	}
	return &PostOutput{Body: v}, nil
}

// DecisionInput is an approver's note.
type DecisionInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Note string `json:"note,omitempty" maxLength:"5000"`
		// Schedule also schedules the approved post at its planned time (approve only).
		Schedule bool `json:"schedule,omitempty" doc:"Approve and schedule at the post's planned time in one step (approve only)"`
	}
}

func (h *Handler) approvePost(ctx context.Context, in *DecisionInput) (*PostOutput, error) {
	approve := h.d.Compose.Approve
	if in.Body.Schedule {
		approve = h.d.Compose.ApproveAndSchedule
	}
	v, err := approve(ctx, principal(ctx), in.ID, in.Body.Note)
	if err != nil {
		return nil, h.composeFail(err)
	}
	return &PostOutput{Body: v}, nil
}

func (h *Handler) rejectPost(ctx context.Context, in *DecisionInput) (*PostOutput, error) {
	v, err := h.d.Compose.Reject(ctx, principal(ctx), in.ID, in.Body.Note)
	if err != nil {
		return nil, h.fail(err)
	}
	return &PostOutput{Body: v}, nil
}

// ScheduleInput is the moment to publish at.
type ScheduleInput struct {
	ID   int64 `path:"id"`
	Body struct {
		At       time.Time `json:"at,omitempty" doc:"The moment (RFC 3339); default: the post's planned time"`
		Timezone string    `json:"timezone,omitempty" doc:"IANA zone the time was chosen in (default: the post's)"`
	}
}

func (h *Handler) schedulePost(ctx context.Context, in *ScheduleInput) (*PostOutput, error) {
	v, err := h.d.Compose.Schedule(ctx, principal(ctx), in.ID, in.Body.At, in.Body.Timezone)
	if err != nil {
		return nil, h.composeFail(err)
	}
	return &PostOutput{Body: v}, nil
}

func (h *Handler) reschedulePost(ctx context.Context, in *ScheduleInput) (*PostOutput, error) {
	v, err := h.d.Compose.Reschedule(ctx, principal(ctx), in.ID, in.Body.At, in.Body.Timezone)
	if err != nil {
		return nil, h.composeFail(err)
	}
	return &PostOutput{Body: v}, nil
}

func (h *Handler) queuePost(ctx context.Context, in *PostIDInput) (*PostOutput, error) {
	v, err := h.d.Compose.Queue(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.composeFail(err)
	}
	return &PostOutput{Body: v}, nil
}

func (h *Handler) publishNow(ctx context.Context, in *PostIDInput) (*PostOutput, error) {
	v, err := h.d.Compose.PublishNow(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.composeFail(err)
	}
	return &PostOutput{Body: v}, nil
}

// CancelOutput is the post after cancelling, with the publications that could not be stopped.
type CancelOutput struct {
	Body struct {
		Post     compose.PostView `json:"post"`
		InFlight int              `json:"in_flight" doc:"Publications already being sent, which cannot be stopped"`
	}
}

func (h *Handler) cancelPost(ctx context.Context, in *PostIDInput) (*CancelOutput, error) {
	v, n, err := h.d.Compose.Cancel(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &CancelOutput{}
	out.Body.Post, out.Body.InFlight = v, n
	return out, nil
}

func (h *Handler) reopenPost(ctx context.Context, in *PostIDInput) (*PostOutput, error) {
	v, err := h.d.Compose.Reopen(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &PostOutput{Body: v}, nil
}

// RetryInput names a publication of a post.
type RetryInput struct {
	ID            int64 `path:"id"`
	PublicationID int64 `path:"publicationID"`
}

func (h *Handler) retryPublication(ctx context.Context, in *RetryInput) (*PostOutput, error) {
	v, err := h.d.Compose.Retry(ctx, principal(ctx), in.ID, in.PublicationID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &PostOutput{Body: v}, nil
}

// CommentsOutput lists comments.
type CommentsOutput struct {
	Body struct {
		Comments []store.Comment `json:"comments"`
	}
}

func (h *Handler) listComments(ctx context.Context, in *PostIDInput) (*CommentsOutput, error) {
	list, err := h.d.Compose.Comments(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &CommentsOutput{}
	out.Body.Comments = list
	return out, nil
}

// CommentInput is a comment's text.
type CommentInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Body string `json:"body,omitempty" maxLength:"5000" doc:"The comment; required"`
	}
}

// CommentOutput is the created comment.
type CommentOutput struct {
	Body store.Comment
}

func (h *Handler) createComment(ctx context.Context, in *CommentInput) (*CommentOutput, error) {
	c, err := h.d.Compose.Comment(ctx, principal(ctx), in.ID, in.Body.Body)
	if err != nil {
		return nil, h.fail(err)
	}
	return &CommentOutput{Body: c}, nil
}

// HistoryOutput lists a post's changes.
type HistoryOutput struct {
	Body struct {
		History []store.HistoryEntry `json:"history"`
	}
}

func (h *Handler) postHistory(ctx context.Context, in *PostIDInput) (*HistoryOutput, error) {
	list, err := h.d.Compose.History(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &HistoryOutput{}
	out.Body.History = list
	return out, nil
}

// ExportInput filters and formats an export.
type ExportInput struct {
	PostFilterInput
	Format string `query:"format" enum:"csv,json" default:"csv"`
}

// ExportOutput is the file, streamed as it is read.
type ExportOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               func(huma.Context)
}

// exportPosts streams every post of the filter, page by page. A refusal (role,
// filter) answers before the first byte; a failure midway cuts the file short.
func (h *Handler) exportPosts(ctx context.Context, in *ExportInput) (*ExportOutput, error) {
	q, err := in.query()
	if err != nil {
		return nil, h.fail(err)
	}
	p := principal(ctx)
	check := q
	check.Limit = 1
	if _, err := h.d.Compose.Page(ctx, p, check); err != nil {
		return nil, h.fail(err)
	}
	ct := "text/csv; charset=utf-8"
	if in.Format == "json" {
		ct = "application/json"
	}
	return &ExportOutput{ContentType: ct, ContentDisposition: `attachment; filename="posts.` + in.Format + `"`, Body: func(hc huma.Context) {
		hc.SetStatus(http.StatusOK)
		if err := h.d.Compose.Export(ctx, p, q, in.Format, hc.BodyWriter()); err != nil {
			h.d.Log.Error("api: export cut short", "err", err)
		}
	}}, nil
}

// SnippetsOutput lists snippets.
type SnippetsOutput struct {
	Body struct {
		Snippets []store.Snippet `json:"snippets"`
	}
}

func (h *Handler) listSnippets(ctx context.Context, _ *struct{}) (*SnippetsOutput, error) {
	list, err := h.d.Compose.Snippets(ctx, principal(ctx))
	if err != nil {
		return nil, h.fail(err)
	}
	out := &SnippetsOutput{}
	out.Body.Snippets = list
	return out, nil
}

// SnippetInput is a snippet to save.
type SnippetInput struct {
	Body struct {
		Name string `json:"name" maxLength:"100"`
		Kind string `json:"kind,omitempty" enum:"hashtags,signature,text" default:"text"`
		Body string `json:"body,omitempty" maxLength:"5000" doc:"The snippet's text; required"`
	}
}

// SnippetOutput is a saved snippet.
type SnippetOutput struct {
	Body store.Snippet
}

func (h *Handler) createSnippet(ctx context.Context, in *SnippetInput) (*SnippetOutput, error) {
	s, err := h.d.Compose.CreateSnippet(ctx, principal(ctx), in.Body.Name, in.Body.Kind, in.Body.Body)
	if err != nil {
		return nil, h.fail(err)
	}
	return &SnippetOutput{Body: s}, nil
}

func (h *Handler) deleteSnippet(ctx context.Context, in *IDInput) (*ReadOutput, error) {
	if err := h.d.Compose.DeleteSnippet(ctx, principal(ctx), in.ID); err != nil {
		return nil, h.fail(err)
	}
	return &ReadOutput{Status: http.StatusNoContent}, nil
}

// SlotsOutput is a channel's posting schedule.
type SlotsOutput struct {
	Body compose.Slots
}

func (h *Handler) getSlots(ctx context.Context, in *IDInput) (*SlotsOutput, error) {
	s, err := h.d.Compose.GetSlots(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &SlotsOutput{Body: s}, nil
}

// SlotQueueInput asks for a channel's next posting slots.
type SlotQueueInput struct {
	ID int64 `path:"id"`
	N  int   `query:"n" minimum:"1" maximum:"100" default:"10" doc:"How many upcoming slots"`
}

// SlotQueueOutput lists upcoming slots with what each holds.
type SlotQueueOutput struct {
	Body struct {
		Slots []compose.QueuedSlot `json:"slots"`
	}
}

func (h *Handler) getSlotQueue(ctx context.Context, in *SlotQueueInput) (*SlotQueueOutput, error) {
	q, err := h.d.Compose.SlotQueue(ctx, principal(ctx), in.ID, in.N)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &SlotQueueOutput{}
	out.Body.Slots = q
	return out, nil
}

// SlotsInput sets a channel's posting schedule.
type SlotsInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Spec     string `json:"spec,omitempty" maxLength:"2000" doc:"Like 'Mon-Fri 09:00,12:30,18:00; Sat 10:00' ('' clears)"`
		Timezone string `json:"timezone,omitempty" doc:"IANA zone of the times (default: the workspace's)"`
	}
}

func (h *Handler) setSlots(ctx context.Context, in *SlotsInput) (*SlotsOutput, error) {
	s, err := h.d.Compose.SetSlots(ctx, principal(ctx), in.ID, in.Body.Spec, in.Body.Timezone)
	if err != nil {
		return nil, h.fail(err)
	}
	return &SlotsOutput{Body: s}, nil
}

// FeedOutput is the new secret feed URL (shown once).
type FeedOutput struct {
	Body struct {
		URL string `json:"url"`
	}
}

func (h *Handler) rotateFeed(ctx context.Context, _ *struct{}) (*FeedOutput, error) {
	tok, err := h.d.Compose.RotateFeedSecret(ctx, principal(ctx))
	if err != nil {
		return nil, h.fail(err)
	}
	out := &FeedOutput{}
	out.Body.URL = strings.TrimRight(h.d.BaseURL, "/") + "/ical/" + tok + ".ics"
	return out, nil
}

func (h *Handler) disableFeed(ctx context.Context, _ *struct{}) (*ReadOutput, error) {
	if err := h.d.Compose.DisableFeed(ctx, principal(ctx)); err != nil {
		return nil, h.fail(err)
	}
	return &ReadOutput{Status: http.StatusNoContent}, nil
}
