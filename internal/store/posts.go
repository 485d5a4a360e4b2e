package store

import (
	"context"
	"encoding/json"
	"time"
)

// PostState is where a post is in its life, from draft to published.
type PostState string

// The post states. The engine derives scheduled and everything after it from
// the post's publications; the composer moves posts through the first three.
const (
	PostDraft              PostState = "draft"
	PostInReview           PostState = "in_review"
	PostApproved           PostState = "approved"
	PostScheduled          PostState = "scheduled"
	PostPublishing         PostState = "publishing"
	PostPublished          PostState = "published"
	PostPartiallyPublished PostState = "partially_published"
	PostFailed             PostState = "failed"
	PostNeedsReview        PostState = "needs_review"
	PostCancelled          PostState = "cancelled"
)

// Label tags a post for reporting ("target_group" = "students", "theme" = "launch").
type Label struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Post is one piece of content, published as one variant per channel.
type Post struct {
	ID          int64
	WorkspaceID int64
	// AuthorID is the user who wrote it (0: created by the system, e.g. an import).
	AuthorID int64
	State    PostState
	// Text and Link are the base content; variants may override them per channel.
	Text string
	Link string
	// ScheduledAt is the due moment in UTC (nil: not scheduled).
	ScheduledAt *time.Time
	// Timezone is the IANA zone the user scheduled in, to show the time as they chose it.
	Timezone  string
	Labels    []Label
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Variant is a post's content for one channel.
type Variant struct {
	ID          int64
	PostID      int64
	WorkspaceID int64
	ChannelID   int64
	// Text overrides the post's text when not empty.
	Text string
	// Link overrides the post's link when not empty.
	Link string
	// Media, Parts and Options are JSON documents owned by the composer
	// (media references, thread parts after the first, network options).
	Media        json.RawMessage
	Parts        json.RawMessage
	FirstComment string
	Options      json.RawMessage
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// PublicationState is where one variant's publication is in the protocol.
type PublicationState string

// The publication states (see docs/publishing.md for the transitions).
const (
	PubScheduled   PublicationState = "scheduled"
	PubStaged      PublicationState = "staged"
	PubPublishing  PublicationState = "publishing"
	PubPublished   PublicationState = "published"
	PubFailed      PublicationState = "failed"
	PubNeedsReview PublicationState = "needs_review"
	PubCancelled   PublicationState = "cancelled"
	// PubDeleted is a publication a person took down from its network after
	// it was published; its remote id and URL stay for the record.
	PubDeleted PublicationState = "deleted"
)

// Publication is the durable job of publishing one variant on its channel.
type Publication struct {
	ID          int64
	WorkspaceID int64
	PostID      int64
	VariantID   int64
	ChannelID   int64
	// Network is the channel's network kind, copied so that the worker and the
	// reconciler know whether its calls are idempotent without a join.
	Network string
	State   PublicationState
	// DueAt is when the user wants it out.
	DueAt time.Time
	// Attempts counts the remote calls made so far.
	Attempts int
	// NextAttemptAt is when it may next be claimed (DueAt, or a retry time).
	NextAttemptAt time.Time
	LeaseOwner    string
	LeaseUntil    *time.Time
	// Claim changes at every claim and state change; conditional updates carry
	// the value they read, so a stale worker can never act on a row.
	Claim int64
	// IdempotencyKey is chosen at creation and sent with every attempt.
	IdempotencyKey string
	// DoneParts lists the thread parts already out (JSON array of network.RemotePost).
	DoneParts    json.RawMessage
	RemoteID     string
	URL          string
	ErrorClass   string
	ErrorMessage string
	// HoldReason, when set, keeps a scheduled publication from being claimed
	// (its channel needs reconnecting).
	HoldReason  string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt *time.Time
}

// Attempt is one remote call made for a publication, for the attempt log.
type Attempt struct {
	ID            int64
	PublicationID int64
	WorkspaceID   int64
	StartedAt     time.Time
	LatencyMS     int64
	// Outcome is what the engine did: published, retry, failed, needs_review, held, interrupted.
	Outcome string
	// Class is the network error class ("" on success).
	Class      string
	HTTPStatus int
	Message    string
	TraceID    string
}

// NewPost is a post to create with its variants.
type NewPost struct {
	Post     *Post
	Variants []Variant
}

// PostFilter narrows a post listing; zero values mean no restriction.
// Posts come by scheduled time, unscheduled ones last, then by id.
type PostFilter struct {
	States []PostState
	// From and To bound ScheduledAt (To exclusive).
	From, To time.Time
	Label    *Label
	Limit    int
	// After, when set, lists only the posts after this one in the listing's
	// order (keyset pagination: a post added or removed meanwhile never
	// makes another one skipped or listed twice).
	After *PostKey
}

// PostKey is a post's place in the listing order.
type PostKey struct {
	// Unscheduled posts come after every scheduled one.
	Unscheduled bool
	ScheduledAt time.Time
	ID          int64
}

// KeyOf returns the post's place in the listing order.
func KeyOf(p Post) PostKey {
	if p.ScheduledAt == nil {
		return PostKey{Unscheduled: true, ID: p.ID}
	}
	return PostKey{ScheduledAt: *p.ScheduledAt, ID: p.ID}
}

// PostStore keeps posts, their labels and variants (the composer's side).
type PostStore interface {
	// CreatePosts inserts posts with their labels and variants in one transaction, setting ids.
	CreatePosts(ctx context.Context, posts []NewPost) error
	Post(ctx context.Context, workspaceID, id int64) (Post, error)
	Posts(ctx context.Context, workspaceID int64, f PostFilter) ([]Post, error)
	// UpdatePost saves text, link, time zone and labels. Staged publications of
	// the post are returned to scheduled so that they are prepared again from the new content.
	UpdatePost(ctx context.Context, p Post) error
	// PlanPost sets the planned moment (nil: none) and time zone of a post not
	// scheduled yet (draft, in review, approved, cancelled or failed): the time
	// the author chose, kept through review until someone schedules it;
	// ErrStale in any other state.
	PlanPost(ctx context.Context, workspaceID, id int64, at *time.Time, timezone string, now time.Time) error
	// SetPostState moves a post from one of from to to; ErrStale when it is in another state.
	SetPostState(ctx context.Context, workspaceID, id int64, from []PostState, to PostState, now time.Time) error
	// DeletePost removes a post; ErrStale while one of its publications is
	// publishing. A published post can be removed (its posts stay on the networks).
	DeletePost(ctx context.Context, workspaceID, id int64) error
	Variants(ctx context.Context, workspaceID, postID int64) ([]Variant, error)
	// SaveVariant inserts or replaces the post's variant for the channel (which must be in the workspace).
	SaveVariant(ctx context.Context, v *Variant) error
	DeleteVariant(ctx context.Context, workspaceID, id int64) error
}

// PublishJob is a claimed publication with the content to publish.
type PublishJob struct {
	Publication
	Variant  Variant
	PostText string
	PostLink string
}

// ClaimRef names a claimed publication by id and claim value.
type ClaimRef struct {
	ID    int64 `json:"id"`
	Claim int64 `json:"c"`
}

// PublishResult is a state change the engine writes for a claimed publication.
type PublishResult struct {
	ID    int64
	Claim int64
	// From is the state the row must still be in (staged or publishing).
	From          PublicationState
	State         PublicationState
	NextAttemptAt time.Time
	RemoteID      string
	URL           string
	DoneParts     json.RawMessage
	ErrorClass    string
	ErrorMessage  string
	HoldReason    string
	// Attempt, when set, is appended to the attempt log whether or not the change applies.
	Attempt *Attempt
}

// PublishStore keeps publications and attempts: the durable publishing queue.
// Methods taking a workspace id serve users; the others serve the engine.
type PublishStore interface {
	// SchedulePosts schedules posts at the moment at: in one transaction the
	// posts become scheduled and their publications (created for new variants,
	// with fresh idempotency keys) scheduled at that moment. Publications
	// already publishing, published or needing review are left alone. It
	// returns the ids of the posts scheduled; missing posts are skipped.
	SchedulePosts(ctx context.Context, workspaceID int64, postIDs []int64, at time.Time, tz string, now time.Time) ([]int64, error)
	// CancelPost cancels the post's publications not yet in flight and returns
	// how many are publishing (those cannot be stopped).
	CancelPost(ctx context.Context, workspaceID, postID int64, now time.Time) (inFlight int, err error)
	// RetryPublication puts a failed or needs_review publication back in the
	// queue, due now, with its attempt count reset; ErrStale in any other state.
	RetryPublication(ctx context.Context, workspaceID, id int64, now time.Time) error
	// MarkPublicationPublished records that a person found a needs_review
	// publication out on the network; ErrStale in any other state.
	MarkPublicationPublished(ctx context.Context, workspaceID, id int64, remoteID, url string, now time.Time) error
	// RecordRemoteDelete appends a to the publication's attempt log and, when
	// deleted, moves the published publication to deleted; ErrStale when it
	// was not published. The post's state is left as it is.
	RecordRemoteDelete(ctx context.Context, workspaceID, id int64, deleted bool, a Attempt, now time.Time) error
	Publication(ctx context.Context, workspaceID, id int64) (Publication, error)
	Publications(ctx context.Context, workspaceID, postID int64) ([]Publication, error)
	// Attempts lists a publication's attempt log, oldest first.
	Attempts(ctx context.Context, workspaceID, publicationID int64) ([]Attempt, error)
	// ProblemPublications lists what needs a person: failed, needs_review, held,
	// and anything still queued more than stuckAfter past its due time.
	ProblemPublications(ctx context.Context, workspaceID int64, now time.Time, stuckAfter time.Duration, limit int) ([]Publication, error)
	// HoldChannel keeps the channel's queued publications from being claimed
	// (staged ones return to scheduled) and returns how many it held.
	HoldChannel(ctx context.Context, workspaceID, channelID int64, reason string, now time.Time) (int64, error)
	// ReleaseChannel lifts a hold (after a reconnect) and returns how many publications it released.
	ReleaseChannel(ctx context.Context, workspaceID, channelID int64, now time.Time) (int64, error)

	// ClaimDue stages up to limit publications due by horizon for owner, leased
	// until leaseUntil; staged rows are taken over once their lease ran out and
	// their owner's heartbeat (the lease named "instance:"+owner, see TryLease) stopped.
	ClaimDue(ctx context.Context, owner string, horizon, leaseUntil, now time.Time, limit int) ([]PublishJob, error)
	// RenewLeases extends the lease of owner's staged publications (an owner
	// that keeps its heartbeat does not need to).
	RenewLeases(ctx context.Context, owner string, until, now time.Time) (int64, error)
	// MarkPublishing moves staged publications whose claim still matches to
	// publishing, counting an attempt, in one transaction; it returns those moved.
	MarkPublishing(ctx context.Context, refs []ClaimRef, leaseUntil, now time.Time) ([]int64, error)
	// SaveResults applies results in one transaction and returns the ids whose change applied.
	SaveResults(ctx context.Context, results []PublishResult, now time.Time) ([]int64, error)
	// ExpiredPublishing lists publications in publishing whose lease ran out (an instance died mid-call).
	ExpiredPublishing(ctx context.Context, now time.Time, limit int) ([]Publication, error)
	// PublishedSince counts, per channel, publications published or publishing since the time (daily caps).
	PublishedSince(ctx context.Context, channelIDs []int64, since time.Time) (map[int64]int, error)
	// TryLease takes or renews the named lease for owner until the time;
	// false when another owner holds it (leader election for periodic jobs).
	TryLease(ctx context.Context, name, owner string, until, now time.Time) (bool, error)
}
