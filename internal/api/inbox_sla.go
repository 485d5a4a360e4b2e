package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/crisis"
	"github.com/relais/relais/internal/sla"
	"github.com/relais/relais/internal/valid"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(path, id, summary string) huma.Operation {
			return huma.Operation{OperationID: id, Method: http.MethodGet, Path: "/api/v1/inbox" + path, Summary: summary, Tags: []string{"Inbox rules"},
				DefaultStatus: http.StatusOK}
		}
		huma.Register(h.api, op("/sla", "get-inbox-sla", "First-response time and response rate per channel, member and period, against the workspace's target"), h.getInboxSLA)
		huma.Register(h.api, op("/sla/reminders", "list-inbox-sla-reminders", "Unanswered conversations of the last 7 days at 80% of the target or past it"), h.listSLAReminders)
		huma.Register(h.api, op("/crisis", "get-inbox-crisis", "The crisis test of the hour in progress: negative messages against the hour-of-week baseline, spiking terms, examples"), h.getInboxCrisis)
	})
}

// SLAInput is the report's period.
type SLAInput struct {
	From   time.Time `query:"from" doc:"Start (RFC 3339), default 30 days ago"`
	To     time.Time `query:"to" doc:"End (RFC 3339, exclusive), default now"`
	Period string    `query:"period" enum:"day,week,month" default:"week" doc:"Length of the by_period buckets, in the workspace's time zone"`
}

// SLAOutput is the report.
type SLAOutput struct {
	Body sla.ResponseReport
}

func (h *Handler) getInboxSLA(ctx context.Context, in *SLAInput) (*SLAOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	to := in.To
	if to.IsZero() {
		to = time.Now().UTC()
	}
	from := in.From
	if from.IsZero() {
		from = to.AddDate(0, 0, -30)
	}
	if !from.Before(to) {
		return nil, h.fail(valid.Errorf("from", "order", "from must be before to"))
	}
	period := sla.Period(in.Period)
	if period == "" {
		period = sla.Week
	}
	rep, err := h.moderation().SLAReport(ctx, p.Workspace.ID, from, to, period)
	if err != nil {
		return nil, h.fail(err)
	}
	return &SLAOutput{Body: rep}, nil
}

// SLARemindersOutput lists due reminders.
type SLARemindersOutput struct {
	Body struct {
		Reminders []sla.Reminder `json:"reminders"`
	}
}

func (h *Handler) listSLAReminders(ctx context.Context, _ *struct{}) (*SLARemindersOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	list, err := h.moderation().SLAReminders(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &SLARemindersOutput{}
	out.Body.Reminders = list
	return out, nil
}

// CrisisOutput is the crisis test of the hour in progress.
type CrisisOutput struct {
	Body struct {
		Ready  bool           `json:"ready" doc:"false until the inbox has four weeks of messages; then the other fields are set"`
		Detail *crisis.Detail `json:"detail,omitempty"`
	}
}

func (h *Handler) getInboxCrisis(ctx context.Context, _ *struct{}) (*CrisisOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	out := &CrisisOutput{}
	if h.d.CrisisSource == nil {
		return out, nil
	}
	d, err := crisis.Report(ctx, h.d.CrisisSource, p.Workspace.ID, time.Now(), h.d.CrisisConfig)
	if errors.Is(err, crisis.ErrShortHistory) {
		return out, nil
	}
	if err != nil {
		return nil, h.fail(err)
	}
	out.Body.Ready, out.Body.Detail = true, &d
	return out, nil
}
