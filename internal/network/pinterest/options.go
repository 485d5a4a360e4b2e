package pinterest

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/internal/network"
)

// Pinterest's limits on a pin's fields, in characters.
const (
	MaxTitle       = 100
	MaxDescription = 500
	MaxAltText     = 500
	MaxLink        = 2048
	MaxCarousel    = 5
)

// PostOptions are Pinterest's choices for a pin: the board (and section),
// offered from the boards a channel stored at connect (nil settings: typed
// as an id), the title, and a video's cover frame.
func PostOptions(settings map[string]string) []network.Field {
	board := network.Field{Name: "board", Label: "Board", Help: "The board's id, or board id/section id"}
	var boards []Board
	if s := settings["boards"]; s != "" && json.Unmarshal([]byte(s), &boards) == nil && len(boards) > 0 {
		board = network.Field{Name: "board", Label: "Board", Type: network.FieldChoice, Options: []string{""}, OptionLabels: []string{"—"}}
		for _, b := range boards {
			board.Options = append(board.Options, b.ID)
			board.OptionLabels = append(board.OptionLabels, b.Name)
			for _, s := range b.Sections {
				board.Options = append(board.Options, b.ID+"/"+s.ID)
				board.OptionLabels = append(board.OptionLabels, b.Name+" › "+s.Name)
			}
		}
	}
	return []network.Field{
		board,
		{Name: "title", Label: "Pin title", Help: "At most 100 characters"},
		{Name: "cover_frame_seconds", Label: "Video cover", Help: "Video pins: the second of the video shown as the cover (default 0); an image attached with the video becomes the cover instead"},
	}
}

// pinChoices are a pin's options, checked.
type pinChoices struct {
	board, section, title string
	coverSeconds          float64
}

func invalid(format string, a ...any) *network.Error {
	return &network.Error{Class: network.InvalidContent, Network: network.Pinterest, Message: fmt.Sprintf(format, a...)}
}

// choices reads the board ("id" or "id/section"), an explicit section
// (board_section), the title and the cover frame.
func choices(o map[string]string) (pinChoices, error) {
	var c pinChoices
	c.board, c.section, _ = strings.Cut(strings.TrimSpace(o["board"]), "/")
	if s := strings.TrimSpace(o["board_section"]); s != "" {
		c.section = s
	}
	if c.board == "" {
		return c, invalid("board is required: choose the board to pin to")
	}
	for _, id := range []string{c.board, c.section} {
		if strings.ContainsAny(id, "/?#% ") {
			return c, invalid("board %q is not a board id", o["board"])
		}
	}
	c.title = strings.TrimSpace(o["title"])
	if n := utf8.RuneCountInString(c.title); n > MaxTitle {
		return c, invalid("the pin title is %d characters; Pinterest allows %d", n, MaxTitle)
	}
	if s := strings.TrimSpace(o["cover_frame_seconds"]); s != "" {
		if _, err := fmt.Sscanf(s, "%g", &c.coverSeconds); err != nil || c.coverSeconds < 0 || c.coverSeconds > 900 {
			return c, invalid("cover_frame_seconds must be a number of seconds from 0 to 900; got %q", s)
		}
	}
	return c, nil
}
