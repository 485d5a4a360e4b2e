package compose

import (
	"context"
	"encoding/json"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/store"
)

// PostView is a post as the API, the CLI and the web UI show it.
type PostView struct {
	ID          int64         `json:"id"`
	State       string        `json:"state"`
	AuthorID    int64         `json:"author_id"`
	Text        string        `json:"text"`
	Link        string        `json:"link,omitempty"`
	ScheduledAt *time.Time    `json:"scheduled_at,omitempty"`
	Timezone    string        `json:"timezone"`
	Labels      []store.Label `json:"labels"`
	// Language is the language every variant sends ("auto": detected when
	// publishing; "" when the variants differ).
	Language  string        `json:"language,omitempty"`
	Variants  []VariantView `json:"variants"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// VariantView is one channel's variant, with its publication when scheduled.
type VariantView struct {
	ID           int64             `json:"id"`
	ChannelID    int64             `json:"channel_id"`
	Network      string            `json:"network"`
	Handle       string            `json:"handle"`
	Text         string            `json:"text,omitempty" doc:"The override ('' uses the post's text)"`
	Link         string            `json:"link,omitempty"`
	Media        []MediaRef        `json:"media"`
	ThreadParts  []string          `json:"thread_parts"`
	FirstComment string            `json:"first_comment,omitempty"`
	Options      map[string]string `json:"options"`
	Publication  *PublicationView  `json:"publication,omitempty"`
}

// PublicationView is where a variant's publication stands, with its attempt log.
type PublicationView struct {
	ID           int64         `json:"id"`
	State        string        `json:"state"`
	DueAt        time.Time     `json:"due_at"`
	Attempts     int           `json:"attempts"`
	RemoteID     string        `json:"remote_id,omitempty"`
	URL          string        `json:"url,omitempty"`
	ErrorClass   string        `json:"error_class,omitempty"`
	ErrorMessage string        `json:"error_message,omitempty"`
	HoldReason   string        `json:"hold_reason,omitempty"`
	PublishedAt  *time.Time    `json:"published_at,omitempty"`
	Log          []AttemptView `json:"log"`
}

// AttemptView is one remote call of the attempt log.
type AttemptView struct {
	StartedAt  time.Time `json:"started_at"`
	LatencyMS  int64     `json:"latency_ms"`
	Outcome    string    `json:"outcome"`
	Class      string    `json:"class,omitempty"`
	HTTPStatus int       `json:"http_status,omitempty"`
	Message    string    `json:"message,omitempty"`
	TraceID    string    `json:"trace_id,omitempty"`
}

// PostDetail is a post with its comments, approvals and history.
type PostDetail struct {
	PostView
	Comments  []store.Comment      `json:"comments"`
	Approvals []store.Approval     `json:"approvals"`
	History   []store.HistoryEntry `json:"history"`
}

// variantView decodes a stored variant.
func variantView(v store.Variant, c store.Channel) VariantView {
	out := VariantView{ID: v.ID, ChannelID: v.ChannelID, Network: c.Network, Handle: c.Handle, Text: v.Text, Link: v.Link,
		FirstComment: v.FirstComment, Media: []MediaRef{}, ThreadParts: []string{}, Options: map[string]string{}}
	if len(v.Media) > 0 {
		_ = json.Unmarshal(v.Media, &out.Media)
	}
	var parts []threadPartJSON
	if len(v.Parts) > 0 && json.Unmarshal(v.Parts, &parts) == nil {
		for _, p := range parts {
			out.ThreadParts = append(out.ThreadParts, p.Text)
		}
	}
	if len(v.Options) > 0 {
		var raw map[string]any
		if json.Unmarshal(v.Options, &raw) == nil {
			for k, x := range raw {
				if s, ok := x.(string); ok {
					out.Options[k] = s
				}
			}
		}
	}
	if out.Media == nil {
		out.Media = []MediaRef{}
	}
	return out
}

// input turns a view back into an editable input (for partial updates).
func (v PostView) input() PostInput {
	in := PostInput{Text: v.Text, Link: v.Link, Labels: v.Labels, Timezone: v.Timezone, Language: v.Language}
	for _, x := range v.Variants {
		in.Variants = append(in.Variants, VariantInput{ChannelID: x.ChannelID, Text: x.Text, Link: x.Link, Media: x.Media,
			ThreadParts: x.ThreadParts, FirstComment: x.FirstComment, Options: x.Options})
	}
	return in
}

// view loads a post with its variants and publications.
func (s *Service) view(ctx context.Context, workspaceID, id int64) (PostView, error) {
	p, err := s.Store.Post(ctx, workspaceID, id)
	if err != nil {
		return PostView{}, err
	}
	return s.viewOf(ctx, p, true)
}

func (s *Service) viewOf(ctx context.Context, p store.Post, withLog bool) (PostView, error) {
	out := PostView{ID: p.ID, State: string(p.State), AuthorID: p.AuthorID, Text: p.Text, Link: p.Link, ScheduledAt: p.ScheduledAt,
		Timezone: p.Timezone, Labels: p.Labels, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, Variants: []VariantView{}}
	if out.Labels == nil {
		out.Labels = []store.Label{}
	}
	vs, err := s.Store.Variants(ctx, p.WorkspaceID, p.ID)
	if err != nil {
		return out, err
	}
	pubs, err := s.Store.Publications(ctx, p.WorkspaceID, p.ID)
	if err != nil {
		return out, err
	}
	byVariant := map[int64]store.Publication{}
	for _, pub := range pubs {
		byVariant[pub.VariantID] = pub
	}
	for _, v := range vs {
		c, err := s.Store.Channel(ctx, p.WorkspaceID, v.ChannelID)
		if err != nil {
			return out, err
		}
		vv := variantView(v, c)
		if pub, ok := byVariant[v.ID]; ok {
			pv := &PublicationView{ID: pub.ID, State: string(pub.State), DueAt: pub.DueAt, Attempts: pub.Attempts, RemoteID: pub.RemoteID, URL: pub.URL,
				ErrorClass: pub.ErrorClass, ErrorMessage: pub.ErrorMessage, HoldReason: pub.HoldReason, PublishedAt: pub.PublishedAt, Log: []AttemptView{}}
			if withLog {
				atts, err := s.Store.Attempts(ctx, p.WorkspaceID, pub.ID)
				if err != nil {
					return out, err
				}
				for _, a := range atts {
					pv.Log = append(pv.Log, AttemptView{StartedAt: a.StartedAt, LatencyMS: a.LatencyMS, Outcome: a.Outcome, Class: a.Class,
						HTTPStatus: a.HTTPStatus, Message: a.Message, TraceID: a.TraceID})
				}
			}
			vv.Publication = pv
		}
		out.Variants = append(out.Variants, vv)
	}
	out.Language = postLanguage(out.Variants)
	return out, nil
}

// Get returns a post with its variants, publications and attempt logs.
func (s *Service) Get(ctx context.Context, p auth.Principal, id int64) (PostView, error) {
	if err := need(p, auth.ActView); err != nil {
		return PostView{}, err
	}
	return s.view(ctx, p.Workspace.ID, id)
}

// Detail returns a post with comments, approvals and history as well.
func (s *Service) Detail(ctx context.Context, p auth.Principal, id int64) (PostDetail, error) {
	v, err := s.Get(ctx, p, id)
	if err != nil {
		return PostDetail{}, err
	}
	d := PostDetail{PostView: v}
	if d.Comments, err = s.Store.Comments(ctx, p.Workspace.ID, id); err != nil {
		return d, err
	}
	if d.Approvals, err = s.Store.Approvals(ctx, p.Workspace.ID, id); err != nil {
		return d, err
	}
	if d.History, err = s.Store.History(ctx, p.Workspace.ID, id); err != nil {
		return d, err
	}
	if d.Comments == nil {
		d.Comments = []store.Comment{}
	}
	if d.Approvals == nil {
		d.Approvals = []store.Approval{}
	}
	if d.History == nil {
		d.History = []store.HistoryEntry{}
	}
	return d, nil
}

// Query selects posts for the calendar (month, week) and list views.
type Query struct {
	// From and To bound the scheduled time (To exclusive); both zero lists
	// every post, unscheduled ones last.
	From, To time.Time
	// ChannelIDs keeps posts with a variant on one of these channels.
	ChannelIDs []int64
	// Labels keeps posts carrying every one of these labels.
	Labels []store.Label
	// States keeps posts in one of these states.
	States []store.PostState
	// Limit bounds the posts of one page (0: MaxPageSize).
	Limit int
	// Cursor continues a listing after the page that returned it ("": from the start).
	Cursor string
}

// CalendarItem is a post as the calendar and list views show it.
type CalendarItem struct {
	ID          int64         `json:"id"`
	State       string        `json:"state"`
	Text        string        `json:"text"`
	ScheduledAt *time.Time    `json:"scheduled_at,omitempty"`
	Timezone    string        `json:"timezone"`
	Labels      []store.Label `json:"labels"`
	ChannelIDs  []int64       `json:"channel_ids"`
}

func hasLabels(have, want []store.Label) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			if h == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func anyIn(ids []int64, set map[int64]bool) bool {
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
}
