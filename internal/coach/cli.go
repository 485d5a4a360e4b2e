package coach

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/relais/relais/internal/sentiment"
)

// maxDraftBytes bounds the draft read from standard input.
const maxDraftBytes = 1 << 20

// ErrEmptyDraft is returned when the draft text is empty.
var ErrEmptyDraft = errors.New("coach: the draft text is empty")

// RunCLI implements `relais coach`: it reads one draft from in and writes the
// JSON report, indented, to out. lang is "auto"/"" to detect or a language
// tag; media is the number of visuals attached and channels the number of
// channels planned.
func RunCLI(in io.Reader, out io.Writer, lang string, media, channels int) error {
	if media < 0 {
		return fmt.Errorf("coach: --media must be 0 or more, got %d", media)
	}
	if channels < 0 {
		return fmt.Errorf("coach: --channels must be 0 or more, got %d", channels)
	}
	b, err := io.ReadAll(io.LimitReader(in, maxDraftBytes+1))
	if err != nil {
		return fmt.Errorf("coach: read draft: %w", err)
	}
	if len(b) > maxDraftBytes {
		return fmt.Errorf("coach: the draft may have at most %d bytes", maxDraftBytes)
	}
	text := strings.TrimSpace(strings.ReplaceAll(string(b), "\r\n", "\n"))
	if text == "" {
		return ErrEmptyDraft
	}
	if lang == "auto" {
		lang = ""
	}
	if lang != "" && sentiment.NormalizeTag(lang) == "" {
		return fmt.Errorf("coach: --lang %q: want auto, en, fr, de or a language tag", lang)
	}
	rep := Analyze(Draft{Text: text, Lang: lang, Media: media, Channels: channels})
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("coach: write report: %w", err)
	}
	return nil
}
