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
	Themes  FeedbackThemesCmd  `cmd:"" help:"Feedback themes of texts on stdin, one per line: themes (comma-separated)<TAB>lang."`
	Summary FeedbackSummaryCmd `cmd:"" help:"Comments on stdin (one per line, optionally date<TAB>comment) summed up per theme."`
}

// FeedbackSummaryCmd sums up comments per theme.
type FeedbackSummaryCmd struct {
	Lang string `name:"lang" enum:"auto,en,fr,de" default:"auto" help:"Language of the comments (auto: detect each)."`
	JSON bool   `name:"json" help:"Print the JSON summary (as POST /api/v1/feedback/summary answers)."`
}

// Run prints the per-theme table or the JSON summary.
func (c *FeedbackSummaryCmd) Run() error {
	return feedback.RunSummaryCLI(os.Stdin, os.Stdout, c.Lang, c.JSON)
}

// FeedbackThemesCmd finds the feedback themes of texts read line by line.
type FeedbackThemesCmd struct {
	Lang string `name:"lang" enum:"auto,en,fr,de" default:"auto" help:"Language of the texts (auto: detect per line)."`
}

// Run prints themes<TAB>lang per input line.
func (c *FeedbackThemesCmd) Run() error {
	return feedback.RunCLI(os.Stdin, os.Stdout, c.Lang)
}
