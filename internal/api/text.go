package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/relais/relais/internal/coach"
	"github.com/relais/relais/internal/feedback"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/sentiment"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		huma.Register(h.api, huma.Operation{OperationID: "analyze-sentiment", Method: http.MethodPost, Path: "/api/v1/sentiment",
			Summary: "Sentiment and language of up to 1,000 texts", Tags: []string{"Text"}, MaxBodyBytes: 4 << 20, DefaultStatus: http.StatusOK}, h.analyzeSentiment)
		huma.Register(h.api, huma.Operation{OperationID: "feedback-themes", Method: http.MethodPost, Path: "/api/v1/feedback/themes",
			Summary: "Feedback themes and language of up to 1,000 texts", Tags: []string{"Text"}, MaxBodyBytes: 4 << 20, DefaultStatus: http.StatusOK}, h.feedbackThemes)
		huma.Register(h.api, huma.Operation{OperationID: "feedback-summary", Method: http.MethodPost, Path: "/api/v1/feedback/summary",
			Summary: "Themes and sentiment of up to 2,000 comments, summed up per theme", Tags: []string{"Text"}, MaxBodyBytes: 8 << 20, DefaultStatus: http.StatusOK}, h.feedbackSummary)
		huma.Register(h.api, huma.Operation{OperationID: "coach-draft", Method: http.MethodPost, Path: "/api/v1/coach",
			Summary: "Score a draft against Bhargava's five rules", Tags: []string{"Text"}, MaxBodyBytes: 1 << 20, DefaultStatus: http.StatusOK}, h.coachDraft)
	})
}

// SentimentInput holds texts to score.
type SentimentInput struct {
	Body struct {
		Texts []string `json:"texts" minItems:"1" maxItems:"1000" doc:"Texts to score (each at most 10,000 characters)"`
		Lang  string   `json:"lang,omitempty" enum:"auto,en,fr,de" default:"auto" doc:"Language of all texts, or auto to detect each"`
		// FallbackLang is the channel's or workspace's language, taken by short texts whose language is unsure.
		FallbackLang string `json:"fallback_lang,omitempty" enum:"en,fr,de" doc:"Language for texts of 1 to 4 words whose language is unsure (the channel's or workspace's)"`
	}
}

// SentimentOutput holds one result per text, in order.
type SentimentOutput struct {
	Body struct {
		Results []sentiment.Result `json:"results"`
	}
}

func (h *Handler) analyzeSentiment(ctx context.Context, in *SentimentInput) (*SentimentOutput, error) {
	lang := langHint(in.Body.Lang)
	out := &SentimentOutput{}
	out.Body.Results = make([]sentiment.Result, 0, len(in.Body.Texts))
	for i, t := range in.Body.Texts {
		if err := checkTextLength("texts["+strconv.Itoa(i)+"]", t); err != nil {
			return nil, err
		}
		r := sentiment.AnalyzeFallback(t, lang, in.Body.FallbackLang)
		if r.Drivers == nil {
			r.Drivers = []sentiment.Driver{}
		}
		out.Body.Results = append(out.Body.Results, r)
	}
	return out, nil
}

// langHint turns the API's "auto" into the text packages' "" (detect).
func langHint(lang string) string {
	if lang == "auto" {
		return ""
	}
	return lang
}

// checkTextLength refuses a text over 10,000 characters, naming its field.
func checkTextLength(field, t string) error {
	if len([]rune(t)) > 10_000 {
		return &ErrorBody{status: http.StatusUnprocessableEntity, Detail: ErrorDetail{Code: "too_long", Field: field, Message: "Each text allows at most 10,000 characters"}}
	}
	return nil
}

// ThemesInput holds texts whose feedback themes are wanted.
type ThemesInput struct {
	Body struct {
		Texts []string `json:"texts" minItems:"1" maxItems:"1000" doc:"Texts to read (each at most 10,000 characters)"`
		Lang  string   `json:"lang,omitempty" enum:"auto,en,fr,de" default:"auto" doc:"Language of all texts, or auto to detect each"`
	}
}

// ThemesOutput holds one result per text, in order.
type ThemesOutput struct {
	Body struct {
		Results []feedback.TextThemes `json:"results"`
	}
}

func (h *Handler) feedbackThemes(ctx context.Context, in *ThemesInput) (*ThemesOutput, error) {
	lang := langHint(in.Body.Lang)
	out := &ThemesOutput{}
	out.Body.Results = make([]feedback.TextThemes, 0, len(in.Body.Texts))
	for i, t := range in.Body.Texts {
		if err := checkTextLength("texts["+strconv.Itoa(i)+"]", t); err != nil {
			return nil, err
		}
		out.Body.Results = append(out.Body.Results, feedback.Analyze(t, lang))
	}
	return out, nil
}

// SummaryInput holds comments, each with the time it was written when known.
type SummaryInput struct {
	Body struct {
		Comments []SummaryComment `json:"comments" minItems:"1" maxItems:"2000" doc:"Comments to read (each at most 10,000 characters)"`
		Lang     string           `json:"lang,omitempty" enum:"auto,en,fr,de" default:"auto" doc:"Language of all comments, or auto to detect each"`
	}
}

// SummaryComment is one comment to summarise.
type SummaryComment struct {
	Text string     `json:"text"`
	At   *time.Time `json:"at,omitempty" doc:"When it was written (RFC 3339); gives the weekly trend"`
}

// SummaryOutput is the summary: per theme counts, share, sentiment split, weekly trend and examples.
type SummaryOutput struct {
	Body feedback.Summary
}

func (h *Handler) feedbackSummary(ctx context.Context, in *SummaryInput) (*SummaryOutput, error) {
	lang := langHint(in.Body.Lang)
	items := make([]feedback.Item, 0, len(in.Body.Comments))
	for i, c := range in.Body.Comments {
		if err := checkTextLength("comments["+strconv.Itoa(i)+"].text", c.Text); err != nil {
			return nil, err
		}
		it := feedback.Item{Text: c.Text, Lang: lang}
		if c.At != nil {
			it.At = *c.At
		}
		items = append(items, it)
	}
	return &SummaryOutput{Body: feedback.Summarize(items)}, nil
}

// CoachInput is a draft.
type CoachInput struct {
	Body struct {
		Text     string         `json:"text" maxLength:"65000"`
		Lang     string         `json:"lang,omitempty" enum:"auto,en,fr,de" default:"auto"`
		Media    int            `json:"media" minimum:"0" maximum:"100" doc:"Images or videos attached"`
		Channels int            `json:"channels" minimum:"0" maximum:"1000" doc:"Channels the draft is planned for"`
		Networks []network.Kind `json:"networks,omitempty" maxItems:"50"`
		// MessageLang is the language of the evidence and suggestions.
		MessageLang string `json:"message_lang,omitempty" enum:"en,fr,de" doc:"Language of the evidence and suggestions (default: the draft's)"`
	}
}

// CoachOutput is the report.
type CoachOutput struct {
	Body coach.Report
}

func (h *Handler) coachDraft(ctx context.Context, in *CoachInput) (*CoachOutput, error) {
	lang := langHint(in.Body.Lang)
	d := coach.Draft{Text: in.Body.Text, Lang: lang, Media: in.Body.Media, Channels: in.Body.Channels, Networks: in.Body.Networks,
		MessageLang: in.Body.MessageLang, Connected: []network.Kind{}}
	// Suggestions name only the networks the token's workspace has connected.
	chans, err := h.d.Store.Channels(ctx, principal(ctx).Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	for _, c := range chans {
		d.Connected = append(d.Connected, network.Kind(c.Network))
	}
	return &CoachOutput{Body: coach.Analyze(d)}, nil
}
