package compose

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// LimitsSource gives a channel's effective limits (channel.Service does).
type LimitsSource interface {
	Limits(c store.Channel) network.Limits
}

// Service is the composer's core: posts with per-channel variants,
// validation, the approval workflow, comments, history, snippets, the
// posting queue, the calendar feed and bulk import and export. Every method
// acts in the principal's workspace and checks its role; user mistakes come
// back as *valid.Error (or *ValidationError, which unwraps to one).
type Service struct {
	Store  store.Store
	Limits LimitsSource
	// Now is the clock (tests set it); nil means time.Now.
	Now func() time.Time
	// BaseURL is the public URL of the instance, for links in the iCal feed.
	BaseURL string
	// Connectors opens channels' connectors to delete posts on their
	// networks (NewService takes it from limits when it can).
	Connectors Connectors
	// Notifier, when set, hears that a post was deleted on its networks.
	Notifier publish.Notifier
	// Wake, when set, is called after publications were queued (scheduled,
	// published now, retried), so that the publishing engine of this process
	// stages them at once instead of at its next idle look.
	Wake func()
}

func (s *Service) wake() {
	if s.Wake != nil {
		s.Wake()
	}
}

// NewService builds the composer service over the store and the channels' limits.
func NewService(st store.Store, limits LimitsSource, baseURL string) *Service {
	s := &Service{Store: st, Limits: limits, BaseURL: strings.TrimRight(baseURL, "/")}
	s.Connectors, _ = limits.(Connectors)
	return s
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Input bounds, so one request cannot store unbounded data.
const (
	maxPostText     = 65_000
	maxLink         = 2048
	maxVariants     = 50
	maxThreadParts  = 100
	maxMediaPerPart = 20
	maxLabels       = 20
	maxLabelLen     = 64
	maxCommentLen   = 5000
)

// MediaRef is how a variant stores one attachment: a media library item,
// or a URL (from a CSV import) the media library fetches before publishing.
type MediaRef struct {
	MediaID int64  `json:"media_id,omitempty"`
	URL     string `json:"url,omitempty"`
}

// threadPartJSON is the stored form of a thread part after the first, as
// the publishing engine reads it.
type threadPartJSON struct {
	Text string `json:"text"`
}

// VariantInput is a post's content for one channel; empty fields fall back
// to the post's base text, link and media.
type VariantInput struct {
	ChannelID    int64             `json:"channel_id" doc:"The channel this variant is published on"`
	Text         string            `json:"text,omitempty" doc:"Overrides the post's text on this channel"`
	Link         string            `json:"link,omitempty" doc:"Overrides the post's link on this channel"`
	Media        []MediaRef        `json:"media,omitempty" doc:"Overrides the post's media on this channel"`
	ThreadParts  []string          `json:"thread_parts,omitempty" doc:"Thread parts after the first, in order"`
	FirstComment string            `json:"first_comment,omitempty" doc:"A comment posted under the post, where the network supports it"`
	Options      map[string]string `json:"options,omitempty" doc:"Network options (board, visibility, spoiler_text …)"`
	// SplitThread splits the variant's text (or the post's) into a numbered
	// thread at sentence boundaries when it is too long for the channel and
	// the network supports threads; the parts replace ThreadParts.
	SplitThread bool `json:"split_thread,omitempty" doc:"Split a text too long for the channel into a numbered thread"`
}

// PostInput is what a person composes: base content, labels and one
// variant per selected channel.
type PostInput struct {
	Text   string        `json:"text"`
	Link   string        `json:"link,omitempty"`
	Media  []MediaRef    `json:"media,omitempty" doc:"Base media, used by variants that set none"`
	Labels []store.Label `json:"labels,omitempty"`
	// Language is the post's language sent to the networks: a code ("fr")
	// sets options.language on every variant, "auto" removes it (the
	// language is then detected from the text when publishing), empty
	// leaves the variants' options as they are.
	Language string         `json:"language,omitempty" doc:"auto (detected from the text when publishing) or a language code (en, fr, de …) sent to the networks"`
	Timezone string         `json:"timezone,omitempty" doc:"IANA time zone of the post (default: the workspace's)"`
	Variants []VariantInput `json:"variants,omitempty" doc:"One per channel; at least one"`
	// PlannedAt is when the author wants the post out. A post not scheduled
	// yet keeps it through review (the calendar shows it as planned) and is
	// scheduled at it when approved; nil: no planned time.
	PlannedAt *time.Time `json:"planned_at,omitempty" doc:"When the author wants it out (RFC 3339); kept through review, used when the post is scheduled without a time"`
	// AllowInvalid saves a draft that does not validate yet (its problems
	// are returned); scheduling still requires every variant to validate.
	AllowInvalid bool `json:"allow_invalid,omitempty"`
}

// FieldProblem is a validation problem of one variant, with the field named
// as the API takes it ("variants[12].text", "variants[12].thread[2]").
type FieldProblem struct {
	ChannelID int64 `json:"channel_id"`
	// Path names the field in the post's input.
	Path        string       `json:"path"`
	Network     network.Kind `json:"network"`
	NetworkName string       `json:"network_name"`
	// Field is the field within the variant ("text", "thread[2]", "media[1]").
	Field    string   `json:"field"`
	Code     string   `json:"code"`
	Limit    int64    `json:"limit"`
	Value    int64    `json:"value"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
}

func fieldProblem(p Problem, channelID int64, prefix string) FieldProblem {
	return FieldProblem{ChannelID: channelID, Path: prefix + p.Field, Network: p.Network, NetworkName: p.NetworkName, Field: p.Field,
		Code: p.Code, Limit: p.Limit, Value: p.Value, Message: p.Message, Severity: p.Severity}
}

// problem gives back the compose.Problem (for MessageIn).
func (fp FieldProblem) problem() Problem {
	return Problem{Network: fp.Network, NetworkName: fp.NetworkName, Field: fp.Field, Code: fp.Code, Limit: fp.Limit, Value: fp.Value,
		Message: fp.Message, Severity: fp.Severity}
}

// ValidationError carries every problem of a post that does not validate;
// it unwraps to a *valid.Error naming the first one.
type ValidationError struct {
	Problems []FieldProblem
}

func (e *ValidationError) Error() string {
	msgs := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		msgs = append(msgs, p.Path+": "+p.Message)
	}
	return "compose: the post does not validate: " + strings.Join(msgs, "; ")
}

// Unwrap gives the first problem as a *valid.Error, so that handlers map it to 422.
func (e *ValidationError) Unwrap() error {
	if len(e.Problems) == 0 {
		return valid.Errorf("variants", "invalid", "the post does not validate")
	}
	p := e.Problems[0]
	return valid.Errorf(p.Path, p.Code, "%s", p.Message)
}

// AsValidation returns the *ValidationError inside err, if any.
func AsValidation(err error) (*ValidationError, bool) {
	var ve *ValidationError
	ok := errors.As(err, &ve)
	return ve, ok
}

// resolved is an input checked for structure, with its channels loaded.
type resolved struct {
	in       PostInput
	channels []store.Channel
	tz       string
}

// need checks the principal's permission.
func need(p auth.Principal, a auth.Action) error {
	if !p.Can(a) {
		return fmt.Errorf("compose: %s: %w", a, auth.ErrForbidden)
	}
	return nil
}

// checkTimezone validates an IANA zone name, defaulting to def.
func checkTimezone(field, tz, def string) (string, error) {
	tz = strings.TrimSpace(tz)
	if tz == "" {
		tz = def
	}
	if tz == "" {
		tz = "UTC"
	}
	if _, err := time.LoadLocation(tz); err != nil || tz == "Local" {
		return "", valid.Errorf(field, "timezone", "%q is not an IANA time zone (like Europe/Paris)", tz)
	}
	return tz, nil
}

// CheckLabels validates labels: key=value, at most 20, each part 1 to 64 characters.
func CheckLabels(labels []store.Label) ([]store.Label, error) {
	if len(labels) > maxLabels {
		return nil, valid.Errorf("labels", "too_many", "a post allows at most %d labels; it has %d", maxLabels, len(labels))
	}
	out := make([]store.Label, 0, len(labels))
	seen := map[store.Label]bool{}
	for i, l := range labels {
		l.Key, l.Value = strings.ToLower(strings.TrimSpace(l.Key)), strings.TrimSpace(l.Value)
		field := "labels[" + strconv.Itoa(i) + "]"
		if l.Key == "" || l.Value == "" {
			return nil, valid.Errorf(field, "required", "a label needs a key and a value (like theme=launch)")
		}
		if utf8.RuneCountInString(l.Key) > maxLabelLen || utf8.RuneCountInString(l.Value) > maxLabelLen {
			return nil, valid.Errorf(field, "too_long", "label keys and values allow at most %d characters", maxLabelLen)
		}
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out, nil
}

// ParseLabel reads "key=value".
func ParseLabel(s string) (store.Label, error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return store.Label{}, valid.Errorf("labels", "format", "label %q must be key=value (like theme=launch)", s)
	}
	return store.Label{Key: k, Value: v}, nil
}

// resolve checks an input's structure and loads its channels.
func (s *Service) resolve(ctx context.Context, p auth.Principal, in PostInput) (resolved, error) {
	r := resolved{in: in}
	if utf8.RuneCountInString(in.Text) > maxPostText {
		return r, valid.Errorf("text", "too_long", "text allows at most %d characters; it has %d", maxPostText, utf8.RuneCountInString(in.Text))
	}
	if err := valid.HTTPURL("link", in.Link, maxLink); err != nil {
		return r, err
	}
	if len(in.Variants) == 0 {
		return r, valid.Errorf("variants", "required", "choose at least one channel")
	}
	if len(in.Variants) > maxVariants {
		return r, valid.Errorf("variants", "too_many", "a post allows at most %d channels; it has %d", maxVariants, len(in.Variants))
	}
	labels, err := CheckLabels(in.Labels)
	if err != nil {
		return r, err
	}
	r.in.Labels = labels
	if r.in.Language, err = CheckLanguage(in.Language); err != nil {
		return r, err
	}
	if r.tz, err = checkTimezone("timezone", in.Timezone, p.Workspace.Timezone); err != nil {
		return r, err
	}
	seen := map[int64]bool{}
	for i, v := range in.Variants {
		field := "variants[" + strconv.FormatInt(v.ChannelID, 10) + "]"
		if seen[v.ChannelID] {
			return r, valid.Errorf(field, "duplicate", "channel %d is chosen twice", v.ChannelID)
		}
		seen[v.ChannelID] = true
		c, err := s.Store.Channel(ctx, p.Workspace.ID, v.ChannelID)
		if errors.Is(err, store.ErrNotFound) {
			return r, valid.Errorf(field+".channel_id", "unknown_channel", "no channel %d in this workspace", v.ChannelID)
		}
		if err != nil {
			return r, err
		}
		if utf8.RuneCountInString(v.Text) > maxPostText || utf8.RuneCountInString(v.FirstComment) > maxPostText {
			return r, valid.Errorf(field+".text", "too_long", "text allows at most %d characters", maxPostText)
		}
		if err := valid.HTTPURL(field+".link", v.Link, maxLink); err != nil {
			return r, err
		}
		if len(v.ThreadParts) > maxThreadParts {
			return r, valid.Errorf(field+".thread", "too_many", "a thread allows at most %d parts", maxThreadParts)
		}
		if len(v.Media) > maxMediaPerPart || len(in.Media) > maxMediaPerPart {
			return r, valid.Errorf(field+".media", "too_many", "at most %d media per post", maxMediaPerPart)
		}
		r.in.Variants[i].Text = strings.TrimRight(v.Text, " \t\r\n")
		if r.in.Language != "" {
			r.in.Variants[i].Options = withLanguage(v.Options, r.in.Language)
		}
		if v.SplitThread {
			splitVariant(&r.in.Variants[i], in, s.Limits.Limits(c))
		}
		r.channels = append(r.channels, c)
	}
	r.in.Text = strings.TrimRight(in.Text, " \t\r\n")
	return r, nil
}

// splitVariant turns a text too long for the channel into thread parts;
// a text that fits, or a network without threads, is left alone (and
// validation then reports what is wrong).
func splitVariant(v *VariantInput, base PostInput, l network.Limits) {
	text := v.Text
	if text == "" {
		text = strings.TrimRight(base.Text, " \t\r\n")
	}
	if !l.Threads {
		return
	}
	media := len(v.Media)
	if media == 0 {
		media = len(base.Media)
	}
	parts := SplitThreadWithLink(text, cmp.Or(v.Link, base.Link), media, l, true)
	if len(parts) < 2 {
		return
	}
	v.Text, v.ThreadParts, v.SplitThread = parts[0], parts[1:], false
}

// mediaInfo loads what validation needs to know about attachments.
func (s *Service) mediaInfo(ctx context.Context, workspaceID int64, refs []MediaRef, field string) ([]MediaInfo, error) {
	out := make([]MediaInfo, 0, len(refs))
	for i, ref := range refs {
		switch {
		case ref.MediaID != 0:
			m, err := s.Store.Media(ctx, workspaceID, ref.MediaID)
			if errors.Is(err, store.ErrNotFound) {
				return nil, valid.Errorf(field+"["+strconv.Itoa(i+1)+"]", "unknown_media", "no media %d in this workspace's library", ref.MediaID)
			}
			if err != nil {
				return nil, err
			}
			out = append(out, MediaInfo{Kind: MediaKind(m.Kind), MIME: m.MIME, Bytes: m.Bytes, Width: m.Width, Height: m.Height,
				DurationSeconds: float64(m.DurationMS) / 1000, AltText: m.AltText})
		case httpURL(ref.URL):
			out = append(out, MediaInfo{Kind: mediaKindFromURL(ref.URL), AltText: "-"})
		default:
			return nil, valid.Errorf(field+"["+strconv.Itoa(i+1)+"]", "invalid_media", "a media reference needs a library id or an http(s) URL")
		}
	}
	return out, nil
}

// draftOf builds the validation draft of a variant.
func (s *Service) draftOf(ctx context.Context, workspaceID int64, in PostInput, v VariantInput) (Draft, error) {
	d := Draft{Text: v.Text, Link: v.Link, Options: v.Options, ThreadParts: v.ThreadParts}
	if d.Text == "" {
		d.Text = in.Text
	}
	if d.Link == "" {
		d.Link = in.Link
	}
	refs := v.Media
	if len(refs) == 0 {
		refs = in.Media
	}
	field := "variants[" + strconv.FormatInt(v.ChannelID, 10) + "].media"
	var err error
	d.Media, err = s.mediaInfo(ctx, workspaceID, refs, field)
	return d, err
}

// problemsOf validates every variant with its channel's limits.
func (s *Service) problemsOf(ctx context.Context, workspaceID int64, r resolved) ([]FieldProblem, error) {
	var out []FieldProblem
	for i, v := range r.in.Variants {
		l := s.Limits.Limits(r.channels[i])
		d, err := s.draftOf(ctx, workspaceID, r.in, v)
		if err != nil {
			return nil, err
		}
		prefix := "variants[" + strconv.FormatInt(v.ChannelID, 10) + "]."
		for _, p := range Validate(d, l) {
			out = append(out, fieldProblem(p, v.ChannelID, prefix))
		}
		if v.FirstComment != "" {
			if !l.FirstComment {
				p := Problem{Network: l.Network, NetworkName: l.Name, Field: "first_comment", Code: CodeFirstCommentNotSupported, Severity: SeverityError,
					Message: l.Name + " does not support a first comment; remove it from this variant"}
				out = append(out, fieldProblem(p, v.ChannelID, prefix))
			} else if m := Count(v.FirstComment, l, false); m.Limit > 0 && m.Value > m.Limit {
				p := Problem{Network: l.Network, NetworkName: l.Name, Field: "first_comment", Code: CodeTextTooLong, Limit: int64(m.Limit), Value: int64(m.Value), Severity: SeverityError,
					Message: fmt.Sprintf("%s allows %d characters in the first comment; it has %d", l.Name, m.Limit, m.Value)}
				out = append(out, fieldProblem(p, v.ChannelID, prefix))
			}
		}
	}
	return out, nil
}

// CodeFirstCommentNotSupported: the variant has a first comment its network cannot post.
const CodeFirstCommentNotSupported = "first_comment_not_supported"

func errorsOnly(ps []FieldProblem) []FieldProblem {
	var out []FieldProblem
	for _, p := range ps {
		if p.Severity == SeverityError {
			out = append(out, p)
		}
	}
	return out
}

// VariantCheck is the live validation result of one variant.
type VariantCheck struct {
	ChannelID int64          `json:"channel_id"`
	Network   network.Kind   `json:"network"`
	Count     Measure        `json:"count"`
	Problems  []FieldProblem `json:"problems"`
}

// Check is the live validation result of a whole post.
type Check struct {
	// Valid is true when no problem blocks scheduling.
	Valid    bool           `json:"valid"`
	Variants []VariantCheck `json:"variants"`
}

// Validate checks a post as typed (live, for htmx and the API) without
// saving anything: per variant, the count against its channel's limit and
// every problem, messages in lang ("en", "fr", "de").
func (s *Service) Validate(ctx context.Context, p auth.Principal, in PostInput, lang string) (Check, error) {
	if err := need(p, auth.ActView); err != nil {
		return Check{}, err
	}
	r, err := s.resolve(ctx, p, in)
	if err != nil {
		return Check{}, err
	}
	problems, err := s.problemsOf(ctx, p.Workspace.ID, r)
	if err != nil {
		return Check{}, err
	}
	out := Check{Valid: len(errorsOnly(problems)) == 0}
	for i, v := range r.in.Variants {
		l := s.Limits.Limits(r.channels[i])
		d, err := s.draftOf(ctx, p.Workspace.ID, r.in, v)
		if err != nil {
			return Check{}, err
		}
		vc := VariantCheck{ChannelID: v.ChannelID, Network: l.Network, Count: Count(d.Sent(l.Network), l, len(d.Media) > 0), Problems: []FieldProblem{}}
		for _, fp := range problems {
			if fp.ChannelID == v.ChannelID {
				if lang != "" && fp.Code != CodeFirstCommentNotSupported {
					fp.Message = MessageIn(fp.problem(), lang)
				}
				vc.Problems = append(vc.Problems, fp)
			}
		}
		out.Variants = append(out.Variants, vc)
	}
	return out, nil
}

// SplitThread splits text into numbered thread parts that fit the channel,
// the first one with room for link where the network sends it in the text.
func (s *Service) SplitThread(ctx context.Context, p auth.Principal, channelID int64, text, link string) ([]string, error) {
	if err := need(p, auth.ActView); err != nil {
		return nil, err
	}
	c, err := s.Store.Channel(ctx, p.Workspace.ID, channelID)
	if err != nil {
		return nil, err
	}
	l := s.Limits.Limits(c)
	if !l.Threads {
		return nil, valid.Errorf("channel_id", "threads_not_supported", "%s does not support threads", l.Name)
	}
	parts := SplitThreadWithLink(text, link, 0, l, true)
	if parts == nil {
		parts = []string{}
	}
	return parts, nil
}

// variantsOf turns a resolved input into store variants.
func variantsOf(r resolved) []store.Variant {
	out := make([]store.Variant, len(r.in.Variants))
	for i, v := range r.in.Variants {
		sv := store.Variant{ChannelID: v.ChannelID, Text: v.Text, Link: v.Link, FirstComment: v.FirstComment}
		refs := v.Media
		if len(refs) == 0 {
			refs = r.in.Media
		}
		if len(refs) > 0 {
			sv.Media, _ = json.Marshal(refs)
		}
		if len(v.ThreadParts) > 0 {
			parts := make([]threadPartJSON, len(v.ThreadParts))
			for j, t := range v.ThreadParts {
				parts[j] = threadPartJSON{Text: t}
			}
			sv.Parts, _ = json.Marshal(parts)
		}
		if len(v.Options) > 0 {
			sv.Options, _ = json.Marshal(v.Options)
		}
		out[i] = sv
	}
	return out
}

// Create validates and saves a new draft post with its variants. It refuses
// a post with blocking problems (a *ValidationError listing all of them)
// unless in.AllowInvalid.
func (s *Service) Create(ctx context.Context, p auth.Principal, in PostInput) (PostView, error) {
	if err := need(p, auth.ActCompose); err != nil {
		return PostView{}, err
	}
	r, err := s.resolve(ctx, p, in)
	if err != nil {
		return PostView{}, err
	}
	problems, err := s.problemsOf(ctx, p.Workspace.ID, r)
	if err != nil {
		return PostView{}, err
	}
	if errs := errorsOnly(problems); len(errs) > 0 && !in.AllowInvalid {
		return PostView{}, &ValidationError{Problems: errs}
	}
	post := &store.Post{WorkspaceID: p.Workspace.ID, AuthorID: p.User.ID, State: store.PostDraft, Text: r.in.Text, Link: r.in.Link,
		Timezone: r.tz, Labels: r.in.Labels, ScheduledAt: utcPtr(in.PlannedAt)}
	if err := s.Store.CreatePosts(ctx, []store.NewPost{{Post: post, Variants: variantsOf(r)}}); err != nil {
		return PostView{}, err
	}
	s.record(ctx, p, post.ID, "created", "")
	return s.view(ctx, p.Workspace.ID, post.ID)
}

// utcPtr copies an optional moment in UTC, to the millisecond the store keeps.
func utcPtr(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	u := t.UTC().Truncate(time.Millisecond)
	return &u
}

// samePlan reports whether two optional moments are the same.
func samePlan(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// record appends to a post's history; a failure is not the user's problem
// and must not undo the change, so it is returned to no one but logged by
// the caller's error path only when the post itself is gone.
func (s *Service) record(ctx context.Context, p auth.Principal, postID int64, action, detail string) {
	_ = s.Store.AddHistory(ctx, &store.HistoryEntry{WorkspaceID: p.Workspace.ID, PostID: postID, UserID: p.User.ID, Action: action, Detail: detail, CreatedAt: s.now()})
}

// editable are the states whose content may change.
var editable = []store.PostState{store.PostDraft, store.PostInReview, store.PostApproved, store.PostScheduled, store.PostCancelled, store.PostFailed}

func stateIn(st store.PostState, list []store.PostState) bool {
	for _, x := range list {
		if x == st {
			return true
		}
	}
	return false
}

func stateNames(list []store.PostState) string {
	names := make([]string, len(list))
	for i, x := range list {
		names[i] = string(x)
	}
	return strings.Join(names, ", ")
}

// Update replaces a post's content, labels and variants. An edit after
// approval (approved or scheduled) sends the post back to review when the
// workspace requires approval; otherwise a scheduled post stays scheduled
// (its new variants get publications) and must still validate.
func (s *Service) Update(ctx context.Context, p auth.Principal, id int64, in PostInput) (PostView, error) {
	if err := need(p, auth.ActCompose); err != nil {
		return PostView{}, err
	}
	cur, err := s.Store.Post(ctx, p.Workspace.ID, id)
	if err != nil {
		return PostView{}, err
	}
	if !stateIn(cur.State, editable) {
		return PostView{}, valid.Errorf("state", "locked", "a %s post cannot be edited (editable: %s)", cur.State, stateNames(editable))
	}
	if strings.TrimSpace(in.Timezone) == "" {
		in.Timezone = cur.Timezone // an edit without a zone keeps the post's
	}
	r, err := s.resolve(ctx, p, in)
	if err != nil {
		return PostView{}, err
	}
	problems, err := s.problemsOf(ctx, p.Workspace.ID, r)
	if err != nil {
		return PostView{}, err
	}
	errs := errorsOnly(problems)
	if len(errs) > 0 && (!in.AllowInvalid || cur.State == store.PostScheduled) {
		return PostView{}, &ValidationError{Problems: errs}
	}
	oldVariants, err := s.Store.Variants(ctx, p.Workspace.ID, id)
	if err != nil {
		return PostView{}, err
	}
	changed := diffPost(cur, oldVariants, r)
	approvalRequired := NeedsApproval(p)
	backToReview := approvalRequired && (cur.State == store.PostApproved || cur.State == store.PostScheduled)
	planned := utcPtr(in.PlannedAt)
	switch {
	case cur.State != store.PostScheduled && !samePlan(planned, cur.ScheduledAt):
		changed = append(changed, "time")
	case cur.State == store.PostScheduled && backToReview && planned != nil && !samePlan(planned, cur.ScheduledAt):
		// A new time for a scheduled post needs approval like any other change.
		changed = append(changed, "time")
	case cur.State == store.PostScheduled:
		planned = cur.ScheduledAt // moved only by (re)scheduling
	}
	if len(changed) == 0 {
		return s.view(ctx, p.Workspace.ID, id)
	}
	if backToReview && cur.State == store.PostScheduled {
		// Stop the queued publications first: the edit is not approved yet.
		if _, err := s.Store.CancelPost(ctx, p.Workspace.ID, id, s.now()); err != nil {
			return PostView{}, err
		}
	}
	np := cur
	np.Text, np.Link, np.Timezone, np.Labels = r.in.Text, r.in.Link, r.tz, r.in.Labels
	if err := s.Store.UpdatePost(ctx, np); err != nil {
		return PostView{}, err
	}
	keep := map[int64]bool{}
	for _, v := range variantsOf(r) {
		v.PostID, v.WorkspaceID = id, p.Workspace.ID
		if err := s.Store.SaveVariant(ctx, &v); err != nil {
			return PostView{}, err
		}
		keep[v.ChannelID] = true
	}
	for _, v := range oldVariants {
		if !keep[v.ChannelID] {
			if err := s.Store.DeleteVariant(ctx, p.Workspace.ID, v.ID); err != nil {
				return PostView{}, err
			}
		}
	}
	if cur.State != store.PostScheduled || (backToReview && !samePlan(planned, cur.ScheduledAt)) {
		// The planned time, kept through review (a scheduled post sent back
		// to review keeps its time, already stored, as planned).
		if err := s.Store.PlanPost(ctx, p.Workspace.ID, id, planned, r.tz, s.now()); err != nil {
			return PostView{}, fmt.Errorf("compose: planned time: %w", err)
		}
	}
	what := strings.Join(changed, ", ")
	s.record(ctx, p, id, "edited", what)
	switch {
	case backToReview:
		if err := s.sendBackToReview(ctx, p, id, what); err != nil {
			return PostView{}, err
		}
	case cur.State == store.PostScheduled && cur.ScheduledAt != nil:
		// New variants need their publications, at the same moment.
		if _, err := s.Store.SchedulePosts(ctx, p.Workspace.ID, []int64{id}, *cur.ScheduledAt, r.tz, s.now()); err != nil {
			return PostView{}, err
		}
		s.wake()
	}
	return s.view(ctx, p.Workspace.ID, id)
}

// diffPost names what an update changes.
func diffPost(cur store.Post, old []store.Variant, r resolved) []string {
	var changed []string
	if cur.Text != r.in.Text {
		changed = append(changed, "text")
	}
	if cur.Link != r.in.Link {
		changed = append(changed, "link")
	}
	if cur.Timezone != r.tz {
		changed = append(changed, "time zone")
	}
	if labelKey(cur.Labels) != labelKey(r.in.Labels) {
		changed = append(changed, "labels")
	}
	byChannel := map[int64]store.Variant{}
	for _, v := range old {
		byChannel[v.ChannelID] = v
	}
	for _, v := range variantsOf(r) {
		o, ok := byChannel[v.ChannelID]
		name := "channel " + strconv.FormatInt(v.ChannelID, 10)
		switch {
		case !ok:
			changed = append(changed, "added "+name)
		case o.Text != v.Text || o.Link != v.Link || o.FirstComment != v.FirstComment ||
			jsonKey(o.Media, "[]") != jsonKey(v.Media, "[]") || jsonKey(o.Parts, "[]") != jsonKey(v.Parts, "[]") || jsonKey(o.Options, "{}") != jsonKey(v.Options, "{}"):
			changed = append(changed, name)
		}
		delete(byChannel, v.ChannelID)
	}
	var removed []int64
	for ch := range byChannel {
		removed = append(removed, ch)
	}
	sort.Slice(removed, func(i, j int) bool { return removed[i] < removed[j] })
	for _, ch := range removed {
		changed = append(changed, "removed channel "+strconv.FormatInt(ch, 10))
	}
	return changed
}

func labelKey(ls []store.Label) string {
	keys := make([]string, len(ls))
	for i, l := range ls {
		keys[i] = l.Key + "=" + l.Value
	}
	sort.Strings(keys)
	return strings.Join(keys, ";")
}

// jsonKey normalises a stored JSON document for comparison.
func jsonKey(raw json.RawMessage, empty string) string {
	if len(raw) == 0 || string(raw) == "null" {
		return empty
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// notify creates an in-app notification; failures are ignored because the
// change it announces has already happened. args are the values msg shows, in
// order, for the translations of "notifications.msg.<kind>".
func (s *Service) notify(ctx context.Context, workspaceID, userID int64, kind, msg string, postID int64, args ...string) {
	_ = s.Store.CreateNotification(ctx, &store.Notification{WorkspaceID: workspaceID, UserID: userID, Kind: kind, Message: msg, Args: args,
		Link: "/posts/" + strconv.FormatInt(postID, 10), CreatedAt: s.now()})
}

// sendBackToReview returns an approved post (or a scheduled one whose
// publications were just cancelled) to review after a change, saying in its
// history what changed, and tells the approvers.
func (s *Service) sendBackToReview(ctx context.Context, p auth.Principal, id int64, what string) error {
	from := []store.PostState{store.PostApproved, store.PostCancelled, store.PostScheduled}
	if err := s.Store.SetPostState(ctx, p.Workspace.ID, id, from, store.PostInReview, s.now()); err != nil {
		return fmt.Errorf("compose: back to review: %w", err)
	}
	s.record(ctx, p, id, "back_to_review", "changed after approval: "+what)
	s.notifyApprovers(ctx, p, id, fmt.Sprintf("%s changed post %d after approval (%s); it needs review again", who(p), id, what))
	return nil
}

// MediaAltChanged sends back to review the approved and scheduled posts
// that show the media item, after the principal changed its alt text (the
// alt text is part of what the approver approved). It returns their ids;
// nothing changes when the principal's posts need no approval.
func (s *Service) MediaAltChanged(ctx context.Context, p auth.Principal, mediaID int64) ([]int64, error) {
	if !NeedsApproval(p) {
		return nil, nil
	}
	posts, err := s.Store.Posts(ctx, p.Workspace.ID, store.PostFilter{States: []store.PostState{store.PostApproved, store.PostScheduled}, Limit: 5000})
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, post := range posts {
		vs, err := s.Store.Variants(ctx, p.Workspace.ID, post.ID)
		if err != nil {
			return out, err
		}
		if !usesMedia(vs, mediaID) {
			continue
		}
		if post.State == store.PostScheduled {
			if _, err := s.Store.CancelPost(ctx, p.Workspace.ID, post.ID, s.now()); err != nil {
				return out, err
			}
		}
		if err := s.sendBackToReview(ctx, p, post.ID, "alt text of media "+strconv.FormatInt(mediaID, 10)); err != nil {
			return out, err
		}
		out = append(out, post.ID)
	}
	return out, nil
}

// usesMedia reports whether a variant shows the library item.
func usesMedia(vs []store.Variant, mediaID int64) bool {
	for _, v := range vs {
		var refs []MediaRef
		if json.Unmarshal(v.Media, &refs) != nil {
			continue
		}
		for _, r := range refs {
			if r.MediaID == mediaID {
				return true
			}
		}
	}
	return false
}
