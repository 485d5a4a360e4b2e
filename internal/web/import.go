package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/relais/relais/internal/compose"
)

// importProblem is one problem of an import, in the page's language.
type importProblem struct {
	Row     int
	Column  string
	Channel string
	Message string
}

// importData is the import page: the report of the last try.
type importData struct {
	Tried   bool
	Rows    int
	Valid   int
	Error   string
	Created int
	Sched   int
	// CSV is the file sent, kept for "import the valid rows".
	CSV      string
	Problems []importProblem
}

// maxImportCSV bounds the file kept in the page for a second try.
const maxImportCSV = 512 << 10

// showImport shows the CSV import form.
func (h *handler) showImport(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	p := h.newPage(r, "import.title")
	p.Data = importData{}
	h.render(w, r, http.StatusOK, "import", p)
}

// importPosts imports a CSV file: all rows when all are valid; otherwise
// the row-by-row report and the choice to import only the valid rows.
func (h *handler) importPosts(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	p := h.newPage(r, "import.title")
	csv, err := importFile(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.errorPage(w, r, http.StatusRequestEntityTooLarge, "error.too_large", tooBig.Limit>>10)
			return
		}
		p.Errors["file"] = p.T("import.choose_file")
		p.Data = importData{}
		h.render(w, r, http.StatusUnprocessableEntity, "import", p)
		return
	}
	validOnly := r.FormValue("valid_only") == "1"
	res, err := h.d.Compose.Import(r.Context(), visitOf(r).P, strings.NewReader(csv), compose.ImportOptions{ValidOnly: validOnly})
	if err != nil && !errors.Is(err, compose.ErrImportRefused) {
		h.fail(w, r, err, "", nil)
		return
	}
	d := importData{Tried: true, Rows: res.Report.Rows, Valid: res.Report.ValidRows, Error: res.Error, Created: len(res.PostIDs), Sched: res.Scheduled}
	if len(csv) <= maxImportCSV {
		d.CSV = csv
	}
	for _, pr := range res.Report.Problems {
		d.Problems = append(d.Problems, importProblem{Row: pr.Row, Column: pr.Column, Channel: pr.Channel, Message: compose.ImportMessageIn(pr, p.Lang)})
	}
	p.Data = d
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "import", p)
}

// importFile reads the uploaded file, or the file kept in the page.
func importFile(r *http.Request) (string, error) {
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if err := r.ParseForm(); err != nil {
			return "", err
		}
	}
	if s := r.FormValue("csv"); s != "" {
		return s, nil
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return "", err
	}
	if len(b) == 0 {
		return "", errors.New("web: empty import file")
	}
	return string(b), nil
}
