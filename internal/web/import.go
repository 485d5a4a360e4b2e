package web

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/compose"
)

// importProblem is one problem of an import, in the page's language.
type importProblem struct {
	Row     int
	Column  string
	Channel string
	Message string
}

// importChannel is a channel offered for rows that name none.
type importChannel struct {
	ID       int64
	Label    string
	Selected bool
}

// importData is the import page: the report of the last try and the
// mapping step (how each column is read, the date format, the channels of
// rows without any).
type importData struct {
	Tried   bool
	Rows    int
	Valid   int
	Error   string
	Created int
	Sched   int
	// CSV is the file sent, kept for the mapping step and "import the valid rows".
	CSV      string
	Problems []importProblem
	Ignored  string
	Format   string
	// Columns are the file's columns as read; Targets what each may be read as.
	Columns     []compose.ImportColumn
	Targets     []string
	DateFormat  string
	DateFormats []string
	Channels    []importChannel
	// Names are the import's column names, as the docs and the export write them.
	Names  string
	MaxMB  int
	MaxRow int
}

// showImport shows the CSV import form.
func (h *handler) showImport(w http.ResponseWriter, r *http.Request) {
	if !canCompose(r) {
		h.notFoundPage(w, r)
		return
	}
	p := h.newPage(r, "import.title")
	p.Data = newImportData()
	h.render(w, r, http.StatusOK, "import", p)
}

// newImportData is an import page before any file: the column names and limits it states.
func newImportData() importData {
	return importData{Names: strings.Join(compose.ImportColumns, ", "), MaxMB: compose.MaxImportBytes >> 20, MaxRow: compose.MaxImportRows,
		DateFormats: compose.DateFormats}
}

// importPosts imports a CSV file: all rows when all are valid; otherwise
// the row-by-row report, the mapping step and the choice to import only
// the valid rows.
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
		p.Data = newImportData()
		h.render(w, r, http.StatusUnprocessableEntity, "import", p)
		return
	}
	opts := importOptions(r)
	res, err := h.d.Compose.Import(r.Context(), visitOf(r).P, strings.NewReader(csv), opts)
	if err != nil && !errors.Is(err, compose.ErrImportRefused) {
		h.fail(w, r, err, "", nil)
		return
	}
	d := newImportData()
	d.Tried, d.Rows, d.Valid, d.Created, d.Sched = true, res.Report.Rows, res.Report.ValidRows, len(res.PostIDs), res.Scheduled
	d.Ignored, d.Format, d.Columns, d.DateFormat = strings.Join(res.Report.IgnoredColumns, ", "), res.Report.Format, res.Report.Columns, opts.DateFormat
	if res.Err != nil {
		d.Error = compose.ImportErrorIn(res.Err, p.Lang)
	}
	if errors.Is(res.Err, compose.ErrImportAmbiguousDate) {
		p.Errors["date_format"] = d.Error
	}
	if len(csv) <= compose.MaxImportBytes {
		d.CSV = csv
	}
	for _, pr := range res.Report.Problems {
		d.Problems = append(d.Problems, importProblem{Row: pr.Row, Column: pr.Column, Channel: pr.Channel, Message: compose.ImportMessageIn(pr, p.Lang)})
	}
	if d.Created == 0 {
		if err := h.importChoices(r, &d, opts); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	p.Data = d
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "import", p)
}

// importChoices fills what the mapping step offers: every import column,
// a text column per channel, and the channels for rows that name none.
func (h *handler) importChoices(r *http.Request, d *importData, opts compose.ImportOptions) error {
	chans, err := h.d.Store.Channels(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		return err
	}
	for _, c := range compose.ImportColumns {
		if c != compose.ChannelTextColumn("channel") {
			d.Targets = append(d.Targets, c)
		}
	}
	for _, c := range chans {
		name := strings.TrimPrefix(c.Handle, "@")
		if name == "" {
			name = strconv.FormatInt(c.ID, 10)
		}
		d.Targets = append(d.Targets, compose.ChannelTextColumn(name))
		id := strconv.FormatInt(c.ID, 10)
		d.Channels = append(d.Channels, importChannel{ID: c.ID, Label: networkName(c.Network) + " " + c.Handle, Selected: slices.Contains(opts.Channels, id)})
	}
	for _, c := range d.Columns {
		if c.Column != compose.ColIgnore && !slices.Contains(d.Targets, c.Column) {
			d.Targets = append(d.Targets, c.Column)
		}
	}
	return nil
}

// importOptions reads the mapping step's choices: map_header and
// map_column in pairs, date_format, channel (ids) and valid_only.
func importOptions(r *http.Request) compose.ImportOptions {
	opts := compose.ImportOptions{ValidOnly: r.FormValue("valid_only") == "1", DateFormat: r.FormValue("date_format"), Channels: r.Form["channel"]}
	headers, cols := r.Form["map_header"], r.Form["map_column"]
	for i := range min(len(headers), len(cols)) {
		if opts.Columns == nil {
			opts.Columns = map[string]string{}
		}
		opts.Columns[headers[i]] = cols[i]
	}
	return opts
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

// importSample downloads a sample import file with the workspace's channels.
func (h *handler) importSample(w http.ResponseWriter, r *http.Request) {
	chans, err := h.d.Store.Channels(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="relais-import-sample.csv"`)
	_, _ = w.Write(compose.SampleImport(chans, visitOf(r).P.Workspace.Timezone, time.Now()))
}
