package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/inbox"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		huma.Register(h.api, huma.Operation{OperationID: "get-inbox-criticism", Method: http.MethodGet, Path: "/api/v1/inbox/criticism",
			Summary: "Criticism left unanswered: negative messages without a reply, per channel and oldest first",
			Tags:    []string{"Inbox"}, DefaultStatus: http.StatusOK}, h.getInboxCriticism)
	})
}

// CriticismInput narrows the report.
type CriticismInput struct {
	Channel int64     `query:"channel_id" minimum:"0" doc:"Only this channel's messages (the per-channel counts cover every channel)"`
	Since   time.Time `query:"since" doc:"Only messages read since this time (RFC 3339); default: ever"`
	Limit   int       `query:"limit" minimum:"0" maximum:"500" default:"100" doc:"At most this many messages"`
}

// CriticismOutput is the report.
type CriticismOutput struct {
	Body inbox.CriticismReport
}

func (h *Handler) getInboxCriticism(ctx context.Context, in *CriticismInput) (*CriticismOutput, error) {
	rep, err := h.d.Inbox.UnansweredCriticism(ctx, principal(ctx), in.Channel, in.Since, in.Limit)
	if err != nil {
		return nil, h.inboxFail(err)
	}
	return &CriticismOutput{Body: rep}, nil
}
