// Command relais is the single binary of relais: the server, the CLI for
// administration and publishing, and the benchmarks.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // IANA zones even on hosts without zoneinfo files

	"github.com/alecthomas/kong"
	"github.com/relais/relais/internal/app"
	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/valid"
)

// CLI is the command tree.
type CLI struct {
	Serve       ServeCmd       `cmd:"" help:"Run the web UI, the REST API and the workers."`
	Migrate     MigrateCmd     `cmd:"" help:"Apply database migrations and exit."`
	User        UserCmd        `cmd:"" help:"Manage user accounts."`
	Workspace   WorkspaceCmd   `cmd:"" help:"Manage workspaces."`
	Token       TokenCmd       `cmd:"" help:"Manage personal API tokens."`
	Channel     ChannelCmd     `cmd:"" help:"Connect, list and check channels."`
	Post        PostCmd        `cmd:"" help:"Compose, show and list posts."`
	Inbox       InboxCmd       `cmd:"" help:"The inbox: list, answer, assign, close and reopen comments, replies and mentions; moderation rules and saved replies."`
	Import      ImportCmd      `cmd:"" help:"Bulk-schedule posts from a CSV file."`
	Export      ExportCmd      `cmd:"" help:"Export a workspace's posts as CSV or JSON."`
	Backup      BackupCmd      `cmd:"" help:"Write a consistent backup of the database."`
	Key         KeyCmd         `cmd:"" help:"Manage the secret keys that encrypt tokens at rest."`
	Apps        AppsCmd        `cmd:"" help:"Configure the network apps (client ids, secrets, webhook tokens) as the operator."`
	Link        LinkCmd        `cmd:"" help:"Create, list and measure short links."`
	Campaign    CampaignCmd    `cmd:"" help:"Create, list and show campaigns."`
	Contest     ContestCmd     `cmd:"" help:"Run contests: create, moderate entries, audit votes, draw and verify."`
	Influencer  InfluencerCmd  `cmd:"" help:"Influencer directory, vetting score, metric history and the campaign pipeline."`
	Listen      ListenCmd      `cmd:"" help:"Social listening: queries, mentions, volume."`
	Competitors CompetitorsCmd `cmd:"" help:"Competitor benchmark: panels of brands, their public metrics, the ranking report."`
	Bench       BenchCmd       `cmd:"" help:"Run the benchmarks and print their numbers."`
	Sentiment   SentimentCmd   `cmd:"" help:"${sentiment_help}"`
	Coach       CoachCmd       `cmd:"" help:"Report a draft (stdin) against Bhargava's five rules, as JSON."`
	Feedback    FeedbackCmd    `cmd:"" help:"${feedback_help}"`
	Analytics   AnalyticsCmd   `cmd:"" help:"Collect metrics and print reports: reach, interactions, growth."`
	Version     VersionCmd     `cmd:"" help:"Print the version."`
}

// serveCLI is the command tree of `relais serve` alone: a server runs for
// months, and the model of the whole tree (every command's flags) would stay
// in its memory all that time (about 8 MB).
type serveCLI struct {
	Serve ServeCmd `cmd:"" help:"Run the web UI, the REST API and the workers."`
}

// sentimentCLI and feedbackCLI are the trees of the text commands alone:
// scripts pipe batches of comments through them, and building the whole
// tree's model takes about 70 ms, most of a small batch's time.
type sentimentCLI struct {
	Sentiment SentimentCmd `cmd:"" help:"${sentiment_help}"`
}

type feedbackCLI struct {
	Feedback FeedbackCmd `cmd:"" help:"${feedback_help}"`
}

func main() {
	var cli any = &CLI{}
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "serve":
			cli = &serveCLI{}
		case "sentiment":
			cli = &sentimentCLI{}
		case "feedback":
			cli = &feedbackCLI{}
		}
	}
	kctx := kong.Parse(cli,
		kong.Name("relais"),
		kong.Description("relais: self-hosted social media management."),
		kong.UsageOnError(),
		kong.Vars{"version": app.Version,
			"sentiment_help": "Score the sentiment of texts on stdin, one per line: label<TAB>compound<TAB>lang.",
			"feedback_help":  "What customers talk about: feedback themes of texts."},
	)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	kctx.BindTo(ctx, (*context.Context)(nil))
	if err := kctx.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "relais:", cliMessage(err))
		os.Exit(1)
	}
}

// cliMessage says what went wrong without the package prefixes of wrapped
// errors when the input was at fault: every problem of a post that does not
// validate, each with its field, or the validation message (which names its field).
func cliMessage(err error) string {
	if ve, ok := compose.AsValidation(err); ok && len(ve.Problems) > 0 {
		lines := make([]string, 0, len(ve.Problems))
		for _, p := range ve.Problems {
			lines = append(lines, p.Path+": "+p.Message)
		}
		return strings.Join(lines, "\n  ")
	}
	if e, ok := valid.As(err); ok {
		return e.Message
	}
	return err.Error()
}

// VersionCmd prints the version.
type VersionCmd struct{}

// Run prints the version.
func (VersionCmd) Run() error {
	fmt.Println(app.Version)
	return nil
}

func logger(format, level string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
