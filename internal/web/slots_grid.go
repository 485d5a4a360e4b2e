package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/calendar"
	"github.com/relais/relais/internal/valid"
)

// slotQueueLength is how many upcoming slots the publishing page lists per channel.
const slotQueueLength = 8

// defaultSlotTimes are the rows the grid offers a channel without slots.
var defaultSlotTimes = []string{"09:00", "12:30", "18:00"}

// slotGridRow is one time of the weekly grid and its seven days, Monday first.
type slotGridRow struct {
	Time string
	Days [7]slotGridCell
}

// slotGridCell is one day at one time: a checkbox.
type slotGridCell struct {
	Value string // "1-09:00": ISO weekday and time
	Day   int    // 1 (Monday) … 7 (Sunday)
	On    bool
}

// slotGrid lays slots out as rows of times and columns of days.
func slotGrid(slots []calendar.Slot) []slotGridRow {
	on := map[string]bool{}
	var times []string
	for _, s := range slots {
		t := fmt.Sprintf("%02d:%02d", s.Hour, s.Minute)
		on[isoDay(s.Weekday)+"-"+t] = true
		if !slices.Contains(times, t) {
			times = append(times, t)
		}
	}
	if len(times) == 0 {
		times = defaultSlotTimes
	}
	slices.Sort(times)
	rows := make([]slotGridRow, len(times))
	for i, t := range times {
		rows[i].Time = t
		for d := 1; d <= 7; d++ {
			v := strconv.Itoa(d) + "-" + t
			rows[i].Days[d-1] = slotGridCell{Value: v, Day: d, On: on[v]}
		}
	}
	return rows
}

func isoDay(d time.Weekday) string { return strconv.Itoa((int(d)+6)%7 + 1) }

// saveSlotGrid saves a channel's posting slots from the weekly grid: the
// ticked cells ("slot" = "1-09:00") and a new time ticked on some days.
func (h *handler) saveSlotGrid(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	slots, err := gridSlots(r.PostForm["slot"], r.PostFormValue("new_time"), r.PostForm["new_day"])
	if err == nil {
		_, err = h.d.Compose.SetSlots(r.Context(), visitOf(r).P, pathID(r, "id"), calendar.FormatSlots(slots), r.PostFormValue("timezone"))
	}
	h.slotsSaved(w, r, err, "grid."+id, nil)
}

// gridSlots reads the grid's cells and its new row.
func gridSlots(cells []string, newTime string, newDays []string) ([]calendar.Slot, error) {
	if newTime = strings.TrimSpace(newTime); newTime != "" {
		for _, d := range newDays {
			cells = append(cells, d+"-"+newTime)
		}
	}
	var out []calendar.Slot
	for _, c := range cells {
		d, t, _ := strings.Cut(c, "-")
		day, err := strconv.Atoi(d)
		hs, ms, ok := strings.Cut(t, ":")
		if len(ms) == 5 && ms[2] == ':' {
			ms = ms[:2] // a time input with seconds
		}
		hour, herr := strconv.Atoi(hs)
		minute, merr := strconv.Atoi(ms)
		if err != nil || day < 1 || day > 7 || !ok || herr != nil || merr != nil || hour < 0 || hour > 23 || minute < 0 || minute > 59 {
			return nil, valid.Errorf("new_time", "format", "time %q is not HH:MM between 00:00 and 23:59", t)
		}
		s := calendar.Slot{Weekday: time.Weekday(day % 7), Hour: hour, Minute: minute}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}
