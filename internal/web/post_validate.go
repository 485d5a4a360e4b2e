package web

import (
	"cmp"
	"context"
	"net/http"
	"strings"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/coach"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// liveVariant is one channel's live check: counter, problems and preview.
type liveVariant struct {
	ChannelID int64
	Name      string
	Handle    string
	// Account is the channel's display name (its handle when it has none),
	// Initial the letter of its placeholder avatar.
	Account  string
	Initial  string
	Count    compose.Measure
	Over     bool
	Problems []compose.FieldProblem
	Preview  compose.PreviewModel
	// Thumbs are the preview's media, in the grid's order.
	Thumbs []previewThumb
	// Language is the language the post is sent with (chosen or detected),
	// "" when none; LanguageName is its own name. SendsLanguage: the
	// network receives a language at all.
	Language, LanguageName string
	SendsLanguage          bool
}

// previewThumb is one attachment of a preview, with its alt text.
type previewThumb struct {
	Src, Alt string
	// Video: the file is a video, shown with a video element.
	Video bool
}

// liveData is the composer's live panel.
type liveData struct {
	Variants []liveVariant
	Coach    *coach.Report
	// Error is a problem of the whole post (no channel chosen, a bad label).
	Error string
	Valid bool
	// OOB marks a fragment answer: the variant badges then replace the
	// ones in the variant sections (htmx out-of-band swaps).
	OOB bool
}

// variantBadge is a variant section's counter and first blocking problem.
type variantBadge struct {
	ID  int64
	V   *liveVariant
	OOB bool
	// Problem is the first blocking problem's message.
	Problem string
}

// Badge returns the badge of the variant of channel id.
func (l liveData) Badge(id int64) variantBadge {
	b := variantBadge{ID: id, OOB: l.OOB}
	for i := range l.Variants {
		if l.Variants[i].ChannelID == id {
			b.V = &l.Variants[i]
			for _, fp := range b.V.Problems {
				if fp.Severity == compose.SeverityError {
					b.Problem = fp.Message
					break
				}
			}
		}
	}
	return b
}

// validatePost answers the composer's live check (htmx): per channel, the
// counter and the problems, the preview and the coach.
func (h *handler) validatePost(w http.ResponseWriter, r *http.Request) {
	if !h.parseForm(w, r) {
		return
	}
	p := h.newPage(r, "compose.title")
	f, err := readPostForm(r, p)
	live := h.live(r.Context(), r, p, f, err)
	live.OOB = true
	p.Data = composerData{Live: live}
	h.renderPart(w, r, "compose", "live", p)
}

// live checks the form f as typed; labelErr is a labels parse error.
func (h *handler) live(ctx context.Context, r *http.Request, p *page, f postForm, labelErr error) liveData {
	v := visitOf(r)
	out := liveData{}
	if f.In.Text != "" {
		out.Coach = h.coach(ctx, v.P, p, f)
	}
	if labelErr != nil {
		if e, ok := valid.As(labelErr); ok {
			out.Error = translateInvalid(p, e)
		}
		return out
	}
	check, err := h.d.Compose.Validate(ctx, v.P, f.In, p.Lang)
	if err != nil {
		if e, ok := valid.As(err); ok {
			out.Error = translateInvalid(p, e)
		} else if !isNotFound(err) {
			h.log.Error("web: live check", "err", err)
		}
		return out
	}
	out.Valid = check.Valid
	for i, vc := range check.Variants {
		c, err := h.d.Store.Channel(ctx, v.P.Workspace.ID, vc.ChannelID)
		if err != nil {
			continue
		}
		lv := liveVariant{ChannelID: c.ID, Name: networkName(c.Network), Handle: c.Handle, Count: vc.Count, Problems: vc.Problems,
			Over: vc.Count.Limit > 0 && vc.Count.Value > vc.Count.Limit, Account: cmp.Or(c.DisplayName, c.Handle)}
		lv.Initial = avatarInitial(lv.Account)
		lv.Preview, lv.Thumbs = h.preview(ctx, r, c, f.In, f.In.Variants[i])
		lv.SendsLanguage = network.SendsLanguage(network.Kind(c.Network))
		chosen, _ := compose.CheckLanguage(f.In.Language)
		lv.Language = publish.Language(chosen, cmp.Or(f.In.Variants[i].Text, f.In.Text))
		lv.LanguageName = compose.LanguageName(lv.Language) + " (" + lv.Language + ")"
		out.Variants = append(out.Variants, lv)
	}
	return out
}

// coach reads the draft in the interface's language, naming only the
// networks the workspace has connected.
func (h *handler) coach(ctx context.Context, pr auth.Principal, p *page, f postForm) *coach.Report {
	chans, err := h.d.Store.Channels(ctx, pr.Workspace.ID)
	if err != nil {
		h.log.Error("web: coach channels", "err", err)
	}
	d := coach.Draft{Text: f.In.Text, Media: len(f.In.Media), Channels: len(f.In.Variants), MessageLang: p.Lang}
	if lang, _ := compose.CheckLanguage(f.In.Language); lang != compose.LanguageAuto {
		d.Lang = lang
	}
	d.Connected = []network.Kind{} // named networks come from this list only, even when it is empty
	for _, c := range chans {
		d.Connected = append(d.Connected, network.Kind(c.Network))
		if f.Selected[c.ID] {
			d.Networks = append(d.Networks, network.Kind(c.Network))
		}
	}
	rep := coach.Analyze(d)
	return &rep
}

// preview lays out one variant as its network's feed shows it.
func (h *handler) preview(ctx context.Context, r *http.Request, c store.Channel, in compose.PostInput, v compose.VariantInput) (compose.PreviewModel, []previewThumb) {
	text, link, refs := v.Text, v.Link, v.Media
	if text == "" {
		text = in.Text
	}
	if link == "" {
		link = in.Link
	}
	if len(refs) == 0 {
		refs = in.Media
	}
	var infos []compose.MediaInfo
	var thumbs []previewThumb
	for _, ref := range refs {
		m, err := h.d.Store.Media(ctx, c.WorkspaceID, ref.MediaID)
		if err != nil {
			continue
		}
		infos = append(infos, compose.MediaInfo{Kind: compose.MediaKind(m.Kind), MIME: m.MIME, Bytes: m.Bytes, Width: m.Width, Height: m.Height, AltText: m.AltText})
		thumbs = append(thumbs, previewThumb{Src: mediaThumb(r, m), Alt: m.AltText, Video: string(m.Kind) == string(compose.MediaVideo)})
	}
	l := h.d.Compose.Limits.Limits(c)
	pm := compose.Preview(text, l, infos, link)
	comment := v.FirstComment
	if !l.FirstComment {
		comment = "" // validation says why; the network would not show it
	}
	pm.AddReplies(l, v.ThreadParts, comment)
	return pm, thumbs
}

// avatarInitial is the first letter of an account's name (without "@"),
// upper-cased, for the preview's placeholder avatar.
func avatarInitial(name string) string {
	for _, r := range strings.TrimLeft(name, "@") {
		return strings.ToUpper(string(r))
	}
	return "?"
}

// canCompose reports whether the caller may write posts here.
func canCompose(r *http.Request) bool { return visitOf(r).P.Can(auth.ActCompose) }
