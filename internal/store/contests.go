package store

import (
	"context"
	"time"
)

// Contest kinds.
const (
	ContestPhoto      = "photo"      // photo entries with a public vote
	ContestVideo      = "video"      // video entries with a public vote
	ContestCandidates = "candidates" // a vote among candidates the organiser lists
	ContestGiveaway   = "giveaway"   // entries drawn at random (commit-reveal draw)
	ContestQuiz       = "quiz"       // questions with a correct answer; best scores win, ties broken by the draw
	ContestComments   = "comments"   // comment-to-enter: the commenters of a published post are drawn from
)

// Question is one quiz question; Correct is the index of the right choice.
type Question struct {
	Prompt  string   `json:"prompt"`
	Choices []string `json:"choices"`
	Correct int      `json:"correct"`
}

// Entry states: entries are moderated before they show.
const (
	EntryPending  = "pending"
	EntryApproved = "approved"
	EntryRejected = "rejected"
)

// Contest is a contest run on pages relais serves (/c/{Slug}).
type Contest struct {
	ID          int64
	WorkspaceID int64
	Slug        string
	Title       string
	Description string
	Kind        string
	// EntryOpens…VoteCloses bound the entry and voting windows.
	EntryOpens, EntryCloses time.Time
	VoteOpens, VoteCloses   time.Time
	// VotePeriod is "contest" (one vote per identity for the whole contest)
	// or "day" (one vote per identity per UTC day).
	VotePeriod string
	Prizes     string
	// RulesText is the organiser's own legal text, shown on the rules page
	// after the rules generated from the fields.
	RulesText string
	MinAge    int
	// Countries lists the eligible ISO country codes ("" : everywhere).
	Countries []string
	Lang      string
	Accent    string
	Winners   int
	// SeedHash is the hex SHA-256 of the draw seed, published when entry closes;
	// Seed is revealed at the draw (empty before).
	SeedHash string
	Seed     string
	// EntriesHash is the hex SHA-256 of the sorted approved entry ids at commit time.
	EntriesHash string
	CommittedAt *time.Time
	DrawnAt     *time.Time
	// WinnerIDs are the drawn entries, in draw order.
	WinnerIDs []int64
	// RetentionDays is how long entrants' personal data is kept after the contest.
	RetentionDays int
	CreatedBy     int64
	CreatedAt     time.Time
	// Questions are a quiz's questions.
	Questions []Question
	// JuryWeight is the jury's share of the final ranking in percent (0: no
	// jury stage); Finalists is how many of the public vote's best go to the
	// jury (0: every approved entry).
	JuryWeight int
	Finalists  int
	// LogoMediaID is the branding's logo, an image of the media library (0: none).
	LogoMediaID int64
	// SourceChannelID and SourceRemoteID name the published post whose
	// commenters enter a comment-to-enter giveaway; Keyword, when set, must
	// appear in the comment.
	SourceChannelID int64
	SourceRemoteID  string
	Keyword         string
}

// ContestEntry is one entry (or candidate) of a contest.
type ContestEntry struct {
	ID          int64
	ContestID   int64
	WorkspaceID int64
	Title       string
	Name        string
	Email       string
	Country     string
	MediaID     int64
	Status      string
	Reason      string
	ConsentAt   *time.Time
	NotifiedAt  *time.Time
	CreatedAt   time.Time
	// Identity is the entrant's verified identity (quiz: keyed hash of the
	// address; comment entrants: network and account id); one entry per
	// identity and contest ("" : not checked).
	Identity string
	// Answers are a quiz entrant's choices, Score how many are right.
	Answers []int
	Score   int
}

// JuryScore is a jury member's score (0–10) of an entry.
type JuryScore struct {
	EntryID int64     `json:"entry_id"`
	UserID  int64     `json:"user_id"`
	Score   int       `json:"score"`
	At      time.Time `json:"at"`
}

// Vote is one counted vote. Identity is a keyed hash of the voter's
// normalised e-mail address; (ContestID, Identity, Period) is unique.
type Vote struct {
	ID          int64
	ContestID   int64
	WorkspaceID int64
	EntryID     int64
	Identity    string
	Period      string
	// NetBlock is the voter's IPv4 /24 or IPv6 /64; Device a hash of the User-Agent.
	NetBlock string
	Device   string
	// Score is the anomaly score (0 to 1); Flags names the signals that raised it.
	Score float64
	Flags []string
	// Void is true once the organiser voided the vote (it stays stored, with VoidReason).
	Void       bool
	VoidReason string
	At         time.Time
}

// VoteCount is an entry's tally.
type VoteCount struct {
	EntryID int64 `json:"entry_id"`
	Votes   int64 `json:"votes"`
	Flagged int64 `json:"flagged"`
	Void    int64 `json:"void"`
}

// ContestAudit is one line of a contest's append-only audit log.
type ContestAudit struct {
	ID        int64     `json:"id"`
	ContestID int64     `json:"contest_id"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	Action    string    `json:"action"`
	Detail    string    `json:"detail"`
}

// VoteFilter selects votes; zero fields select all of the contest's.
type VoteFilter struct {
	EntryID     int64
	FlaggedOnly bool
	MinScore    float64
	Limit       int
}

// ContestStore keeps contests, entries, votes and their audit log, scoped by workspace.
type ContestStore interface {
	// CreateContest stores a contest and sets its ID; a taken slug is ErrConflict.
	CreateContest(ctx context.Context, c *Contest) error
	UpdateContest(ctx context.Context, c *Contest) error
	Contest(ctx context.Context, workspaceID, id int64) (Contest, error)
	// ContestBySlug finds a contest in any workspace (the public pages).
	ContestBySlug(ctx context.Context, slug string) (Contest, error)
	Contests(ctx context.Context, workspaceID int64) ([]Contest, error)
	DeleteContest(ctx context.Context, workspaceID, id int64) error

	CreateEntry(ctx context.Context, e *ContestEntry) error
	Entry(ctx context.Context, workspaceID, id int64) (ContestEntry, error)
	// Entries lists a contest's entries in id order; status "" lists all.
	Entries(ctx context.Context, workspaceID, contestID int64, status string) ([]ContestEntry, error)
	// ModerateEntry sets an entry's status and reason.
	ModerateEntry(ctx context.Context, workspaceID, id int64, status, reason string) error
	MarkEntryNotified(ctx context.Context, workspaceID, id int64, at time.Time) error
	// EntriesByEmail lists the entries of an entrant (export and erasure).
	EntriesByEmail(ctx context.Context, workspaceID int64, email string) ([]ContestEntry, error)
	// EraseEntry removes an entrant's personal data from an entry (name, e-mail, media) and marks it erased.
	EraseEntry(ctx context.Context, workspaceID, id int64) error

	// RecordVotes stores votes in one transaction. It returns, per vote, true
	// when it was stored and false when the identity had already voted in
	// the period (the unique constraint decides).
	RecordVotes(ctx context.Context, votes []Vote) ([]bool, error)
	Votes(ctx context.Context, workspaceID, contestID int64, f VoteFilter) ([]Vote, error)
	VoteCounts(ctx context.Context, workspaceID, contestID int64) ([]VoteCount, error)
	// VoidVote marks a vote void with a reason (it is kept).
	VoidVote(ctx context.Context, workspaceID, contestID, id int64, reason string) error
	// EraseVotes removes the votes of an identity in the workspace's contests; it returns how many.
	EraseVotes(ctx context.Context, workspaceID int64, identity string) (int64, error)
	VotesByIdentity(ctx context.Context, workspaceID int64, identity string) ([]Vote, error)

	// PurgeContestData removes the personal data of contests whose retention
	// period (after the later of entry and vote close) ended before now: the
	// entrants' name, e-mail, country and file, and the votes' identities,
	// network blocks and devices (the tallies stay). It returns how many
	// entries and votes it changed; contests of every workspace are purged.
	PurgeContestData(ctx context.Context, now time.Time) (entries, votes int64, err error)

	// SetContestJury replaces a contest's jury (workspace members).
	SetContestJury(ctx context.Context, workspaceID, contestID int64, userIDs []int64) error
	ContestJury(ctx context.Context, workspaceID, contestID int64) ([]int64, error)
	// SetJuryScore stores (or replaces) a jury member's score of an entry.
	SetJuryScore(ctx context.Context, workspaceID, contestID int64, s JuryScore) error
	JuryScores(ctx context.Context, workspaceID, contestID int64) ([]JuryScore, error)

	// SpendChallenge records a proof-of-work challenge as used until it
	// expires; false means another request (on any instance) used it first.
	SpendChallenge(ctx context.Context, nonce string, expires time.Time) (bool, error)
	// TakeRateToken takes a token from the bucket shared by every instance:
	// perMinute tokens a minute up to burst; false means over the limit.
	TakeRateToken(ctx context.Context, bucket string, perMinute, burst float64, now time.Time) (bool, error)
	// ContestOAuthApp returns the app registered on a voter's instance
	// (ErrNotFound when none); SaveContestOAuthApp stores one unless another
	// was stored first (the caller reads it back).
	ContestOAuthApp(ctx context.Context, instance string) (clientID string, secretEnc []byte, err error)
	SaveContestOAuthApp(ctx context.Context, instance, clientID string, secretEnc []byte, now time.Time) error
	// PruneContestLimits removes expired challenges and buckets idle for an hour.
	PruneContestLimits(ctx context.Context, now time.Time) error

	AddContestAudit(ctx context.Context, workspaceID int64, a ContestAudit) error
	ContestAuditLog(ctx context.Context, workspaceID, contestID int64) ([]ContestAudit, error)
}
