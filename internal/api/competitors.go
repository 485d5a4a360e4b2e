package api

import (
	"bytes"
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/competitor"
	"github.com/relais/relais/internal/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{"Competitors"},
				DefaultStatus: status, MaxBodyBytes: 64 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "/competitors/panels", "list-competitor-panels", "The workspace's competitor panels with their accounts", 200), h.listPanels)
		huma.Register(h.api, op(http.MethodPost, "/competitors/panels", "create-competitor-panel", "Add a competitor panel with its accounts (bluesky, mastodon, instagram, youtube, x)", 201), h.createPanel)
		huma.Register(h.api, op(http.MethodGet, "/competitors/panels/{id}", "get-competitor-panel", "One panel with its accounts", 200), h.getPanel)
		huma.Register(h.api, op(http.MethodDelete, "/competitors/panels/{id}", "delete-competitor-panel", "Delete a panel, its accounts and their metrics", 204), h.deletePanel)
		file := op(http.MethodGet, "/competitors/panels/{id}/report/file", "competitor-report-file", "The panel's report as CSV or as a PDF in English, French or German", 200)
		file.Responses = map[string]*huma.Response{"200": {Description: "The report file", Content: map[string]*huma.MediaType{
			"text/csv":        {Schema: &huma.Schema{Type: huma.TypeString}},
			"application/pdf": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}},
		}}}
		huma.Register(h.api, file, h.panelReportFile)
		huma.Register(h.api, op(http.MethodGet, "/competitors/panels/{id}/report", "competitor-report", "The panel's ranking: followers, growth, posts per week, engagement per post, top post, formats, hashtags, share of voice", 200), h.panelReport)
	})
}

func (h *Handler) competitors() *competitor.Service {
	if h.d.Competitors != nil {
		return h.d.Competitors
	}
	return &competitor.Service{Store: h.d.Store, Connectors: h.d.Channels, Log: h.d.Log}
}

// Panel is a competitor panel.
type Panel struct {
	ID       int64                         `json:"id"`
	Name     string                        `json:"name"`
	Accounts []competitor.BrandAccountView `json:"accounts"`
}

func toPanel(p store.CompetitorPanel) Panel {
	out := Panel{ID: p.ID, Name: p.Name, Accounts: []competitor.BrandAccountView{}}
	for _, a := range p.Accounts {
		out.Accounts = append(out.Accounts, competitor.ViewAccount(a))
	}
	return out
}

// PanelsOutput lists panels.
type PanelsOutput struct {
	Body struct {
		Panels []Panel `json:"panels"`
	}
}

func (h *Handler) listPanels(ctx context.Context, _ *struct{}) (*PanelsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	ps, err := h.d.Store.CompetitorPanels(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &PanelsOutput{}
	out.Body.Panels = []Panel{}
	for _, x := range ps {
		out.Body.Panels = append(out.Body.Panels, toPanel(x))
	}
	return out, nil
}

// CreatePanelInput is a new panel.
type CreatePanelInput struct {
	Body struct {
		Name     string                    `json:"name" maxLength:"100"`
		Accounts []competitor.AccountInput `json:"accounts,omitempty" maxItems:"200"`
	}
}

// PanelOutput is one panel.
type PanelOutput struct {
	Body Panel
}

func (h *Handler) createPanel(ctx context.Context, in *CreatePanelInput) (*PanelOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	x, err := h.competitors().CreatePanel(ctx, p.Workspace.ID, in.Body.Name, in.Body.Accounts)
	if err != nil {
		return nil, h.fail(err)
	}
	return &PanelOutput{Body: toPanel(x)}, nil
}

func (h *Handler) getPanel(ctx context.Context, in *IDInput) (*PanelOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	x, err := h.d.Store.CompetitorPanel(ctx, p.Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &PanelOutput{Body: toPanel(x)}, nil
}

func (h *Handler) deletePanel(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	if err := h.d.Store.DeleteCompetitorPanel(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// PanelReportInput is the report's period.
type PanelReportInput struct {
	ID   int64 `path:"id"`
	Days int   `query:"days" minimum:"1" maximum:"366" default:"30"`
}

// PanelReportOutput is the report.
type PanelReportOutput struct {
	Body competitor.PanelReport
}

func (h *Handler) panelReport(ctx context.Context, in *PanelReportInput) (*PanelReportOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	r, err := h.competitors().Report(ctx, p.Workspace.ID, in.ID, in.Days)
	if err != nil {
		return nil, h.fail(err)
	}
	if r.Rows == nil {
		r.Rows = []competitor.PanelRow{}
	}
	return &PanelReportOutput{Body: r}, nil
}

// PanelReportFileInput picks the file's period, format and language.
type PanelReportFileInput struct {
	ID     int64  `path:"id"`
	Days   int    `query:"days" minimum:"1" maximum:"366" default:"30"`
	Format string `query:"format" enum:"csv,pdf" default:"pdf"`
	Lang   string `query:"lang" enum:"en,fr,de" default:"en"`
}

func (h *Handler) panelReportFile(ctx context.Context, in *PanelReportFileInput) (*SampleOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	r, err := h.competitors().Report(ctx, p.Workspace.ID, in.ID, in.Days)
	if err != nil {
		return nil, h.fail(err)
	}
	var b bytes.Buffer
	ct := "text/csv; charset=utf-8"
	if in.Format == "pdf" {
		ct, err = "application/pdf", competitor.WritePDF(&b, r, in.Lang, p.Workspace.Name, time.Now())
	} else {
		err = competitor.WriteCSV(&b, r)
	}
	if err != nil {
		return nil, h.fail(err)
	}
	return &SampleOutput{ContentType: ct, ContentDisposition: `attachment; filename="competitor-report.` + in.Format + `"`, Body: b.Bytes()}, nil
}
