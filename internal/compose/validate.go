package compose

import (
	"math"
	"slices"
	"strconv"

	"github.com/relais/relais/internal/network"
)

// MediaKind is the kind of an attachment as validation sees it.
type MediaKind string

// The attachment kinds.
const (
	MediaImage MediaKind = "image"
	MediaVideo MediaKind = "video"
	MediaGIF   MediaKind = "gif"
)

// MediaInfo describes one attachment of a draft: what validation and
// previews need to know, not the bytes.
type MediaInfo struct {
	Kind            MediaKind `json:"kind"`
	MIME            string    `json:"mime,omitempty"`
	Bytes           int64     `json:"bytes,omitempty"`
	Width           int       `json:"width,omitempty"`
	Height          int       `json:"height,omitempty"`
	DurationSeconds float64   `json:"duration_seconds,omitempty"`
	AltText         string    `json:"alt_text,omitempty"`
}

// Draft is one variant of a post for one network, as the composer holds it.
type Draft struct {
	// Text is the post (the first part when it is a thread).
	Text string `json:"text"`
	// Link is the post's link; on the networks that carry it in the text
	// (network.LinkInText) it is counted as part of the text.
	Link string `json:"link,omitempty"`
	// Media are the attachments of the first part.
	Media []MediaInfo `json:"media,omitempty"`
	// Options are network options ("board", "spoiler_text", "visibility" …).
	Options map[string]string `json:"options,omitempty"`
	// ThreadParts are the replies that follow Text in a thread; in problems
	// they are named by their position in the whole thread, so the first
	// reply is "thread[2]".
	ThreadParts []string `json:"thread_parts,omitempty"`
}

// Sent is the draft's first part as network k receives it: the text with
// the link where the network carries it in the text.
func (d Draft) Sent(k network.Kind) string {
	return sentText(k, d.Text, d.Link, len(d.Media))
}

// sentText is network.TextAsSent for a text with a link and n attachments.
func sentText(k network.Kind, text, link string, n int) string {
	return network.TextAsSent(k, network.Part{Text: text, Link: link, Media: make([]network.Media, n)})
}

// Severity says whether a problem blocks publishing.
type Severity string

// The severities.
const (
	// SeverityError blocks saving a scheduled post and publishing it.
	SeverityError Severity = "error"
	// SeverityWarning is shown but does not block (missing alt text).
	SeverityWarning Severity = "warning"
)

// Problem is one validation finding, with a stable Code for programs and an
// English Message naming the network, the limit and the measured value.
type Problem struct {
	Network     network.Kind `json:"network"`
	NetworkName string       `json:"network_name"`
	// Field is "text", "media", "media[2]", "options.board", "thread", "thread[2]" ….
	Field string `json:"field"`
	// Code is stable ("text_too_long", "media_required" …); see MessageIn.
	Code  string `json:"code"`
	Limit int64  `json:"limit"`
	Value int64  `json:"value"`
	// Choice is the post option's chosen value the problem is about ("story").
	Choice   string   `json:"choice,omitempty"`
	Message  string   `json:"message"`
	Severity Severity `json:"severity"`
}

// The stable problem codes.
const (
	CodeTextTooLong         = "text_too_long"
	CodeCaptionTooLong      = "caption_too_long"
	CodeTextTooManyBytes    = "text_too_many_bytes"
	CodeTooManyHashtags     = "too_many_hashtags"
	CodeTooManyMentions     = "too_many_mentions"
	CodePostEmpty           = "post_empty"
	CodeThreadPartEmpty     = "thread_part_empty"
	CodeThreadsNotSupported = "threads_not_supported"
	CodeMediaRequired       = "media_required"
	CodeVideoRequired       = "video_required"
	CodeImageRequired       = "image_required"
	CodeMediaNotSupported   = "media_not_supported"
	CodeTooManyMedia        = "too_many_media"
	CodeImageTooLarge       = "image_too_large"
	CodeVideoTooLarge       = "video_too_large"
	CodeVideoTooLong        = "video_too_long"
	CodeAltTextMissing      = "alt_text_missing"
	CodeOptionRequired      = "option_required"
	CodeOptionInvalid       = "option_invalid"
	// The option rules' codes: the chosen option value (a story, a Reel)
	// takes fewer or more attachments, or a video.
	CodeOptionTooManyMedia  = "option_too_many_media"
	CodeOptionMediaRequired = "option_media_required"
	CodeOptionVideoRequired = "option_video_required"
)

// Validate checks a draft against a network's limits, reading only the
// fields of l (no per-network code), and returns every problem found, errors
// and warnings, in a stable order: text, thread, media, options.
func Validate(d Draft, l network.Limits) []Problem {
	v := validator{l: l}
	hasMedia := len(d.Media) > 0
	text := d.Sent(l.Network)
	for _, opt := range countingRules[l.Network].CountedOptions {
		if s := d.Options[opt]; s != "" {
			text = s + text
		}
	}
	if d.Text == "" && d.Link == "" && !hasMedia {
		v.add("text", CodePostEmpty, 0, 0, SeverityError)
	}
	v.text("text", text, hasMedia)

	if len(d.ThreadParts) > 0 {
		if !l.Threads {
			v.add("thread", CodeThreadsNotSupported, 1, int64(len(d.ThreadParts)+1), SeverityError)
		} else {
			for i, part := range d.ThreadParts {
				field := "thread[" + strconv.Itoa(i+2) + "]"
				if part == "" {
					v.add(field, CodeThreadPartEmpty, 0, 0, SeverityError)
					continue
				}
				v.text(field, part, false)
			}
		}
	}

	v.media(d.Media)
	for _, opt := range l.RequiredOptions {
		if d.Options[opt] == "" {
			v.add("options."+opt, CodeOptionRequired, 0, 0, SeverityError)
		}
	}
	v.options(d)
	return v.problems
}

// options checks the post options: a choice must be one the network offers,
// and the option rules bound the attachments of what was chosen.
func (v *validator) options(d Draft) {
	for _, f := range network.PostOptionsFor(v.l.Network) {
		val := d.Options[f.Name]
		if f.Type != network.FieldChoice || val == "" || slices.Contains(f.Options, val) {
			continue
		}
		v.addChoice("options."+f.Name, CodeOptionInvalid, val, 0, 0)
	}
	var n int64
	hasVideo := false
	for _, m := range d.Media {
		n++
		hasVideo = hasVideo || m.Kind == MediaVideo
	}
	for _, r := range v.l.OptionRules {
		if d.Options[r.Option] != r.Value {
			continue
		}
		field := "options." + r.Option
		switch {
		case r.MinMedia > 0 && n < int64(r.MinMedia):
			v.addChoice(field, CodeOptionMediaRequired, r.Value, int64(r.MinMedia), n)
		case r.MaxMedia > 0 && n > int64(r.MaxMedia):
			v.addChoice(field, CodeOptionTooManyMedia, r.Value, int64(r.MaxMedia), n)
		case r.VideoRequired && !hasVideo:
			v.addChoice(field, CodeOptionVideoRequired, r.Value, 1, 0)
		}
	}
}

// HasErrors reports whether any problem blocks publishing.
func HasErrors(problems []Problem) bool {
	for _, p := range problems {
		if p.Severity == SeverityError {
			return true
		}
	}
	return false
}

type validator struct {
	l        network.Limits
	problems []Problem
}

func (v *validator) add(field, code string, limit, value int64, sev Severity) {
	v.addProblem(Problem{Network: v.l.Network, NetworkName: v.l.Name, Field: field, Code: code, Limit: limit, Value: value, Severity: sev})
}

// addChoice adds an error about the chosen value of a post option.
func (v *validator) addChoice(field, code, choice string, limit, value int64) {
	v.addProblem(Problem{Network: v.l.Network, NetworkName: v.l.Name, Field: field, Code: code, Choice: choice, Limit: limit, Value: value, Severity: SeverityError})
}

func (v *validator) addProblem(p Problem) {
	if p.NetworkName == "" {
		p.NetworkName = string(v.l.Network)
	}
	p.Message = MessageIn(p, "en")
	v.problems = append(v.problems, p)
}

// text checks one text (the post or a thread part) against the text limits.
func (v *validator) text(field, s string, hasMedia bool) {
	m := Count(s, v.l, hasMedia)
	if m.Limit > 0 && m.Value > m.Limit {
		code := CodeTextTooLong
		switch {
		case v.l.TextUnit == network.Bytes:
			code = CodeTextTooManyBytes
		case hasMedia && v.l.MaxCaption > 0:
			code = CodeCaptionTooLong
		}
		v.add(field, code, int64(m.Limit), int64(m.Value), SeverityError)
	}
	if v.l.MaxBytes > 0 && m.Bytes > v.l.MaxBytes {
		v.add(field, CodeTextTooManyBytes, int64(v.l.MaxBytes), int64(m.Bytes), SeverityError)
	}
	if v.l.MaxHashtags > 0 && m.Hashtags > v.l.MaxHashtags {
		v.add(field, CodeTooManyHashtags, int64(v.l.MaxHashtags), int64(m.Hashtags), SeverityError)
	}
	if v.l.MaxMentions > 0 && m.Mentions > v.l.MaxMentions {
		v.add(field, CodeTooManyMentions, int64(v.l.MaxMentions), int64(m.Mentions), SeverityError)
	}
}

// media checks the attachments: presence rules, count, then each item.
func (v *validator) media(media []MediaInfo) {
	l := v.l
	n := int64(len(media))
	hasVideo, hasImage := false, false
	for _, m := range media {
		hasVideo = hasVideo || m.Kind == MediaVideo
		hasImage = hasImage || m.Kind == MediaImage || m.Kind == MediaGIF
	}
	switch {
	case l.VideoRequired && !hasVideo:
		v.add("media", CodeVideoRequired, 1, 0, SeverityError)
	case l.ImageRequired && !hasImage:
		v.add("media", CodeImageRequired, 1, 0, SeverityError)
	case l.MediaRequired && n == 0:
		v.add("media", CodeMediaRequired, 1, 0, SeverityError)
	}
	if n == 0 {
		return
	}
	if l.MaxMedia == 0 {
		v.add("media", CodeMediaNotSupported, 0, n, SeverityError)
		return
	}
	if n > int64(l.MaxMedia) {
		v.add("media", CodeTooManyMedia, int64(l.MaxMedia), n, SeverityError)
	}
	for i, m := range media {
		field := "media[" + strconv.Itoa(i+1) + "]"
		switch m.Kind {
		case MediaVideo:
			if l.MaxVideoBytes > 0 && m.Bytes > l.MaxVideoBytes {
				v.add(field, CodeVideoTooLarge, l.MaxVideoBytes, m.Bytes, SeverityError)
			}
			if l.MaxVideoSeconds > 0 && m.DurationSeconds > float64(l.MaxVideoSeconds) {
				v.add(field, CodeVideoTooLong, int64(l.MaxVideoSeconds), int64(math.Ceil(m.DurationSeconds)), SeverityError)
			}
		default:
			if l.MaxImageBytes > 0 && m.Bytes > l.MaxImageBytes {
				v.add(field, CodeImageTooLarge, l.MaxImageBytes, m.Bytes, SeverityError)
			}
		}
		if m.AltText == "" && m.Kind != MediaVideo {
			v.add(field, CodeAltTextMissing, 0, 0, SeverityWarning)
		}
	}
}
