package contest

import (
	"time"

	"github.com/relais/relais/internal/store"
)

// ContestView is a contest as the API and the CLI show it; the seed appears
// only once the draw revealed it.
type ContestView struct {
	ID            int64      `json:"id"`
	Slug          string     `json:"slug"`
	Title         string     `json:"title"`
	Description   string     `json:"description"`
	Kind          string     `json:"kind"`
	EntryOpens    time.Time  `json:"entry_opens"`
	EntryCloses   time.Time  `json:"entry_closes"`
	VoteOpens     time.Time  `json:"vote_opens"`
	VoteCloses    time.Time  `json:"vote_closes"`
	VotePeriod    string     `json:"vote_period"`
	Prizes        string     `json:"prizes"`
	RulesText     string     `json:"rules_text"`
	MinAge        int        `json:"min_age"`
	Countries     []string   `json:"countries"`
	Lang          string     `json:"lang"`
	Accent        string     `json:"accent"`
	Winners       int        `json:"winners"`
	RetentionDays int        `json:"retention_days"`
	SeedHash      string     `json:"seed_hash"`
	Seed          string     `json:"seed"`
	EntriesHash   string     `json:"entries_hash"`
	CommittedAt   *time.Time `json:"committed_at"`
	DrawnAt       *time.Time `json:"drawn_at"`
	WinnerIDs     []int64    `json:"winner_ids"`
	PublicURL     string     `json:"public_url"`
	CreatedAt     time.Time  `json:"created_at"`
	// Questions are a quiz's questions with their right choice (the organiser's view).
	Questions       []store.Question `json:"questions"`
	JuryWeight      int              `json:"jury_weight"`
	Finalists       int              `json:"finalists"`
	LogoMediaID     int64            `json:"logo_media_id"`
	SourceChannelID int64            `json:"source_channel_id"`
	SourceRemoteID  string           `json:"source_remote_id"`
	Keyword         string           `json:"keyword"`
	// PublicWeight is the public vote's share of the final ranking (100 − jury_weight).
	PublicWeight int `json:"public_weight"`
}

// View renders a contest for the API and the CLI.
func (s *Service) View(c store.Contest) ContestView {
	v := ContestView{ID: c.ID, Slug: c.Slug, Title: c.Title, Description: c.Description, Kind: c.Kind, EntryOpens: c.EntryOpens, EntryCloses: c.EntryCloses,
		VoteOpens: c.VoteOpens, VoteCloses: c.VoteCloses, VotePeriod: c.VotePeriod, Prizes: c.Prizes, RulesText: c.RulesText, MinAge: c.MinAge,
		Countries: c.Countries, Lang: c.Lang, Accent: c.Accent, Winners: c.Winners, RetentionDays: c.RetentionDays, SeedHash: c.SeedHash,
		Seed: PublicSeed(c), EntriesHash: c.EntriesHash, CommittedAt: c.CommittedAt, DrawnAt: c.DrawnAt, WinnerIDs: c.WinnerIDs,
		PublicURL: s.BaseURL + "/c/" + c.Slug, CreatedAt: c.CreatedAt, Questions: c.Questions, JuryWeight: c.JuryWeight, Finalists: c.Finalists,
		LogoMediaID: c.LogoMediaID, SourceChannelID: c.SourceChannelID, SourceRemoteID: c.SourceRemoteID, Keyword: c.Keyword,
		PublicWeight: 100 - c.JuryWeight}
	if v.Questions == nil {
		v.Questions = []store.Question{}
	}
	if v.Countries == nil {
		v.Countries = []string{}
	}
	if v.WinnerIDs == nil {
		v.WinnerIDs = []int64{}
	}
	return v
}

// EntryView is an entry for the organiser (with the entrant's contact).
type EntryView struct {
	ID         int64      `json:"id"`
	ContestID  int64      `json:"contest_id"`
	Title      string     `json:"title"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Country    string     `json:"country"`
	MediaID    int64      `json:"media_id"`
	Status     string     `json:"status"`
	Reason     string     `json:"reason"`
	ConsentAt  *time.Time `json:"consent_at"`
	NotifiedAt *time.Time `json:"notified_at"`
	CreatedAt  time.Time  `json:"created_at"`
	// Score is a quiz entrant's right answers; Answers their choices.
	Score   int   `json:"score"`
	Answers []int `json:"answers"`
}

// ViewEntry renders an entry.
func ViewEntry(e store.ContestEntry) EntryView {
	return EntryView{ID: e.ID, ContestID: e.ContestID, Title: e.Title, Name: e.Name, Email: e.Email, Country: e.Country, MediaID: e.MediaID,
		Status: e.Status, Reason: e.Reason, ConsentAt: e.ConsentAt, NotifiedAt: e.NotifiedAt, CreatedAt: e.CreatedAt, Score: e.Score, Answers: e.Answers}
}

// VoteView is a stored vote for the audit.
type VoteView struct {
	ID         int64     `json:"id"`
	EntryID    int64     `json:"entry_id"`
	Identity   string    `json:"identity"`
	Period     string    `json:"period"`
	NetBlock   string    `json:"net_block"`
	Device     string    `json:"device"`
	Score      float64   `json:"score"`
	Flags      []string  `json:"flags"`
	Void       bool      `json:"void"`
	VoidReason string    `json:"void_reason"`
	At         time.Time `json:"at"`
}

// ViewVote renders a vote.
func ViewVote(v store.Vote) VoteView {
	f := v.Flags
	if f == nil {
		f = []string{}
	}
	return VoteView{ID: v.ID, EntryID: v.EntryID, Identity: v.Identity, Period: v.Period, NetBlock: v.NetBlock, Device: v.Device,
		Score: v.Score, Flags: f, Void: v.Void, VoidReason: v.VoidReason, At: v.At}
}

// ParseTime reads an RFC 3339 date of a contest field; an empty
// string keeps def (the field name is given in the error).
func ParseTime(field, v string, def time.Time) (time.Time, error) {
	if v == "" {
		return def, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return t, errorf(field, "%s must be a date and time like 2026-06-01T12:00:00Z; got %q", field, v)
	}
	return t.UTC(), nil
}

// ViewEntries renders entries (an empty list, never nil).
func ViewEntries(es []store.ContestEntry) []EntryView {
	out := make([]EntryView, 0, len(es))
	for _, e := range es {
		out = append(out, ViewEntry(e))
	}
	return out
}

// ViewVotes renders votes (an empty list, never nil).
func ViewVotes(vs []store.Vote) []VoteView {
	out := make([]VoteView, 0, len(vs))
	for _, v := range vs {
		out = append(out, ViewVote(v))
	}
	return out
}
