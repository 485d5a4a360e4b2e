package web

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/calendar"
	"github.com/relais/relais/internal/compose"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/valid"
)

// slotRow is a channel with its posting slots: the weekly grid, the text
// form in the page's language and the next slots with what they hold.
type slotRow struct {
	composeChannel
	Spec, Timezone string
	Grid           []slotGridRow
	Queue          []compose.QueuedSlot
	// Suggested is what the best-time model recommends for the channel's slots.
	Suggested analytics.SlotSuggestion
	// SuggestedNew says whether a suggested slot is not among the slots yet.
	SuggestedNew bool
}

// SuggestedLabels are the suggested slots as the grid names them: the ISO
// day (the weekday.N key), the time and the model's index.
func (r slotRow) SuggestedLabels() []struct {
	Day, Time string
	Index     int
} {
	out := make([]struct {
		Day, Time string
		Index     int
	}, len(r.Suggested.Slots))
	for i, s := range r.Suggested.Slots {
		out[i].Day, out[i].Time, out[i].Index = isoDay(s.Weekday), fmt.Sprintf("%02d:%02d", s.Hour, s.Minute), int(math.Round(s.Index))
	}
	return out
}

// publishingData is the publishing settings page.
type publishingData struct {
	Slots []slotRow
	Zones []string
	// FeedURL is the new iCal feed URL, shown once after a rotation.
	FeedURL string
}

// publishing shows the posting slots per channel, the iCal feed and the
// import and export links.
func (h *handler) publishing(w http.ResponseWriter, r *http.Request) {
	h.renderPublishing(w, r, http.StatusOK, h.newPage(r, "publishing.title"), "")
}

func (h *handler) renderPublishing(w http.ResponseWriter, r *http.Request, status int, p *page, feedURL string) {
	v := visitOf(r)
	chans, err := h.d.Store.Channels(r.Context(), v.P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := publishingData{Zones: timeZones, FeedURL: feedURL}
	models := map[string][]analytics.ChannelBestTimes{} // the model per zone of slots, fitted once
	for _, c := range chans {
		s, err := h.d.Compose.GetSlots(r.Context(), v.P, c.ID)
		if err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
		row := slotRow{composeChannel: composeChannel{Channel: c, Name: networkName(c.Network)}, Spec: calendar.FormatSlotsIn(s.Slots, p.Lang),
			Timezone: s.Timezone, Grid: slotGrid(s.Slots)}
		if row.Timezone == "" {
			row.Timezone = v.P.Workspace.Timezone
		}
		if row.Queue, err = h.d.Compose.SlotQueue(r.Context(), v.P, c.ID, slotQueueLength); err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
		model, ok := models[s.Timezone]
		if !ok {
			if model, err = h.analyticsService().BestTimes(r.Context(), v.P.Workspace.ID, s.Timezone, time.Now()); err != nil {
				h.serverError(w, r, err)
				return
			}
			models[s.Timezone] = model
		}
		row.Suggested = analytics.SuggestionFor(model, c.ID, s.Timezone)
		row.SuggestedNew = len(row.Suggested.WithSuggested(s.Slots)) > len(s.Slots)
		d.Slots = append(d.Slots, row)
	}
	p.Data = d
	h.render(w, r, status, "publishing", p)
}

// saveSlots saves one channel's posting slots ("Mon-Fri 09:00,12:30").
func (h *handler) saveSlots(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	_, err := h.d.Compose.SetSlots(r.Context(), visitOf(r).P, pathID(r, "id"), r.PostFormValue("spec"), r.PostFormValue("timezone"))
	h.slotsSaved(w, r, err, "spec."+id, map[string]string{"spec." + id: r.PostFormValue("spec"), "timezone." + id: r.PostFormValue("timezone")})
}

// addSuggestedSlots adds the best-time model's recommended slots to a
// channel's posting slots.
func (h *handler) addSuggestedSlots(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	_, _, err := h.analyticsService().SuggestForChannel(r.Context(), h.d.Compose, visitOf(r).P, pathID(r, "id"), true)
	h.slotsSaved(w, r, err, "grid."+r.PathValue("id"), nil)
}

// slotsSaved answers a save of posting slots: back to the publishing page,
// or the page again with the error beside the form that sent it (errKey)
// and the values to keep.
func (h *handler) slotsSaved(w http.ResponseWriter, r *http.Request, err error, errKey string, keep map[string]string) {
	if err == nil {
		h.redirectWithFlash(w, r, wsPath(r, "/publishing"), "flash.slots_saved")
		return
	}
	if isNotFound(err) {
		h.notFoundPage(w, r)
		return
	}
	e, ok := valid.As(err)
	if !ok {
		h.fail(w, r, err, "", nil)
		return
	}
	p := h.newPage(r, "publishing.title")
	for k, v := range keep {
		p.Form[k] = v
	}
	p.Errors[errKey] = translateInvalid(p, e)
	h.renderPublishing(w, r, http.StatusUnprocessableEntity, p, "")
}

// rotateFeed makes a new iCal feed URL and shows it once.
func (h *handler) rotateFeed(w http.ResponseWriter, r *http.Request) {
	token, err := h.d.Compose.RotateFeedSecret(r.Context(), visitOf(r).P)
	if err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	p := h.newPage(r, "publishing.title")
	p.Flash = "flash.feed_rotated"
	h.renderPublishing(w, r, http.StatusOK, p, h.d.BaseURL+"/ical/"+token+".ics")
}

// disableFeed turns the iCal feed off.
func (h *handler) disableFeed(w http.ResponseWriter, r *http.Request) {
	if !visitOf(r).P.Can(auth.ActManageWorkspace) {
		h.notFoundPage(w, r)
		return
	}
	if err := h.d.Compose.DisableFeed(r.Context(), visitOf(r).P); err != nil {
		h.fail(w, r, err, "", nil)
		return
	}
	h.redirectWithFlash(w, r, wsPath(r, "/publishing"), "flash.feed_disabled")
}
