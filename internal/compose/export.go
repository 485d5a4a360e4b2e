package compose

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/calendar"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// ImportResult is what an import did: the row-by-row report and the posts created.
type ImportResult struct {
	Report Report `json:"report"`
	// Error is the file-level reason nothing was imported ("" when rows were imported).
	Error string `json:"error,omitempty"`
	// PostIDs are the posts created, in file order.
	PostIDs []int64 `json:"post_ids"`
	// Scheduled counts the posts scheduled (the others wait for approval or scheduling).
	Scheduled int `json:"scheduled"`
	// Err is the file-level error behind Error (ImportErrorIn renders it).
	Err error `json:"-"`
}

// ErrImportRefused wraps every reason an import saved nothing.
var ErrImportRefused = errors.New("compose: nothing imported")

// Import reads a bulk-scheduling CSV file (see ParseImportWith). Each row is
// checked (time, time zone, channels by id or handle, library media, and
// each channel's text against its limits); nothing is saved when any row is
// invalid unless opts.ValidOnly, then only the valid rows are. The posts
// are created in one transaction, then scheduled at their times when the
// principal may publish and the workspace does not require approval;
// otherwise they wait in review (or as drafts) with their planned time.
func (s *Service) Import(ctx context.Context, p auth.Principal, r io.Reader, opts ImportOptions) (ImportResult, error) {
	if err := need(p, auth.ActCompose); err != nil {
		return ImportResult{}, err
	}
	tz, _ := checkTimezone("timezone", "", p.Workspace.Timezone)
	rows, rep := ParseImportWith(r, tz, opts)
	chans, err := s.Store.Channels(ctx, p.Workspace.ID)
	if err != nil {
		return ImportResult{}, err
	}
	byName := map[string]store.Channel{}
	for _, c := range chans {
		byName[strconv.FormatInt(c.ID, 10)] = c
		if c.Handle != "" {
			byName[strings.ToLower(c.Handle)] = c
			byName[strings.ToLower(strings.TrimPrefix(c.Handle, "@"))] = c
		}
	}
	lookup := func(name string) (store.Channel, bool) {
		c, ok := byName[strings.ToLower(strings.TrimSpace(name))]
		return c, ok
	}
	if err := s.resolveLibraryMedia(ctx, p.Workspace.ID, rows); err != nil {
		return ImportResult{}, err
	}
	rep = CheckRows(rows, rep, s.now(), func(name string) (network.Limits, bool) {
		c, ok := lookup(name)
		if !ok {
			return network.Limits{}, false
		}
		return s.Limits.Limits(c), true
	})
	res := ImportResult{Report: rep, PostIDs: []int64{}}
	accepted, err := Accept(rows, rep, opts.ValidOnly)
	if err != nil {
		res.Error, res.Err = ImportErrorIn(err, "en"), err
		return res, fmt.Errorf("%w: %w", ErrImportRefused, err)
	}
	state := store.PostDraft
	schedule := p.Can(auth.ActPublish) && !NeedsApproval(p)
	if NeedsApproval(p) {
		state = store.PostInReview
	}
	nps := make([]store.NewPost, 0, len(accepted))
	for _, row := range accepted {
		post := &store.Post{WorkspaceID: p.Workspace.ID, AuthorID: p.User.ID, State: state, Text: row.Text, Link: row.Link,
			Timezone: row.TimeZone, Labels: row.Labels}
		if at := row.At; !at.IsZero() {
			post.ScheduledAt = &at
		} else {
			post.State = store.PostDraft // a draft of relais's own export, without a time
		}
		var media json.RawMessage
		if len(row.MediaURLs) > 0 {
			refs := make([]MediaRef, len(row.MediaURLs))
			for i, u := range row.MediaURLs {
				if id, ok := libraryRef(u); ok {
					refs[i] = MediaRef{MediaID: id}
				} else {
					refs[i] = MediaRef{URL: u}
				}
			}
			media, _ = json.Marshal(refs)
		}
		seen := map[int64]bool{}
		var vs []store.Variant
		for _, name := range row.Channels {
			c, _ := lookup(name)
			if !seen[c.ID] {
				seen[c.ID] = true
				vs = append(vs, store.Variant{ChannelID: c.ID, Media: media, Text: row.ChannelTexts[name]})
			}
		}
		nps = append(nps, store.NewPost{Post: post, Variants: vs})
	}
	if len(nps) == 0 {
		return res, nil
	}
	if err := s.Store.CreatePosts(ctx, nps); err != nil {
		return res, err
	}
	byTime := map[string][]int64{}
	var order []string
	for _, np := range nps {
		res.PostIDs = append(res.PostIDs, np.Post.ID)
		s.record(ctx, p, np.Post.ID, "created", "imported")
		if np.Post.ScheduledAt == nil {
			continue
		}
		key := strconv.FormatInt(np.Post.ScheduledAt.UnixMilli(), 10) + " " + np.Post.Timezone
		if byTime[key] == nil {
			order = append(order, key)
		}
		byTime[key] = append(byTime[key], np.Post.ID)
	}
	if !schedule {
		return res, nil
	}
	for _, key := range order {
		msStr, zone, _ := strings.Cut(key, " ")
		ms, _ := strconv.ParseInt(msStr, 10, 64)
		ids, err := s.Store.SchedulePosts(ctx, p.Workspace.ID, byTime[key], time.UnixMilli(ms).UTC(), zone, s.now())
		if err != nil {
			return res, err
		}
		s.wake()
		for _, id := range ids {
			s.record(ctx, p, id, "scheduled", time.UnixMilli(ms).UTC().Format(time.RFC3339)+" ("+zone+")")
		}
		res.Scheduled += len(ids)
	}
	return res, nil
}

// resolveLibraryMedia checks the rows' library references ("media:42")
// against the workspace's library and notes their kinds for CheckRows.
func (s *Service) resolveLibraryMedia(ctx context.Context, workspaceID int64, rows []ImportRow) error {
	for i := range rows {
		r := &rows[i]
		for _, u := range r.MediaURLs {
			id, ok := libraryRef(u)
			if !ok {
				continue
			}
			m, err := s.Store.Media(ctx, workspaceID, id)
			if errors.Is(err, store.ErrNotFound) {
				r.problem(ColMedia, "unknown_media", 0, map[string]string{"value": strconv.Quote(u)})
				continue
			}
			if err != nil {
				return err
			}
			if r.kinds == nil {
				r.kinds = map[string]MediaKind{}
			}
			r.kinds[u] = MediaKind(m.Kind)
		}
	}
	return nil
}

// ExportRow is one post as exported; the CSV has the import's columns
// (date, time, time zone, channels, text, media url, link, labels, and a
// "text (channel)" column per channel with its own text) plus id and
// state, so an export imports again unchanged.
type ExportRow struct {
	ID          int64         `json:"id"`
	State       string        `json:"state"`
	ScheduledAt *time.Time    `json:"scheduled_at,omitempty"`
	Timezone    string        `json:"timezone"`
	Channels    []int64       `json:"channels"`
	Text        string        `json:"text"`
	MediaURLs   []string      `json:"media_urls" doc:"Media by URL, or library items as media:ID"`
	Link        string        `json:"link,omitempty"`
	Labels      []store.Label `json:"labels"`
	Variants    []VariantView `json:"variants"`
}

// ExportHeader is the CSV export's header row before its "text (channel)"
// columns.
var ExportHeader = []string{"id", "state", ColDate, ColTime, ColZone, ColChannels, ColText, ColMedia, ColLink, ColLabels}

// exportPageSize is how many posts an export reads at a time.
const exportPageSize = 500

// Export writes every post of a query as "csv" or "json", reading them page
// by page (no cap on their number) and writing each page before the next is
// read. Nothing is written when the query is refused. The CSV has the
// import's columns and one "text (channel)" column per channel that has its
// own text in some post, found by a first pass over the posts.
func (s *Service) Export(ctx context.Context, p auth.Principal, q Query, format string, w io.Writer) error {
	if format != "csv" && format != "json" {
		return validErr("format", "invalid", "format must be csv or json")
	}
	q.Cursor, q.Limit = "", exportPageSize
	first, err := s.Page(ctx, p, q)
	if err != nil {
		return err
	}
	out := &exportWriter{w: w}
	if format == "csv" {
		chans, err := s.Store.Channels(ctx, p.Workspace.ID)
		if err != nil {
			return err
		}
		out.names = channelNames(chans)
		// The first pass reads only the variants, to know the text columns.
		err = s.eachPostID(ctx, p, q, first, func(id int64) error {
			vs, err := s.Store.Variants(ctx, p.Workspace.ID, id)
			if err != nil {
				return err
			}
			for _, v := range vs {
				if v.Text != "" && !slices.Contains(out.textChans, v.ChannelID) {
					out.textChans = append(out.textChans, v.ChannelID)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		slices.Sort(out.textChans)
		out.cw = csv.NewWriter(w)
	}
	if err := out.begin(); err != nil {
		return err
	}
	err = s.eachPostID(ctx, p, q, first, func(id int64) error {
		row, err := s.exportRow(ctx, p, id)
		if err != nil {
			return err
		}
		return out.row(row)
	})
	if err != nil {
		return err
	}
	return out.end()
}

// eachPostID calls fn with the id of every post of the query, page by
// page, starting from its first page.
func (s *Service) eachPostID(ctx context.Context, p auth.Principal, q Query, pg Page, fn func(int64) error) error {
	for {
		for _, it := range pg.Items {
			if err := fn(it.ID); err != nil {
				return err
			}
		}
		if pg.NextCursor == "" {
			return nil
		}
		q.Cursor = pg.NextCursor
		var err error
		if pg, err = s.Page(ctx, p, q); err != nil {
			return err
		}
	}
}

// exportRow reads one post's export row: library media as media:ID.
func (s *Service) exportRow(ctx context.Context, p auth.Principal, id int64) (ExportRow, error) {
	post, err := s.Store.Post(ctx, p.Workspace.ID, id)
	if err != nil {
		return ExportRow{}, err
	}
	v, err := s.viewOf(ctx, post, false)
	if err != nil {
		return ExportRow{}, err
	}
	row := ExportRow{ID: v.ID, State: v.State, ScheduledAt: v.ScheduledAt, Timezone: v.Timezone, Text: v.Text, Link: v.Link,
		Labels: v.Labels, Channels: []int64{}, MediaURLs: []string{}, Variants: v.Variants}
	seenURL := map[string]bool{}
	for _, vv := range v.Variants {
		row.Channels = append(row.Channels, vv.ChannelID)
		for _, m := range vv.Media {
			ref := m.URL
			if m.MediaID != 0 {
				ref = "media:" + strconv.FormatInt(m.MediaID, 10)
			}
			if ref != "" && !seenURL[ref] {
				seenURL[ref] = true
				row.MediaURLs = append(row.MediaURLs, ref)
			}
		}
	}
	return row, nil
}

// channelNames names each channel in files: its handle without the
// leading @ (which spreadsheets read as a formula) when no other channel of
// the workspace has it, else its id.
func channelNames(chans []store.Channel) map[int64]string {
	handle := func(c store.Channel) string { return strings.ToLower(strings.TrimPrefix(c.Handle, "@")) }
	count := map[string]int{}
	for _, c := range chans {
		count[handle(c)]++
	}
	names := map[int64]string{}
	for _, c := range chans {
		names[c.ID] = strconv.FormatInt(c.ID, 10)
		if h := handle(c); h != "" && count[h] == 1 {
			if _, err := strconv.ParseInt(h, 10, 64); err != nil {
				names[c.ID] = strings.TrimPrefix(c.Handle, "@")
			}
		}
	}
	return names
}

// exportWriter writes export rows one at a time: the JSON document
// {"posts": [...]} (indented as json.Encoder would) or CSV with its header.
type exportWriter struct {
	w         io.Writer
	cw        *csv.Writer // nil: JSON
	names     map[int64]string
	textChans []int64 // channels with a "text (channel)" column, in order
	rows      int
}

// name is a channel's name in the file.
func (e *exportWriter) name(id int64) string {
	if n, ok := e.names[id]; ok {
		return n
	}
	return strconv.FormatInt(id, 10)
}

func (e *exportWriter) begin() error {
	if e.cw != nil {
		header := slices.Clone(ExportHeader)
		for _, id := range e.textChans {
			header = append(header, ChannelTextColumn(e.name(id)))
		}
		return e.wrap(e.cw.Write(header))
	}
	_, err := io.WriteString(e.w, "{\n  \"posts\": [")
	return e.wrap(err)
}

func (e *exportWriter) row(r ExportRow) error {
	e.rows++
	if e.cw == nil {
		b, err := json.MarshalIndent(r, "    ", "  ")
		if err != nil {
			return fmt.Errorf("compose: export: %w", err)
		}
		sep := ",\n    "
		if e.rows == 1 {
			sep = "\n    "
		}
		_, err = io.WriteString(e.w, sep+string(b))
		return e.wrap(err)
	}
	var date, clock string
	if r.ScheduledAt != nil {
		loc, err := time.LoadLocation(r.Timezone)
		if err != nil {
			loc = time.UTC
		}
		local := r.ScheduledAt.In(loc)
		date, clock = local.Format("2006-01-02"), local.Format("15:04")
		if local.Second() != 0 {
			clock = local.Format("15:04:05")
		}
	}
	chans := make([]string, len(r.Channels))
	for i, c := range r.Channels {
		chans[i] = e.name(c)
	}
	labels := make([]string, len(r.Labels))
	for i, l := range r.Labels {
		labels[i] = l.Key + "=" + l.Value
	}
	rec := []string{strconv.FormatInt(r.ID, 10), r.State, date, clock, r.Timezone, strings.Join(chans, "|"),
		r.Text, strings.Join(r.MediaURLs, "|"), r.Link, strings.Join(labels, ";")}
	for _, id := range e.textChans {
		text := ""
		for _, vv := range r.Variants {
			if vv.ChannelID == id {
				text = vv.Text
			}
		}
		rec = append(rec, text)
	}
	for i := range rec {
		rec[i] = SafeCell(rec[i])
	}
	if err := e.cw.Write(rec); err != nil {
		return e.wrap(err)
	}
	if e.rows%exportPageSize == 0 {
		e.cw.Flush() // a page at a time reaches the reader
	}
	return e.wrap(e.cw.Error())
}

func (e *exportWriter) end() error {
	if e.cw != nil {
		e.cw.Flush()
		return e.wrap(e.cw.Error())
	}
	tail := "\n  ]\n}\n"
	if e.rows == 0 {
		tail = "]\n}\n"
	}
	_, err := io.WriteString(e.w, tail)
	return e.wrap(err)
}

func (e *exportWriter) wrap(err error) error {
	if err != nil {
		return fmt.Errorf("compose: export: %w", err)
	}
	return nil
}

// SampleImport is a sample import file for a workspace: two rows a week
// and a fortnight from now, on its first two channels, with every import
// column but "media url" filled (media URLs must point to real files, and
// some networks take none).
func SampleImport(chans []store.Channel, timezone string, now time.Time) []byte {
	names := channelNames(chans)
	var use []string
	for _, c := range chans {
		if len(use) < 2 {
			use = append(use, names[c.ID])
		}
	}
	if len(use) == 0 {
		use = []string{"channel"}
	}
	if timezone == "" {
		timezone = "UTC"
	}
	header := []string{ColDate, ColTime, ColZone, ColChannels, ColText, ChannelTextColumn(use[0]), ColMedia, ColLink, ColLabels, ColTags}
	week, fortnight := now.AddDate(0, 0, 7).Format("2006-01-02"), now.AddDate(0, 0, 14).Format("2006-01-02")
	rows := [][]string{header,
		{week, "09:30", timezone, strings.Join(use, "|"), "Our spring collection is here.", "Spring is here: the collection, in short.",
			"", "https://example.com/spring", "theme=spring;audience=customers", "launch,spring"},
		{fortnight, "17:00", timezone, use[0], "Thank you for a great season!", "", "", "", "theme=thanks", ""},
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	for _, r := range rows {
		for i := range r {
			r[i] = SafeCell(r[i])
		}
		_ = cw.Write(r)
	}
	cw.Flush()
	return buf.Bytes()
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (OWASP's CSV injection list).
const formulaStarts = "=+-@\t\r"

// SafeCell keeps spreadsheets from running a cell as a formula (CSV
// injection) by prefixing a cell that starts with =, +, -, @, tab or CR
// with a quote. An import of relais's own export takes the quote off again
// (unguardCell), so posts that start with a mention or a dash come back
// unchanged.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

// RotateFeedSecret makes a new secret for the workspace's iCal feed and
// returns the token (shown once); the previous URL stops working.
func (s *Service) RotateFeedSecret(ctx context.Context, p auth.Principal) (string, error) {
	if err := need(p, auth.ActManageWorkspace); err != nil {
		return "", err
	}
	token, hash, err := calendar.NewFeedSecret()
	if err != nil {
		return "", err
	}
	if err := s.Store.SetFeedSecret(ctx, p.Workspace.ID, hash, s.now()); err != nil {
		return "", err
	}
	return token, nil
}

// DisableFeed turns the workspace's iCal feed off.
func (s *Service) DisableFeed(ctx context.Context, p auth.Principal) error {
	if err := need(p, auth.ActManageWorkspace); err != nil {
		return err
	}
	return s.Store.SetFeedSecret(ctx, p.Workspace.ID, "", s.now())
}

// feedStates are the posts the feed shows: those planned to go out or out.
var feedStates = []store.PostState{store.PostScheduled, store.PostPublishing, store.PostPublished, store.PostPartiallyPublished,
	store.PostFailed, store.PostNeedsReview, store.PostApproved, store.PostInReview}

// ICal returns the iCalendar feed of the workspace whose feed token is
// secret: posts from 90 days ago to a year ahead. An unknown secret is store.ErrNotFound.
func (s *Service) ICal(ctx context.Context, secret string) ([]byte, error) {
	if secret == "" {
		return nil, store.ErrNotFound
	}
	wsID, err := s.Store.WorkspaceByFeedSecret(ctx, calendar.FeedSecretHash(secret))
	if err != nil {
		return nil, err
	}
	ws, err := s.Store.WorkspaceByID(ctx, wsID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	posts, err := s.Store.Posts(ctx, wsID, store.PostFilter{States: feedStates, From: now.AddDate(0, 0, -90), To: now.AddDate(1, 0, 0), Limit: 5000})
	if err != nil {
		return nil, err
	}
	host := strings.TrimPrefix(strings.TrimPrefix(s.BaseURL, "https://"), "http://")
	if host == "" {
		host = "relais.invalid"
	}
	cal := calendar.ICalendar{Name: ws.Name, Stamp: now}
	for _, p := range posts {
		if p.ScheduledAt == nil {
			continue
		}
		summary := strings.TrimSpace(p.Text)
		if r := []rune(summary); len(r) > 80 {
			summary = string(r[:79]) + "…"
		}
		if summary == "" {
			summary = "Post " + strconv.FormatInt(p.ID, 10)
		}
		ev := calendar.Event{UID: fmt.Sprintf("post-%d@%s", p.ID, host), Start: *p.ScheduledAt, Summary: "[" + string(p.State) + "] " + summary, Description: p.Text}
		if s.BaseURL != "" {
			ev.URL = s.BaseURL + "/posts/" + strconv.FormatInt(p.ID, 10)
		}
		cal.Events = append(cal.Events, ev)
	}
	var buf bytes.Buffer
	if err := calendar.WriteICal(&buf, cal); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
