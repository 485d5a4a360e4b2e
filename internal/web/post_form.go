package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// threadSeparator splits a variant's thread textarea into parts: a line
// holding only three dashes.
const threadSeparator = "\n---\n"

// datetimeLayout is how an <input type="datetime-local"> sends a moment.
const datetimeLayout = "2006-01-02T15:04"

// composeChannel is one of the workspace's channels in the composer.
type composeChannel struct {
	store.Channel
	Name         string
	Threads      bool
	FirstComment bool
	// Options are the channel's post options (network.PostOptionsForChannel).
	Options  []network.Field
	Selected bool
	// Media are the library items chosen for this channel's override.
	Media map[int64]bool
}

// composeMedia is a library item in the media picker.
type composeMedia struct {
	store.Media
	Thumb    string
	Selected bool
}

// composerData is the composer page.
type composerData struct {
	// PostID is 0 for a new post.
	PostID   int64
	State    string
	Action   string
	Channels []composeChannel
	Media    []composeMedia
	Snippets []store.Snippet
	Zones    []string
	// Labels are the suggestions of the label fields.
	Labels labelSuggestions
	// Languages are offered in the language select (after "auto").
	Languages []struct{ Code, Name string }
	Live      liveData
	// Approval is true when the caller's posts need approval before they are
	// scheduled: the main button is then "Submit for review".
	Approval bool
	// Policy is the workspace's approval policy (nobody, editors, everyone),
	// and SelfApproval whether authors may approve their own posts: the hint.
	Policy       compose.Policy
	SelfApproval bool
}

// postForm is a post as typed in the composer: the input for the core and
// the raw selections for showing the form again.
type postForm struct {
	In        compose.PostInput
	Selected  map[int64]bool
	BaseMedia map[int64]bool
	VarMedia  map[int64]map[int64]bool
}

// ids reads the form values of name as ids, skipping anything else.
func ids(r *http.Request, name string) []int64 {
	var out []int64
	for _, s := range r.PostForm[name] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func refsOf(list []int64) []compose.MediaRef {
	var out []compose.MediaRef
	for _, id := range list {
		out = append(out, compose.MediaRef{MediaID: id})
	}
	return out
}

func setOf(list []int64) map[int64]bool {
	out := map[int64]bool{}
	for _, id := range list {
		out[id] = true
	}
	return out
}

// parseLabels reads labels written one per line or separated by commas
// ("theme=launch, target_group=students"); a part without "=" is kept as
// its own key so the core names it in its error.
func parseLabels(s string) ([]store.Label, error) {
	var out []store.Label
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		l, err := compose.ParseLabel(part)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

// readPostForm turns the composer's form into a compose.PostInput and keeps
// every typed value in p.Form.
func readPostForm(r *http.Request, p *page) (postForm, error) {
	keep(p, r, "text", "link", "labels", "label_"+compose.LabelTargetGroup, "label_"+compose.LabelTheme, "timezone", "at", "media_urls", "language")
	f := postForm{VarMedia: map[int64]map[int64]bool{}}
	base := ids(r, "media")
	f.BaseMedia = setOf(base)
	f.In = compose.PostInput{Text: r.PostFormValue("text"), Link: strings.TrimSpace(r.PostFormValue("link")),
		Media: append(refsOf(base), urlRefs(r.PostFormValue("media_urls"))...), Timezone: r.PostFormValue("timezone"),
		Language: r.PostFormValue("language")}
	chosen := ids(r, "channel")
	f.Selected = setOf(chosen)
	for _, id := range chosen {
		pre := "v." + strconv.FormatInt(id, 10) + "."
		keep(p, r, pre+"text", pre+"link", pre+"thread", pre+"first_comment", pre+"media_urls")
		vm := ids(r, pre+"media")
		f.VarMedia[id] = setOf(vm)
		v := compose.VariantInput{ChannelID: id, Text: r.PostFormValue(pre + "text"), Link: strings.TrimSpace(r.PostFormValue(pre + "link")),
			Media: append(refsOf(vm), urlRefs(r.PostFormValue(pre+"media_urls"))...), FirstComment: strings.TrimSpace(r.PostFormValue(pre + "first_comment"))}
		for key := range r.PostForm {
			if name, ok := strings.CutPrefix(key, pre+"opt."); ok && name != "" {
				keep(p, r, key)
				if val := strings.TrimSpace(r.PostFormValue(key)); val != "" {
					if v.Options == nil {
						v.Options = map[string]string{}
					}
					v.Options[name] = val
				}
			}
		}
		if th := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(pre+"thread"), "\r\n", "\n")); th != "" {
			for _, part := range strings.Split("\n"+th+"\n", threadSeparator) {
				if part = strings.TrimSpace(part); part != "" {
					v.ThreadParts = append(v.ThreadParts, part)
				}
			}
		}
		f.In.Variants = append(f.In.Variants, v)
	}
	labels, err := readLabels(r)
	f.In.Labels = labels
	return f, err
}

// formOfPost fills the composer's form from a saved post.
func formOfPost(v compose.PostView, p *page, loc *time.Location) postForm {
	f := postForm{Selected: map[int64]bool{}, BaseMedia: map[int64]bool{}, VarMedia: map[int64]map[int64]bool{}}
	p.Form["text"], p.Form["link"], p.Form["timezone"], p.Form["language"] = v.Text, v.Link, v.Timezone, v.Language
	f.In = compose.PostInput{Text: v.Text, Link: v.Link, Labels: v.Labels, Timezone: v.Timezone, Language: v.Language}
	showLabels(p, v.Labels)
	if v.ScheduledAt != nil {
		if z, err := time.LoadLocation(v.Timezone); err == nil {
			loc = z
		}
		p.Form["at"] = v.ScheduledAt.In(loc).Format(datetimeLayout)
	}
	// The core copies the base media into every variant; media that every
	// variant shares show again as the base media.
	shared := len(v.Variants) > 0
	for _, x := range v.Variants {
		shared = shared && mediaKey(x.Media) == mediaKey(v.Variants[0].Media)
	}
	if shared {
		f.In.Media = v.Variants[0].Media
		for _, m := range f.In.Media {
			f.BaseMedia[m.MediaID] = m.MediaID != 0
		}
		p.Form["media_urls"] = urlsOf(f.In.Media)
	}
	for _, x := range v.Variants {
		f.Selected[x.ChannelID] = true
		pre := "v." + strconv.FormatInt(x.ChannelID, 10) + "."
		p.Form[pre+"text"], p.Form[pre+"link"], p.Form[pre+"first_comment"] = x.Text, x.Link, x.FirstComment
		p.Form[pre+"thread"] = strings.Join(x.ThreadParts, threadSeparator)
		for k, val := range x.Options {
			p.Form[pre+"opt."+k] = val
		}
		vi := compose.VariantInput{ChannelID: x.ChannelID, Text: x.Text, Link: x.Link, ThreadParts: x.ThreadParts, FirstComment: x.FirstComment, Options: x.Options}
		f.VarMedia[x.ChannelID] = map[int64]bool{}
		if !shared {
			vi.Media = x.Media
			for _, m := range x.Media {
				f.VarMedia[x.ChannelID][m.MediaID] = m.MediaID != 0
			}
			p.Form[pre+"media_urls"] = urlsOf(x.Media)
		}
		f.In.Variants = append(f.In.Variants, vi)
	}
	return f
}

// urlsOf lists the media given by URL (a CSV import's), one per line, so
// an edit keeps them.
func urlsOf(refs []compose.MediaRef) string {
	var out []string
	for _, r := range refs {
		if r.MediaID == 0 && r.URL != "" {
			out = append(out, r.URL)
		}
	}
	return strings.Join(out, "\n")
}

// urlRefs reads the media URLs kept by urlsOf.
func urlRefs(s string) []compose.MediaRef {
	var out []compose.MediaRef
	for _, u := range strings.Fields(s) {
		out = append(out, compose.MediaRef{URL: u})
	}
	return out
}

// mediaKey identifies a list of media references, for comparing variants.
func mediaKey(refs []compose.MediaRef) string {
	var b strings.Builder
	for _, r := range refs {
		b.WriteString(strconv.FormatInt(r.MediaID, 10) + "|" + r.URL + ";")
	}
	return b.String()
}

// composer prepares the composer's data for the form f.
func (h *handler) composer(ctx context.Context, r *http.Request, p *page, f postForm) (composerData, error) {
	v := visitOf(r)
	ws := v.P.Workspace
	d := composerData{Zones: timeZones, Languages: compose.Languages, Approval: compose.NeedsApproval(v.P), Policy: compose.PolicyOf(ws), SelfApproval: ws.SelfApproval}
	if p.Form["timezone"] == "" {
		p.Form["timezone"] = ws.Timezone
	}
	chans, err := h.d.Store.Channels(ctx, ws.ID)
	if err != nil {
		return d, err
	}
	for _, c := range chans {
		l := h.d.Compose.Limits.Limits(c)
		cc := composeChannel{Channel: c, Name: networkName(c.Network), Threads: l.Threads, FirstComment: l.FirstComment,
			Options: network.PostOptionsForChannel(network.Kind(c.Network), c.Settings), Selected: f.Selected[c.ID], Media: f.VarMedia[c.ID]}
		if cc.Media == nil {
			cc.Media = map[int64]bool{} // not nil: a nil choice means the base media's
		}
		d.Channels = append(d.Channels, cc)
	}
	if h.d.Media != nil {
		items, err := h.d.Media.List(ctx, ws.ID, mediaFilter())
		if err != nil {
			return d, err
		}
		for _, m := range items {
			d.Media = append(d.Media, composeMedia{Media: m, Thumb: mediaThumb(r, m), Selected: f.BaseMedia[m.ID]})
		}
	}
	if d.Snippets, err = h.d.Compose.Snippets(ctx, v.P); err != nil {
		return d, err
	}
	sort.Slice(d.Snippets, func(i, j int) bool { return d.Snippets[i].Name < d.Snippets[j].Name })
	d.Labels, err = h.labelSuggestionsOf(ctx, v.P)
	return d, err
}

// networkName is a network's display name ("Bluesky"), or its kind.
func networkName(kind string) string {
	if l, ok := network.LimitsFor(network.Kind(kind)); ok && l.Name != "" {
		return l.Name
	}
	return kind
}

// netGlyphs are the networks' icons, distinct for every network (a first
// letter would show "W" for both the website and webhooks).
var netGlyphs = map[network.Kind]string{
	network.Bluesky: "B", network.Mastodon: "M", network.X: "X", network.Facebook: "f", network.Instagram: "Ig",
	network.Threads: "@", network.LinkedIn: "in", network.YouTube: "▶", network.Telegram: "T", network.Pinterest: "P",
	network.TikTok: "Tk", network.Tumblr: "t", network.Website: "W", network.Webhook: "{}",
	network.Vimeo: "V",
}

func init() {
	netGlyphs[network.SoundCloud] = "☁"
	netGlyphs[network.Snapchat] = "Sc"
}

// netLetter is the glyph of a network's icon ("B" for Bluesky, "{}" for webhooks).
func netLetter(kind string) string {
	if g, ok := netGlyphs[network.Kind(kind)]; ok {
		return g
	}
	for _, r := range networkName(kind) {
		return strings.ToUpper(string(r))
	}
	return "?"
}

// parseAt reads a datetime-local value in the IANA zone tz (the
// workspace's when empty); wall-clock times that fall in a DST gap move
// forward as time.Date does.
func parseAt(value, tz, def string) (time.Time, string, bool) {
	if strings.TrimSpace(tz) == "" {
		tz = def
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return time.Time{}, tz, false
	}
	t, err := time.ParseInLocation(datetimeLayout, strings.TrimSpace(value), loc)
	if err != nil {
		return time.Time{}, tz, false
	}
	return t, tz, true
}
