package compose

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
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
}

// ErrImportRefused wraps every reason an import saved nothing.
var ErrImportRefused = errors.New("compose: nothing imported")

// Import reads a bulk-scheduling CSV file. Each row is checked (time, time
// zone, channels by id or handle, and the text against every channel's
// limits); nothing is saved when any row is invalid unless validOnly, then
// only the valid rows are. The posts are created in one transaction, then
// scheduled at their times when the principal may publish and the
// workspace does not require approval; otherwise they wait in review (or
// as drafts) with their planned time.
func (s *Service) Import(ctx context.Context, p auth.Principal, r io.Reader, validOnly bool) (ImportResult, error) {
	if err := need(p, auth.ActCompose); err != nil {
		return ImportResult{}, err
	}
	tz, _ := checkTimezone("timezone", "", p.Workspace.Timezone)
	rows, rep := ParseImport(r, tz)
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
	rep = CheckRows(rows, rep, s.now(), func(name string) (network.Limits, bool) {
		c, ok := lookup(name)
		if !ok {
			return network.Limits{}, false
		}
		return s.Limits.Limits(c), true
	})
	res := ImportResult{Report: rep, PostIDs: []int64{}}
	accepted, err := Accept(rows, rep, validOnly)
	if err != nil {
		res.Error = err.Error()
		return res, fmt.Errorf("%w: %w", ErrImportRefused, err)
	}
	state := store.PostDraft
	schedule := p.Can(auth.ActPublish) && !NeedsApproval(p)
	if NeedsApproval(p) {
		state = store.PostInReview
	}
	nps := make([]store.NewPost, 0, len(accepted))
	for _, row := range accepted {
		at := row.At
		post := &store.Post{WorkspaceID: p.Workspace.ID, AuthorID: p.User.ID, State: state, Text: row.Text, Link: row.Link,
			Timezone: row.TimeZone, ScheduledAt: &at}
		keys := make([]string, 0, len(row.Labels))
		for k := range row.Labels {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			post.Labels = append(post.Labels, store.Label{Key: strings.ToLower(k), Value: row.Labels[k]})
		}
		var media json.RawMessage
		if len(row.MediaURLs) > 0 {
			refs := make([]MediaRef, len(row.MediaURLs))
			for i, u := range row.MediaURLs {
				refs[i] = MediaRef{URL: u}
			}
			media, _ = json.Marshal(refs)
		}
		seen := map[int64]bool{}
		var vs []store.Variant
		for _, name := range row.Channels {
			c, _ := lookup(name)
			if !seen[c.ID] {
				seen[c.ID] = true
				vs = append(vs, store.Variant{ChannelID: c.ID, Media: media})
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
		for _, id := range ids {
			s.record(ctx, p, id, "scheduled", time.UnixMilli(ms).UTC().Format(time.RFC3339)+" ("+zone+")")
		}
		res.Scheduled += len(ids)
	}
	return res, nil
}

// ExportRow is one post as exported; the CSV has the import's columns
// (date, time, time zone, channels, text, media url, link, labels) plus
// id and state, so an export can be imported again.
type ExportRow struct {
	ID          int64         `json:"id"`
	State       string        `json:"state"`
	ScheduledAt *time.Time    `json:"scheduled_at,omitempty"`
	Timezone    string        `json:"timezone"`
	Channels    []int64       `json:"channels"`
	Text        string        `json:"text"`
	MediaURLs   []string      `json:"media_urls"`
	Link        string        `json:"link,omitempty"`
	Labels      []store.Label `json:"labels"`
	Variants    []VariantView `json:"variants"`
}

// ExportHeader is the CSV export's header row.
var ExportHeader = []string{"id", "state", "date", "time", "time zone", "channels", "text", "media url", "link", "labels"}

// exportPageSize is how many posts an export reads at a time.
const exportPageSize = 500

// Export writes every post of a query as "csv" or "json", reading them page
// by page (no cap on their number) and writing each page before the next is
// read. Nothing is written when the query is refused.
func (s *Service) Export(ctx context.Context, p auth.Principal, q Query, format string, w io.Writer) error {
	if format != "csv" && format != "json" {
		return validErr("format", "invalid", "format must be csv or json")
	}
	q.Cursor, q.Limit = "", exportPageSize
	pg, err := s.Page(ctx, p, q)
	if err != nil {
		return err
	}
	out := newExportWriter(format, w)
	if err := out.begin(); err != nil {
		return err
	}
	for {
		for _, it := range pg.Items {
			row, err := s.exportRow(ctx, p, it.ID)
			if err != nil {
				return err
			}
			if err := out.row(row); err != nil {
				return err
			}
		}
		if pg.NextCursor == "" {
			return out.end()
		}
		q.Cursor = pg.NextCursor
		if pg, err = s.Page(ctx, p, q); err != nil {
			return err
		}
	}
}

// exportRow reads one post's export row.
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
			if m.URL != "" && !seenURL[m.URL] {
				seenURL[m.URL] = true
				row.MediaURLs = append(row.MediaURLs, m.URL)
			}
		}
	}
	return row, nil
}

// exportWriter writes export rows one at a time: the JSON document
// {"posts": [...]} (indented as json.Encoder would) or CSV with its header.
type exportWriter struct {
	w    io.Writer
	cw   *csv.Writer // nil: JSON
	rows int
}

func newExportWriter(format string, w io.Writer) *exportWriter {
	e := &exportWriter{w: w}
	if format == "csv" {
		e.cw = csv.NewWriter(w)
	}
	return e
}

func (e *exportWriter) begin() error {
	if e.cw != nil {
		return e.wrap(e.cw.Write(ExportHeader))
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
	}
	chans := make([]string, len(r.Channels))
	for i, c := range r.Channels {
		chans[i] = strconv.FormatInt(c, 10)
	}
	labels := make([]string, len(r.Labels))
	for i, l := range r.Labels {
		labels[i] = l.Key + "=" + l.Value
	}
	rec := []string{strconv.FormatInt(r.ID, 10), r.State, date, clock, r.Timezone, strings.Join(chans, "|"),
		safeCell(r.Text), strings.Join(r.MediaURLs, "|"), safeCell(r.Link), safeCell(strings.Join(labels, ";"))}
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

// safeCell keeps spreadsheets from running a cell as a formula (CSV
// injection) by prefixing a leading =, + or control character with a
// quote. A leading - or @ is left alone: posts start with mentions and
// dashes, and exports must import again unchanged.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+\t\r", rune(s[0])) {
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
