package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/compose"
)

// ImportInput is a CSV file, sent as the body (text/csv) or as the "file"
// part of a multipart form whose other parts repeat the query parameters.
type ImportInput struct {
	ValidOnly   bool     `query:"valid_only" doc:"Import the valid rows even when others are invalid"`
	DateFormat  string   `query:"date_format" doc:"Order of numeric dates: dmy (31/01/2027), mdy (01/31/2027) or ymd; empty detects it and refuses a file that cannot tell (code ambiguous_date)"`
	Channels    []string `query:"channels,explode" doc:"Channels (ids or handles) for rows that name none, such as Hootsuite's and Buffer's files"`
	Columns     []string `query:"column,explode" doc:"Read a file column as an import column, written header=column (Posting Time=date and time, Notes=ignore); repeatable"`
	ContentType string   `header:"Content-Type"`
	RawBody     []byte   `contentType:"text/csv" doc:"Columns: date, time, date and time, time zone, channels, text, text (channel), media url, link, labels, tags; or Hootsuite's and Buffer's bulk files"`
}

// ImportOutput is the row-by-row report of an import that saved its rows.
type ImportOutput struct {
	Body ImportReport
}

// ImportReport says what an import did, row by row.
type ImportReport struct {
	Rows      int `json:"rows"`
	ValidRows int `json:"valid_rows"`
	// Problems lists every invalid row's problems, in file order.
	Problems []ImportRowProblem `json:"problems"`
	// Error is why nothing was imported ("" when rows were).
	Error     string  `json:"error,omitempty"`
	PostIDs   []int64 `json:"post_ids"`
	Scheduled int     `json:"scheduled"`
	// Format is the recognised layout: relais, hootsuite, buffer or csv.
	Format string `json:"format,omitempty"`
	// DateFormat is the date order used: ymd, dmy or mdy.
	DateFormat string `json:"date_format,omitempty"`
	// Columns say how each column of the file was read.
	Columns []compose.ImportColumn `json:"columns"`
	// IgnoredColumns are the file's columns that were not imported.
	IgnoredColumns []string `json:"ignored_columns"`
}

// ImportRowProblem is one problem of one row.
type ImportRowProblem struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Channel string `json:"channel,omitempty"`
	Code    string `json:"code"`
	Limit   int64  `json:"limit,omitempty"`
	Message string `json:"message"`
}

// ImportError is a refused import: the usual error shape plus the report.
type ImportError struct {
	Detail ErrorDetail `json:"error"`
	// Report is the row-by-row report; absent when the options were refused before the file was read.
	Report *ImportReport `json:"report,omitempty"`
	status int
}

// GetStatus implements huma.StatusError.
func (e *ImportError) GetStatus() int { return e.status }

// Error implements error.
func (e *ImportError) Error() string { return e.Detail.Message }

// registerImport adds the import operation; its request body is text/csv
// or multipart/form-data.
func (h *Handler) registerImport(imp huma.Operation) {
	imp.MaxBodyBytes = compose.MaxImportBytes + 1<<16 // the file and a multipart envelope
	imp.Description = "Sends the file as a text/csv body, or as the part \"file\" of a multipart/form-data upload " +
		"(its other parts valid_only, date_format, channels and column repeat the query parameters). " +
		"A refused import answers 422 (413 over the size limit) with the error and the row-by-row report: " +
		`{"error":{"code","message","field"},"report":{…}}.`
	refused := &huma.Response{Description: "Nothing imported: the error and the row-by-row report",
		Content: map[string]*huma.MediaType{"application/json": {Schema: h.api.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(ImportError{}), true, "")}}}
	imp.Responses = map[string]*huma.Response{"422": refused, "413": refused}
	huma.Register(h.api, imp, h.importPosts)
	if item := h.api.OpenAPI().Paths[imp.Path]; item != nil && item.Post != nil && item.Post.RequestBody != nil {
		item.Post.RequestBody.Content["multipart/form-data"] = &huma.MediaType{Schema: &huma.Schema{Type: huma.TypeObject,
			Properties: map[string]*huma.Schema{
				"file":        {Type: huma.TypeString, Format: "binary", Description: "The CSV file"},
				"valid_only":  {Type: huma.TypeBoolean},
				"date_format": {Type: huma.TypeString, Enum: []any{"", compose.DateYMD, compose.DateDMY, compose.DateMDY}},
				"channels":    {Type: huma.TypeArray, Items: &huma.Schema{Type: huma.TypeString}},
				"column":      {Type: huma.TypeArray, Items: &huma.Schema{Type: huma.TypeString}},
			},
			Required: []string{"file"}}}
	}
}

// SampleOutput is a sample import file.
type SampleOutput struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

func (h *Handler) importSample(ctx context.Context, _ *struct{}) (*SampleOutput, error) {
	p := principal(ctx)
	if !p.Can(auth.ActCompose) {
		return nil, h.fail(auth.ErrForbidden)
	}
	chans, err := h.d.Store.Channels(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &SampleOutput{ContentType: "text/csv; charset=utf-8", ContentDisposition: `attachment; filename="relais-import-sample.csv"`,
		Body: compose.SampleImport(chans, p.Workspace.Timezone, time.Now())}, nil
}

func importReport(res compose.ImportResult) ImportReport {
	rep := res.Report
	out := ImportReport{Rows: rep.Rows, ValidRows: rep.ValidRows, Error: res.Error, PostIDs: res.PostIDs, Scheduled: res.Scheduled,
		Format: rep.Format, DateFormat: rep.DateFormat, Columns: rep.Columns, IgnoredColumns: rep.IgnoredColumns, Problems: []ImportRowProblem{}}
	if out.Error == "" && rep.Err != nil {
		out.Error = rep.Err.Error()
	}
	if out.PostIDs == nil {
		out.PostIDs = []int64{}
	}
	if out.Columns == nil {
		out.Columns = []compose.ImportColumn{}
	}
	if out.IgnoredColumns == nil {
		out.IgnoredColumns = []string{}
	}
	for _, p := range rep.Problems {
		out.Problems = append(out.Problems, ImportRowProblem{Row: p.Row, Column: p.Column, Channel: p.Channel, Code: p.Code, Limit: p.Limit, Message: p.Message})
	}
	return out
}

func (h *Handler) importPosts(ctx context.Context, in *ImportInput) (*ImportOutput, error) {
	opts := compose.ImportOptions{ValidOnly: in.ValidOnly, DateFormat: in.DateFormat, Channels: splitChannels(in.Channels)}
	file := in.RawBody
	if mt, params, _ := mime.ParseMediaType(in.ContentType); mt == "multipart/form-data" {
		var err error
		if file, err = readImportForm(in.RawBody, params["boundary"], &opts, &in.Columns); err != nil {
			return nil, &ErrorBody{status: http.StatusUnprocessableEntity, Detail: ErrorDetail{Code: "invalid", Field: "file", Message: err.Error()}}
		}
	}
	for _, c := range in.Columns {
		header, col, ok := strings.Cut(c, "=")
		if !ok {
			return nil, &ErrorBody{status: http.StatusUnprocessableEntity, Detail: ErrorDetail{Code: "invalid", Field: "column",
				Message: fmt.Sprintf("column %q must be written header=column (Posting Time=date and time)", c)}}
		}
		if opts.Columns == nil {
			opts.Columns = map[string]string{}
		}
		opts.Columns[strings.TrimSpace(header)] = strings.TrimSpace(col)
	}
	res, err := h.d.Compose.Import(ctx, principal(ctx), bytes.NewReader(file), opts)
	if err != nil && !errors.Is(err, compose.ErrImportRefused) {
		return nil, h.fail(err)
	}
	if err != nil {
		return nil, importRefused(res)
	}
	return &ImportOutput{Body: importReport(res)}, nil
}

// importRefused is the error of an import that saved nothing, with a code
// per reason and the report.
func importRefused(res compose.ImportResult) error {
	rep := importReport(res)
	e := &ImportError{status: http.StatusUnprocessableEntity, Report: &rep,
		Detail: ErrorDetail{Code: "invalid_rows", Field: "file", Message: res.Error}}
	for _, c := range []struct {
		err   error
		code  string
		field string
	}{
		{compose.ErrImportTooLarge, "too_large", "file"},
		{compose.ErrImportTooMany, "too_many_rows", "file"},
		{compose.ErrImportEncoding, "invalid_encoding", "file"},
		{compose.ErrImportAmbiguousDate, "ambiguous_date", "date_format"},
		{compose.ErrImportHeader, "invalid_columns", "column"},
	} {
		if errors.Is(res.Report.Err, c.err) {
			e.Detail.Code, e.Detail.Field = c.code, c.field
		}
	}
	if e.Detail.Code == "too_large" {
		e.status = http.StatusRequestEntityTooLarge
	}
	return e
}

// readImportForm reads a multipart import: the part "file" and the options.
func readImportForm(body []byte, boundary string, opts *compose.ImportOptions, columns *[]string) ([]byte, error) {
	if boundary == "" {
		return nil, errors.New("the multipart body has no boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	var file []byte
	found := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("the multipart body is malformed: %v", err)
		}
		b, err := io.ReadAll(part)
		if err != nil {
			return nil, fmt.Errorf("the multipart body is malformed: %v", err)
		}
		v := strings.TrimSpace(string(b))
		switch part.FormName() {
		case "file":
			file, found = b, true
		case "valid_only":
			opts.ValidOnly = v == "true" || v == "1" || v == "on"
		case "date_format":
			opts.DateFormat = v
		case "channels":
			opts.Channels = append(opts.Channels, splitChannels([]string{v})...)
		case "column":
			*columns = append(*columns, v)
		}
	}
	if !found {
		return nil, errors.New(`the multipart body has no part "file" with the CSV`)
	}
	return file, nil
}

// splitChannels accepts channels repeated or separated by commas.
func splitChannels(in []string) []string {
	var out []string
	for _, s := range in {
		for _, c := range strings.Split(s, ",") {
			if c = strings.TrimSpace(c); c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}
