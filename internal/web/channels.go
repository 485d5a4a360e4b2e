package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// channelRow is one connected channel with its network's name and limits.
type channelRow struct {
	store.Channel
	NetworkName string
	Limits      string
	// FeedLinks are a website channel's public feed addresses, each with a
	// copy button (none for other networks).
	FeedLinks []feedLink
}

// feedLink is one feed address on a channel card.
type feedLink struct{ ID, Label, URL string }

// feedLinks lists the RSS, Atom and JSON Feed addresses of a website channel.
func feedLinks(c store.Channel, f *channel.FeedURLs) []feedLink {
	if f == nil {
		return nil
	}
	id := "feed-" + strconv.FormatInt(c.ID, 10)
	return []feedLink{{id + "-rss", "channels.feed_rss", f.RSS}, {id + "-atom", "channels.feed_atom", f.Atom}, {id + "-json", "channels.feed_json", f.JSON}}
}

// channelsData is the channels page: the channels and a connect form per network.
type channelsData struct {
	Channels []channelRow
	Kinds    []channel.KindInfo
	// Open names the network whose connect form is shown unfolded.
	Open string
	// Shown holds the secrets shown once after connecting a channel.
	Shown shownSecrets
}

// shownSecrets are the secrets of a channel just connected, shown once.
type shownSecrets struct {
	Kind    string
	Secrets []channel.ShownSecret
}

// channels lists the workspace's channels and the connect forms. With
// ?reconnect={id} the channel's connect form opens, filled with its settings.
func (h *handler) channels(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "channels.title")
	open := ""
	if id, err := strconv.ParseInt(r.URL.Query().Get("reconnect"), 10, 64); err == nil {
		c, err := h.d.Store.Channel(r.Context(), visitOf(r).P.Workspace.ID, id)
		if err != nil {
			h.fail(w, r, err, "", nil)
			return
		}
		open = c.Network
		for k, v := range c.Settings {
			p.Form[c.Network+"."+k] = v
		}
	}
	h.renderChannels(w, r, http.StatusOK, p, open)
}

func (h *handler) renderChannels(w http.ResponseWriter, r *http.Request, status int, p *page, open string) {
	h.renderChannelsShowing(w, r, status, p, open, shownSecrets{})
}

// renderChannelsShowing renders the channels page with the secrets of a
// channel just connected shown once.
func (h *handler) renderChannelsShowing(w http.ResponseWriter, r *http.Request, status int, p *page, open string, shown shownSecrets) {
	list, err := h.d.Store.Channels(r.Context(), visitOf(r).P.Workspace.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	data := channelsData{Open: open, Shown: shown}
	if h.d.Channels != nil {
		data.Kinds = h.d.Channels.Kinds()
	}
	for _, c := range list {
		row := channelRow{Channel: c, NetworkName: c.Network}
		if l, ok := network.LimitsFor(network.Kind(c.Network)); ok {
			row.NetworkName = l.Name
		}
		if h.d.Channels != nil {
			row.Limits = limitsSummary(p, h.d.Channels.Limits(c))
			row.FeedLinks = feedLinks(c, h.d.Channels.Feeds(c))
		}
		data.Channels = append(data.Channels, row)
	}
	p.Data = data
	h.render(w, r, status, "channels", p)
}

// connectError shows a failed connection next to the right field of the
// network's form (or at its top when the network refused the credentials).
func connectError(p *page, kind string, fields []network.Field, e *valid.Error) {
	key := kind + ".credentials"
	for _, f := range fields {
		if f.Name == e.Field {
			key = kind + "." + f.Name
		}
	}
	p.Errors[key] = translateInvalid(p, e)
}

// limitsSummary says in one line what a channel accepts.
func limitsSummary(p *page, l network.Limits) string {
	var parts []string
	if l.MaxText > 0 {
		unit := map[network.TextUnit]string{network.Bytes: p.T("limits.unit_bytes"), network.UTF16: p.T("limits.unit_utf16"),
			network.TwitterWeighted: p.T("limits.unit_weighted")}[l.TextUnit]
		if unit == "" {
			unit = p.T("limits.unit_chars")
		}
		parts = append(parts, p.T("limits.max_text", l.MaxText, unit))
	} else {
		parts = append(parts, p.T("limits.no_text_limit"))
	}
	if l.MaxMedia > 0 {
		parts = append(parts, p.N("limits.max_media", l.MaxMedia))
	}
	if l.Threads {
		parts = append(parts, p.T("limits.threads"))
	}
	if l.DailyPostCap > 0 {
		parts = append(parts, p.N("limits.daily_cap", l.DailyPostCap))
	}
	return strings.Join(parts, " · ")
}

// connectField is one input of a connect form with its value and error.
type connectField struct {
	ID, Kind, Value, Error string
	Field                  network.Field
}

// fieldOf prepares a connect form input (a template function); form tells
// apart the ids of two forms of the same network.
func fieldOf(p *page, form, kind string, f network.Field) connectField {
	key := kind + "." + f.Name
	return connectField{ID: form + "-" + kind + "-" + f.Name, Kind: kind, Value: p.Form[key], Error: p.Errors[key], Field: f}
}
