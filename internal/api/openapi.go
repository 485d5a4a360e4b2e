package api

import (
	"net/http"
	"reflect"
	"strconv"

	"github.com/danielgtaylor/huma/v2"
	"github.com/relais/relais/internal/compose"
)

// The generated document describes one success status per operation and
// JSON bodies; these helpers describe the answers that differ, so that the
// document says what the API really answers (checked by openapi_test.go).

// exportOperation describes the export as it is: a CSV file (format=csv,
// the default) or a JSON document (format=json), never base64.
func exportOperation(api huma.API, o huma.Operation) huma.Operation {
	rows := api.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(struct {
		Posts []compose.ExportRow `json:"posts"`
	}{}), true, "PostsExport")
	o.Responses = map[string]*huma.Response{"200": {
		Description: "The posts as a CSV file (format=csv; the columns of the import, see docs/composer.md) or as JSON (format=json)",
		Content: map[string]*huma.MediaType{
			"text/csv":         {Schema: &huma.Schema{Type: huma.TypeString, Description: "CSV with a header row"}},
			"application/json": {Schema: rows},
		},
	}}
	return o
}

// csvOperation documents an operation that answers a CSV file.
func csvOperation(o huma.Operation, description string) huma.Operation {
	o.Responses = map[string]*huma.Response{"200": {
		Description: description,
		Content:     map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: huma.TypeString, Description: "CSV with a header row"}}},
	}}
	return o
}

// alsoAnswers documents a second success status of an operation, with the
// body of its main one (an upload of bytes already in the library answers the
// existing item with 200 instead of 201).
func alsoAnswers(api huma.API, method, path string, status, like int, description string) {
	item := api.OpenAPI().Paths[path]
	if item == nil {
		return
	}
	var op *huma.Operation
	switch method {
	case http.MethodPost:
		op = item.Post
	case http.MethodPut:
		op = item.Put
	}
	if op == nil {
		return
	}
	main := op.Responses[strconv.Itoa(like)]
	if main == nil {
		return
	}
	op.Responses[strconv.Itoa(status)] = &huma.Response{Description: description, Content: main.Content, Headers: main.Headers}
}
