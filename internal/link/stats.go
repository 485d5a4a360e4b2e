package link

import (
	"context"
	"time"

	"github.com/relais/relais/internal/store"
)

// KeyCount is a count of clicks under a key (a day, a referrer host, a device class, a bot's name).
type KeyCount struct {
	Key    string `json:"key"`
	Clicks int64  `json:"clicks"`
	Unique int64  `json:"unique_clicks"`
	Bots   int64  `json:"bot_clicks"`
}

// ClickStats is clicks over a period, as the API and the CLI print them.
type ClickStats struct {
	From       time.Time  `json:"from"`
	To         time.Time  `json:"to"`
	Clicks     int64      `json:"clicks"`
	Unique     int64      `json:"unique_clicks"`
	Bots       int64      `json:"bot_clicks"`
	ByDay      []KeyCount `json:"by_day" doc:"Per UTC day (YYYY-MM-DD) with clicks"`
	ByReferrer []KeyCount `json:"by_referrer" doc:"Per referrer host (empty key: none sent)"`
	ByDevice   []KeyCount `json:"by_device" doc:"Per device class: mobile, tablet, desktop"`
	ByBot      []KeyCount `json:"by_bot" doc:"Per bot name (empty key: people)"`
	Country    string     `json:"country" doc:"Always unknown: no geolocation database is bundled"`
}

// Stats counts the clicks selected by f in [from, to) and breaks them down
// by day, referrer, device and bot.
func Stats(ctx context.Context, st store.LinkStore, ws int64, f store.ClickFilter, from, to time.Time) (ClickStats, error) {
	out := ClickStats{From: from, To: to, Country: "unknown"}
	total, err := st.CountClicks(ctx, ws, f, from, to)
	if err != nil {
		return out, err
	}
	out.Clicks, out.Unique, out.Bots = total.Clicks, total.Unique, total.Bots
	for _, b := range []struct {
		by  string
		dst *[]KeyCount
	}{{store.ClicksByDay, &out.ByDay}, {store.ClicksByReferrer, &out.ByReferrer}, {store.ClicksByDevice, &out.ByDevice}, {store.ClicksByBot, &out.ByBot}} {
		rows, err := st.ClickBreakdown(ctx, ws, f, b.by, from, to)
		if err != nil {
			return out, err
		}
		*b.dst = []KeyCount{}
		for _, r := range rows {
			*b.dst = append(*b.dst, KeyCount{Key: r.Key, Clicks: r.Clicks, Unique: r.Unique, Bots: r.Bots})
		}
	}
	return out, nil
}
