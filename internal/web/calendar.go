package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// calItem is a post in a calendar cell.
type calItem struct {
	compose.CalendarItem
	// Time is the wall-clock time in the workspace's zone ("15:04").
	Time     string
	Networks []string
	Movable  bool
	// Thumb is the file URL of the post's first library image ("" without one).
	Thumb string
}

// calHour is one hour row of the week view's grid.
type calHour struct {
	Hour  int
	Label string // 15:00
	Cells []calCell
}

// calCell is one day's hour in the week view: a drop target that sets the time.
type calCell struct {
	Date  string
	Hour  int
	Today bool
	Items []calItem
}

// Planned reports whether the item's time is the author's plan, not yet a
// schedule (a draft, or a post in review or approved).
func (c calItem) Planned() bool { return plannedState(store.PostState(c.State)) }

// plannedState: the states in which a post's time is planned, not scheduled.
func plannedState(st store.PostState) bool {
	return st == store.PostDraft || st == store.PostInReview || st == store.PostApproved
}

// calDay is one day of a month or week grid.
type calDay struct {
	Date    string // 2006-01-02
	Day     int
	Weekday int
	InMonth bool
	Today   bool
	Items   []calItem
}

// calendarData is the calendar page.
type calendarData struct {
	View  string // month, week or list
	Title string
	Date  string
	Prev  string
	Next  string
	Today string
	Weeks [][]calDay
	Days  []calDay
	// Hours is the week view's grid, one row per hour of the day.
	Hours    []calHour
	List     []calItem
	Channels []composeChannel
	States   []store.PostState
	// Filter is the query string of the filters, kept by the view links.
	Filter   url.Values
	Channel  int64
	Label    string
	State    string
	Timezone string

	// NextCursor continues the list view after its last post ("": it was the last page);
	// Paged tells a later page from the first.
	NextCursor string
	Paged      bool
}

// allStates are the post states the filter offers.
var allStates = []store.PostState{store.PostDraft, store.PostInReview, store.PostApproved, store.PostScheduled, store.PostPublishing,
	store.PostPublished, store.PostPartiallyPublished, store.PostFailed, store.PostNeedsReview, store.PostCancelled}

// calendar shows the posts by month, week or as a list, in the workspace's
// time zone, filtered by channel, label and state.
func (h *handler) calendar(w http.ResponseWriter, r *http.Request) {
	v := visitOf(r)
	p := h.newPage(r, "calendar.title")
	// The calendar plans in the workspace's zone, which it names; its
	// times (the list view's too) are in that zone, not the viewer's.
	p.loc = p.wsLoc
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	qs := r.URL.Query()
	d := calendarData{View: qs.Get("view"), States: allStates, Filter: url.Values{}, Label: qs.Get("label"), State: qs.Get("state"), Timezone: loc.String()}
	if d.View != "week" && d.View != "list" {
		d.View = "month"
	}
	now := time.Now().In(loc)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	if t, err := time.ParseInLocation(time.DateOnly, qs.Get("date"), loc); err == nil {
		day = t
	}
	d.Today = now.Format(time.DateOnly)
	q := compose.Query{}
	if id, err := strconv.ParseInt(qs.Get("channel"), 10, 64); err == nil && id > 0 {
		q.ChannelIDs, d.Channel = []int64{id}, id
		d.Filter.Set("channel", qs.Get("channel"))
	}
	if d.Label != "" {
		l, err := compose.ParseLabel(d.Label)
		if err != nil {
			p.Errors["label"] = p.T("calendar.label_format")
		} else {
			q.Labels = []store.Label{l}
			d.Filter.Set("label", d.Label)
		}
	}
	for _, s := range allStates {
		if string(s) == d.State {
			q.States = []store.PostState{s}
			d.Filter.Set("state", d.State)
		}
	}
	var first, end time.Time
	switch d.View {
	case "month":
		mStart := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, loc)
		first = mStart.AddDate(0, 0, -((int(mStart.Weekday()) + 6) % 7))
		mEnd := mStart.AddDate(0, 1, 0)
		end = first
		for end.Before(mEnd) {
			end = end.AddDate(0, 0, 7)
		}
		d.Title = p.T("monthlong."+strconv.Itoa(int(day.Month()))) + " " + strconv.Itoa(day.Year())
		d.Prev, d.Next = mStart.AddDate(0, -1, 0).Format(time.DateOnly), mStart.AddDate(0, 1, 0).Format(time.DateOnly)
	case "week":
		first = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
		end = first.AddDate(0, 0, 7)
		last := end.AddDate(0, 0, -1)
		d.Title = p.T("calendar.week_of", dayLabel(p, first), dayLabel(p, last))
		d.Prev, d.Next = first.AddDate(0, 0, -7).Format(time.DateOnly), first.AddDate(0, 0, 7).Format(time.DateOnly)
	default:
		q.Limit, q.Cursor = 500, qs.Get("cursor")
		d.Paged = q.Cursor != ""
	}
	d.Date = day.Format(time.DateOnly)
	if d.View != "list" {
		// Day boundaries come from time.Date in the zone, so a 23 or 25
		// hour day (a DST change) is still one cell.
		q.From, q.To = first.UTC(), end.UTC()
	}
	pg, err := h.d.Compose.Page(r.Context(), v.P, q)
	if e, ok := valid.As(err); ok && e.Field == "cursor" {
		// A stale or mangled page link: start the list again.
		http.Redirect(w, r, r.URL.Path+d.PageLink(""), http.StatusSeeOther)
		return
	}
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	items := pg.Items
	if d.View == "list" {
		d.NextCursor = pg.NextCursor
	}
	chans, err := h.d.Store.Channels(r.Context(), v.P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	netOf := map[int64]string{}
	for _, c := range chans {
		netOf[c.ID] = c.Network
		d.Channels = append(d.Channels, composeChannel{Channel: c, Name: networkName(c.Network)})
	}
	canMove := p.Can("publish")
	byDay := map[string][]calItem{}
	var thumbs map[int64]string
	if d.View != "list" { // the list shows no thumbnails
		if thumbs, err = h.calendarThumbs(r, items); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	for _, it := range items {
		ci := calItem{CalendarItem: it, Movable: canMove && it.State == string(store.PostScheduled), Thumb: thumbs[it.ID]}
		for _, id := range it.ChannelIDs {
			ci.Networks = append(ci.Networks, netOf[id])
		}
		if it.ScheduledAt != nil {
			t := it.ScheduledAt.In(loc)
			ci.Time = t.Format("15:04")
			byDay[t.Format(time.DateOnly)] = append(byDay[t.Format(time.DateOnly)], ci)
		}
		d.List = append(d.List, ci)
	}
	for k := range byDay {
		sort.SliceStable(byDay[k], func(i, j int) bool { return byDay[k][i].Time < byDay[k][j].Time })
	}
	if d.View != "list" {
		var week []calDay
		for t := first; t.Before(end); t = time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc) {
			key := t.Format(time.DateOnly)
			cd := calDay{Date: key, Day: t.Day(), Weekday: int(t.Weekday()), InMonth: d.View == "week" || t.Month() == day.Month(), Today: key == d.Today, Items: byDay[key]}
			d.Days = append(d.Days, cd)
			week = append(week, cd)
			if len(week) == 7 {
				d.Weeks = append(d.Weeks, week)
				week = nil
			}
		}
	}
	if d.View == "week" {
		d.Hours = hourGrid(d.Days)
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "calendar", p)
}

// dayLabel writes a short day ("7 mars", "Mar 7").
func dayLabel(p *page, t time.Time) string {
	m := p.T("month." + strconv.Itoa(int(t.Month())))
	switch p.Lang {
	case "fr":
		return strconv.Itoa(t.Day()) + " " + m
	case "de":
		return strconv.Itoa(t.Day()) + ". " + m
	}
	return m + " " + strconv.Itoa(t.Day())
}

// Link is the calendar URL of a view and date, keeping the filters.
func (d calendarData) Link(view, date string) string {
	q := url.Values{}
	for k, v := range d.Filter {
		q[k] = v
	}
	q.Set("view", view)
	if date != "" {
		q.Set("date", date)
	}
	return "?" + q.Encode()
}

// PageLink is the list view's URL of the page after cursor ("": the first), keeping the filters.
func (d calendarData) PageLink(cursor string) string {
	l := d.Link("list", "")
	if cursor != "" {
		l += "&" + url.Values{"cursor": {cursor}}.Encode()
	}
	return l
}

// calItemRef is a calendar item with its workspace, for the item template.
type calItemRef struct {
	Slug string
	Item calItem
}

// excerpt shortens text to n characters at most, for calendar cells.
func excerpt(text string, n int) string {
	r := []rune(text)
	if len(r) <= n {
		return text
	}
	return string(r[:n-1]) + "…"
}

// hourGrid lays a week's items out by hour of the day (their wall-clock
// hour in the workspace's zone).
func hourGrid(days []calDay) []calHour {
	rows := make([]calHour, 24)
	for h := range rows {
		rows[h] = calHour{Hour: h, Label: fmt.Sprintf("%02d:00", h)}
		for _, d := range days {
			c := calCell{Date: d.Date, Hour: h, Today: d.Today}
			for _, it := range d.Items {
				if hour, err := strconv.Atoi(it.Time[:2]); err == nil && hour == h {
					c.Items = append(c.Items, it)
				}
			}
			rows[h].Cells = append(rows[h].Cells, c)
		}
	}
	return rows
}
