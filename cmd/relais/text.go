package main

import (
	"os"

	"github.com/relais/relais/internal/coach"
	"github.com/relais/relais/internal/feedback"
	"github.com/relais/relais/internal/sentiment"
)

// SentimentCmd scores texts read line by line.
type SentimentCmd struct {
	Lang string `name:"lang" enum:"auto,en,fr,de" default:"auto" help:"Language of the texts (auto: detect per line)."`
}

// Run prints label<TAB>compound<TAB>lang per input line.
func (c *SentimentCmd) Run() error {
	return sentiment.RunCLI(os.Stdin, os.Stdout, c.Lang)
}

// CoachCmd reports a draft against Bhargava's five rules.
type CoachCmd struct {
	Lang     string `name:"lang" enum:"auto,en,fr,de" default:"auto" help:"Language of the draft (auto: detect)."`
	Media    int    `name:"media" default:"0" help:"How many images or videos are attached."`
	Channels int    `name:"channels" default:"1" help:"How many channels the draft is planned for."`
}

// Run prints the JSON report.
func (c *CoachCmd) Run() error {
	return coach.RunCLI(os.Stdin, os.Stdout, c.Lang, c.Media, c.Channels)
}

// FeedbackCmd groups the customer-feedback commands.
type FeedbackCmd struct {
	Themes FeedbackThemesCmd `cmd:"" help:"Feedback themes of texts on stdin, one per line: themes (comma-separated)<TAB>lang."`
}

// FeedbackThemesCmd finds the feedback themes of texts read line by line.
type FeedbackThemesCmd struct {
	Lang string `name:"lang" enum:"auto,en,fr,de" default:"auto" help:"Language of the texts (auto: detect per line)."`
}

// Run prints themes<TAB>lang per input line.
func (c *FeedbackThemesCmd) Run() error {
	return feedback.RunCLI(os.Stdin, os.Stdout, c.Lang)
}
