package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/auth"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1/analytics" + path, Summary: summary,
				Tags: []string{"Analytics"}, DefaultStatus: http.StatusOK}
		}
		huma.Register(h.api, op(http.MethodGet, "/schedules", "analytics-schedules",
			"Reports sent by e-mail: the last full week or month, as HTML with the PDF and CSV attached, once per period"), h.analyticsSchedules)
		create := op(http.MethodPost, "/schedules", "analytics-create-schedule", "Send the report of every week or month by e-mail to recipients, in a language")
		create.DefaultStatus = http.StatusCreated
		huma.Register(h.api, create, h.analyticsCreateSchedule)
		del := op(http.MethodDelete, "/schedules/{id}", "analytics-delete-schedule", "Stop a report sent by e-mail")
		del.DefaultStatus = http.StatusNoContent
		huma.Register(h.api, del, h.analyticsDeleteSchedule)
		huma.Register(h.api, op(http.MethodGet, "/brand", "analytics-brand", "The brand reports carry: name, accent colour, logo and footer"), h.analyticsBrand)
		huma.Register(h.api, op(http.MethodPut, "/brand", "analytics-save-brand",
			"Set the brand of the workspace's reports (HTML, PDF, e-mail): an agency's or client's name, accent colour, logo from the media library, footer"), h.analyticsSaveBrand)
	})
}

// reportOperation documents the report's four representations.
func (h *Handler) reportOperation(o huma.Operation) huma.Operation {
	o.Description = "The report as JSON (default), or as a printable HTML page, CSV or PDF with the workspace's brand: " +
		"choose with the format query parameter or the Accept header (text/html, text/csv, application/pdf). " +
		"HTML and PDF are written in the lang parameter's language, else the Accept-Language header's (en, fr, de)."
	o.Responses = map[string]*huma.Response{"200": {
		Description: "The report",
		Content: map[string]*huma.MediaType{
			"application/json": {Schema: h.api.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(analytics.PeriodReport{}), true, "")},
			"text/html":        {Schema: &huma.Schema{Type: huma.TypeString, Description: "One self-contained HTML page"}},
			"text/csv":         {Schema: &huma.Schema{Type: huma.TypeString, Description: "CSV with a header row, as /report.csv"}},
			"application/pdf":  {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary", Description: "A4 PDF"}},
		},
	}}
	return o
}

// ReportFormatInput is a report's period, filter and representation.
type ReportFormatInput struct {
	PeriodInput
	Format         string `query:"format" enum:"json,html,csv,pdf" doc:"Representation; default from the Accept header, else json"`
	Lang           string `query:"lang" enum:"en,fr,de" doc:"Language of the HTML and PDF; default from Accept-Language, else en"`
	Accept         string `header:"Accept"`
	AcceptLanguage string `header:"Accept-Language"`
}

// reportFormat picks the representation: the parameter, else the Accept header.
func reportFormat(in *ReportFormatInput) string {
	if in.Format != "" {
		return in.Format
	}
	for _, part := range strings.Split(in.Accept, ",") {
		switch strings.TrimSpace(strings.SplitN(part, ";", 2)[0]) {
		case "application/json":
			return "json"
		case "text/html":
			return "html"
		case "text/csv":
			return "csv"
		case "application/pdf":
			return "pdf"
		}
	}
	return "json"
}

// reportLang picks the language: the parameter, else the first of
// Accept-Language relais writes, else English.
func reportLang(in *ReportFormatInput) string {
	if in.Lang != "" {
		return in.Lang
	}
	for _, part := range strings.Split(in.AcceptLanguage, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		for _, l := range analytics.ReportLanguages {
			if tag == l || strings.HasPrefix(tag, l+"-") {
				return l
			}
		}
	}
	return "en"
}

func (h *Handler) analyticsReport(ctx context.Context, in *ReportFormatInput) (*SampleOutput, error) {
	rep, err := h.report(ctx, &in.PeriodInput)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	format := reportFormat(in)
	out := &SampleOutput{}
	name := `attachment; filename="relais-report-` + rep.From.Format(time.DateOnly)
	switch format {
	case "json":
		out.ContentType = "application/json"
		err = json.NewEncoder(&b).Encode(rep)
	case "csv":
		out.ContentType, out.ContentDisposition = "text/csv; charset=utf-8", name+`.csv"`
		err = analytics.WriteCSV(&b, rep)
	default:
		tx, terr := h.d.Analytics.Branded(ctx, principal(ctx).Workspace, reportLang(in))
		if terr != nil {
			return nil, h.fail(terr)
		}
		if format == "html" {
			out.ContentType = "text/html; charset=utf-8"
			err = analytics.WriteHTML(&b, rep, tx, "")
		} else {
			out.ContentType, out.ContentDisposition = "application/pdf", name+`.pdf"`
			err = analytics.WritePDF(&b, rep, tx)
		}
	}
	if err != nil {
		return nil, h.fail(err)
	}
	out.Body = b.Bytes()
	return out, nil
}

// ReportSchedulesOutput lists scheduled reports.
type ReportSchedulesOutput struct {
	Body struct {
		Schedules []analytics.Schedule `json:"schedules"`
	}
}

// ReportScheduleInput is a new scheduled report.
type ReportScheduleInput struct {
	Body analytics.ScheduleInput
}

// ReportScheduleOutput is a saved scheduled report.
type ReportScheduleOutput struct {
	Body analytics.Schedule
}

// BrandInput is a brand to save.
type BrandInput struct {
	Body analytics.BrandInput
}

// BrandOutput is the workspace's brand.
type BrandOutput struct {
	Body analytics.Brand
}

func (h *Handler) analyticsSchedules(ctx context.Context, _ *struct{}) (*ReportSchedulesOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActView) {
		return nil, h.fail(auth.ErrForbidden)
	}
	list, err := h.d.Analytics.Schedules(ctx, p.Workspace.ID, time.Now())
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ReportSchedulesOutput{}
	out.Body.Schedules = list
	return out, nil
}

func (h *Handler) analyticsCreateSchedule(ctx context.Context, in *ReportScheduleInput) (*ReportScheduleOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActManageWorkspace) {
		return nil, h.fail(auth.ErrForbidden)
	}
	sc, err := h.d.Analytics.CreateSchedule(ctx, p.Workspace.ID, in.Body, time.Now())
	if err != nil {
		return nil, h.fail(err)
	}
	return &ReportScheduleOutput{Body: sc}, nil
}

func (h *Handler) analyticsDeleteSchedule(ctx context.Context, in *GoalPath) (*struct{}, error) {
	p := principal(ctx)
	if !p.Can(auth.ActManageWorkspace) {
		return nil, h.fail(auth.ErrForbidden)
	}
	if err := h.d.Analytics.DeleteSchedule(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

func (h *Handler) analyticsBrand(ctx context.Context, _ *struct{}) (*BrandOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActView) {
		return nil, h.fail(auth.ErrForbidden)
	}
	b, err := h.d.Analytics.Brand(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &BrandOutput{Body: b}, nil
}

func (h *Handler) analyticsSaveBrand(ctx context.Context, in *BrandInput) (*BrandOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActManageWorkspace) {
		return nil, h.fail(auth.ErrForbidden)
	}
	b, err := h.d.Analytics.SaveBrand(ctx, p.Workspace.ID, in.Body, time.Now())
	if err != nil {
		return nil, h.fail(err)
	}
	return &BrandOutput{Body: b}, nil
}
