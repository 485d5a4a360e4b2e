package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/listen"
	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{"Listening"},
				DefaultStatus: status, MaxBodyBytes: 64 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "/listen/queries", "list-listen-queries", "The workspace's listening queries", 200), h.listListenQueries)
		huma.Register(h.api, op(http.MethodPost, "/listen/queries", "create-listen-query", "Add a listening query: keywords (AND, OR, NOT, parentheses, \"phrases\", prefix*), hashtags, mentions, authors, languages, networks", 201), h.createListenQuery)
		huma.Register(h.api, op(http.MethodPost, "/listen/preview", "preview-listen-query", "What a query, unsaved, would have matched among the posts read lately and the stored mentions", 200), h.previewListenQuery)
		huma.Register(h.api, op(http.MethodGet, "/listen/queries/{id}", "get-listen-query", "One listening query", 200), h.getListenQuery)
		huma.Register(h.api, op(http.MethodPut, "/listen/queries/{id}", "update-listen-query", "Replace a listening query (or pause it)", 200), h.updateListenQuery)
		huma.Register(h.api, op(http.MethodDelete, "/listen/queries/{id}", "delete-listen-query", "Delete a listening query (its mentions stay)", 204), h.deleteListenQuery)
		huma.Register(h.api, op(http.MethodGet, "/listen/mentions", "list-mentions", "Mentions the queries matched, newest first", 200), h.listMentions)
		huma.Register(h.api, op(http.MethodGet, "/listen/volume", "mention-volume", "Mentions per query and day, sentiment, reach and share of voice", 200), h.mentionVolume)
		huma.Register(h.api, op(http.MethodGet, "/listen/bursts", "mention-bursts", "Terms bursting in the last 24 hours of mentions against the 7 days before (methods.md §4)", 200), h.mentionBursts)
		huma.Register(h.api, op(http.MethodGet, "/listen/mentions/{id}", "get-mention", "One mention", 200), h.getMention)
		huma.Register(h.api, op(http.MethodPost, "/listen/mentions/{id}/conversation", "mention-to-conversation", "Make a mention an inbox conversation (answered through the workspace's channel of its network)", 200), h.mentionToConversation)
	})
}

// listen is the listening service (the app's, or one over the store).
func (h *Handler) listen() *listen.Service {
	if h.d.Listen != nil {
		return h.d.Listen
	}
	return &listen.Service{Store: h.d.Store, Connectors: h.d.Channels, Log: h.d.Log}
}

// ListenSpec is a listening query as written.
type ListenSpec struct {
	Name           string   `json:"name" required:"false" maxLength:"100" doc:"Required to add a query; not to preview one"`
	Keywords       string   `json:"keywords,omitempty" maxLength:"1000" doc:"Words and \"phrases\" with AND, OR, NOT and parentheses; prefix* matches word beginnings"`
	Hashtags       []string `json:"hashtags,omitempty" maxItems:"50"`
	Mentions       []string `json:"mentions,omitempty" maxItems:"50" doc:"Handles mentioned (alice.bsky.social, @shop@social.example)"`
	Authors        []string `json:"authors,omitempty" maxItems:"50" doc:"Only posts by these authors"`
	ExcludeAuthors []string `json:"exclude_authors,omitempty" maxItems:"50"`
	Languages      []string `json:"languages,omitempty" maxItems:"50" doc:"Language codes (en, fr, de)"`
	Networks       []string `json:"networks,omitempty" maxItems:"50" doc:"bluesky, mastodon, website, x, youtube, threads, instagram"`
	AlertMentions  bool     `json:"alert_mentions,omitempty" doc:"Announce each new mention whose author has at least alert_min_reach followers (in-app, mention.received webhook)"`
	AlertMinReach  int64    `json:"alert_min_reach,omitempty" minimum:"0" doc:"Followers an author needs for a mention alert"`
	AlertBursts    bool     `json:"alert_bursts,omitempty" doc:"Announce terms bursting in the query's mentions (mention.burst webhook), once per term and day"`
	AlertEmail     bool     `json:"alert_email,omitempty" doc:"Also e-mail the alerts to owners and admins (when mail is configured)"`
}

func (s ListenSpec) spec() listen.Spec {
	return listen.Spec{Name: s.Name, Keywords: s.Keywords, Hashtags: s.Hashtags, Mentions: s.Mentions, Authors: s.Authors,
		ExcludeAuthors: s.ExcludeAuthors, Languages: s.Languages, Networks: s.Networks,
		AlertMentions: s.AlertMentions, AlertMinReach: s.AlertMinReach, AlertBursts: s.AlertBursts, AlertEmail: s.AlertEmail}
}

// ListenQueryOutput is one query.
type ListenQueryOutput struct {
	Body listen.Query
}

// ListenQueriesOutput lists queries.
type ListenQueriesOutput struct {
	Body struct {
		Queries []listen.Query `json:"queries"`
	}
}

func (h *Handler) listListenQueries(ctx context.Context, _ *struct{}) (*ListenQueriesOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	qs, err := h.listen().Queries(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ListenQueriesOutput{}
	out.Body.Queries = append([]listen.Query{}, qs...)
	return out, nil
}

// CreateListenQueryInput is a new query.
type CreateListenQueryInput struct {
	Body ListenSpec
}

func (h *Handler) createListenQuery(ctx context.Context, in *CreateListenQueryInput) (*ListenQueryOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	q, err := h.listen().AddQuery(ctx, p.Workspace.ID, p.User.ID, in.Body.spec())
	if err != nil {
		return nil, h.fail(err)
	}
	return &ListenQueryOutput{Body: q}, nil
}

// PreviewListenInput is a query to try.
type PreviewListenInput struct {
	Body struct {
		ListenSpec
		Limit int `json:"limit,omitempty" minimum:"0" maximum:"100"`
	}
}

// PreviewListenOutput is what it would have matched.
type PreviewListenOutput struct {
	Body listen.PreviewResult
}

func (h *Handler) previewListenQuery(ctx context.Context, in *PreviewListenInput) (*PreviewListenOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	spec := in.Body.spec()
	if spec.Name == "" {
		spec.Name = "preview"
	}
	res, err := h.listen().Preview(ctx, p.Workspace.ID, spec, in.Body.Limit)
	if err != nil {
		return nil, h.fail(err)
	}
	if res.Items == nil {
		res.Items = []listen.PreviewItem{}
	}
	return &PreviewListenOutput{Body: res}, nil
}

func (h *Handler) getListenQuery(ctx context.Context, in *IDInput) (*ListenQueryOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	q, err := h.d.Store.ListenQuery(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	qs, err := h.listen().Queries(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	for _, x := range qs {
		if x.ID == q.ID {
			return &ListenQueryOutput{Body: x}, nil
		}
	}
	return nil, h.fail(store.ErrNotFound)
}

// UpdateListenQueryInput replaces a query.
type UpdateListenQueryInput struct {
	ID   int64 `path:"id"`
	Body struct {
		ListenSpec
		Paused bool `json:"paused,omitempty"`
	}
}

func (h *Handler) updateListenQuery(ctx context.Context, in *UpdateListenQueryInput) (*ListenQueryOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	q, err := h.listen().UpdateQuery(ctx, p.Workspace.ID, in.ID, in.Body.spec(), in.Body.Paused)
	if err != nil {
		return nil, h.fail(err)
	}
	return &ListenQueryOutput{Body: q}, nil
}

func (h *Handler) deleteListenQuery(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	if err := h.listen().DeleteQuery(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// Mention is a stored mention.
type Mention = listen.MentionView

// ListMentionsInput filters mentions.
type ListMentionsInput struct {
	QueryID  int64     `query:"query_id" doc:"Only this query's mentions"`
	Since    time.Time `query:"since" doc:"Posted at or after (RFC 3339)"`
	BeforeID int64     `query:"before_id" doc:"Page: mentions with a smaller id"`
	Limit    int       `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

// MentionsOutput lists mentions.
type MentionsOutput struct {
	Body struct {
		Mentions []Mention `json:"mentions"`
	}
}

func (h *Handler) listMentions(ctx context.Context, in *ListMentionsInput) (*MentionsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	ms, err := h.d.Store.Mentions(ctx, p.Workspace.ID, store.MentionFilter{QueryID: in.QueryID, Since: in.Since, BeforeID: in.BeforeID, Limit: in.Limit})
	if err != nil {
		return nil, h.fail(err)
	}
	out := &MentionsOutput{}
	out.Body.Mentions = []Mention{}
	for _, m := range ms {
		out.Body.Mentions = append(out.Body.Mentions, listen.View(m))
	}
	return out, nil
}

// MentionOutput is one mention.
type MentionOutput struct {
	Body Mention
}

func (h *Handler) getMention(ctx context.Context, in *IDInput) (*MentionOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	m, err := h.d.Store.Mention(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &MentionOutput{Body: listen.View(m)}, nil
}

// VolumeInput is the period.
type VolumeInput struct {
	Days int `query:"days" minimum:"1" maximum:"366" default:"30"`
}

// VolumeOutput is the mention volume.
type VolumeOutput struct {
	Body listen.Volume
}

func (h *Handler) mentionVolume(ctx context.Context, in *VolumeInput) (*VolumeOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	v, err := h.listen().Volume(ctx, p.Workspace.ID, in.Days)
	if err != nil {
		return nil, h.fail(err)
	}
	return &VolumeOutput{Body: v}, nil
}

// ConversationOutput names the inbox message made from a mention.
type ConversationOutput struct {
	Body struct {
		MessageID int64 `json:"message_id"`
	}
}

func (h *Handler) mentionToConversation(ctx context.Context, in *IDInput) (*ConversationOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	in2 := h.d.Inbox
	if in2 == nil {
		in2 = &inbox.Service{Store: h.d.Store, Connectors: h.d.Channels, Log: h.d.Log}
	}
	id, err := h.listen().ToConversation(ctx, in2, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ConversationOutput{}
	out.Body.MessageID = id
	return out, nil
}

// BurstsInput narrows the burst test.
type BurstsInput struct {
	QueryID int64 `query:"query_id" doc:"Only this query's mentions"`
	Limit   int   `query:"limit" minimum:"1" maximum:"50" default:"10"`
}

// BurstsOutput lists the bursting terms.
type BurstsOutput struct {
	Body struct {
		Terms []crisis.SpikingTerm `json:"terms"`
	}
}

func (h *Handler) mentionBursts(ctx context.Context, in *BurstsInput) (*BurstsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	terms, err := h.listen().Bursts(ctx, p.Workspace.ID, in.QueryID, in.Limit)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &BurstsOutput{}
	out.Body.Terms = terms
	return out, nil
}
