package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/relais/relais/internal/compose"
)

// ImportCmd bulk-schedules posts from a CSV file.
type ImportCmd struct {
	DataFlags
	Workspace  string            `name:"workspace" required:"" help:"Workspace slug."`
	Email      string            `name:"email" help:"Act as this member (default: the workspace's owner)."`
	File       string            `arg:"" optional:"" type:"existingfile" help:"CSV file: relais's columns (date, time, time zone, channels, text, media url, link, labels, tags), Hootsuite's bulk file or Buffer's."`
	ValidOnly  bool              `name:"valid-only" help:"Import the valid rows even when others are invalid (default: nothing unless every row is valid)."`
	DateFormat string            `name:"date-format" enum:",ymd,dmy,mdy" default:"" help:"Order of numeric dates: dmy (31/01/2027), mdy (01/31/2027) or ymd; default: detected, asked when the file cannot tell."`
	Channels   []string          `name:"channels" help:"Channels (ids or handles) for rows that name none, such as Hootsuite's and Buffer's files."`
	Map        map[string]string `name:"map" help:"Read a file column as an import column: --map 'Posting Time=date and time' --map Notes=ignore."`
	JSON       bool              `name:"json" help:"Print the report as JSON."`
	Sample     bool              `name:"sample" help:"Print a sample import file with the workspace's channels instead of importing."`

	Out io.Writer `kong:"-"`
}

// Run imports the file and prints the row-by-row report (or, with
// --sample, prints a sample file).
func (c *ImportCmd) Run(ctx context.Context) error {
	if c.Sample {
		return c.printSample(ctx)
	}
	if c.File == "" {
		return errors.New("import: name the CSV file to import (or --sample for a sample)")
	}
	f, err := os.Open(c.File)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalFor(ctx, a.Store, a.Auth, c.Email, c.Workspace)
	if err != nil {
		return err
	}
	opts := compose.ImportOptions{Columns: c.Map, DateFormat: c.DateFormat, Channels: c.Channels, ValidOnly: c.ValidOnly}
	res, err := composer(a).Import(ctx, p, f, opts)
	refused := errors.Is(err, compose.ErrImportRefused)
	if err != nil && !refused {
		return err
	}
	out := outOr(c.Out)
	if c.JSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		if res.Report.Format != "" {
			fmt.Fprintf(out, "file: %s", res.Report.Format)
			if res.Report.DateFormat != "" {
				fmt.Fprintf(out, ", dates %s", res.Report.DateFormat)
			}
			fmt.Fprintln(out)
		}
		if len(res.Report.IgnoredColumns) > 0 {
			fmt.Fprintf(out, "ignored columns: %s\n", strings.Join(res.Report.IgnoredColumns, ", "))
		}
		for _, pr := range res.Report.Problems {
			fmt.Fprintln(out, pr.Message)
		}
		fmt.Fprintf(out, "%d rows, %d valid; %d posts created, %d scheduled\n", res.Report.Rows, res.Report.ValidRows, len(res.PostIDs), res.Scheduled)
	}
	if refused {
		return fmt.Errorf("nothing imported: %s", res.Error)
	}
	return nil
}

// printSample prints a sample import file for the workspace.
func (c *ImportCmd) printSample(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalFor(ctx, a.Store, a.Auth, c.Email, c.Workspace)
	if err != nil {
		return err
	}
	chans, err := a.Store.Channels(ctx, p.Workspace.ID)
	if err != nil {
		return err
	}
	_, err = outOr(c.Out).Write(compose.SampleImport(chans, p.Workspace.Timezone, time.Now()))
	return err
}

// ExportCmd writes a workspace's posts with their state.
type ExportCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Email     string `name:"email" help:"Act as this member (default: the workspace's owner)."`
	Format    string `name:"format" enum:"csv,json" default:"csv" help:"csv (importable again) or json."`
	Output    string `name:"output" short:"o" help:"File to write (default: stdout)."`

	Out io.Writer `kong:"-"`
}

// Run writes the export.
func (c *ExportCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalFor(ctx, a.Store, a.Auth, c.Email, c.Workspace)
	if err != nil {
		return err
	}
	out := outOr(c.Out)
	if c.Output != "" {
		f, err := os.OpenFile(c.Output, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer f.Close()
		out = f
	}
	return composer(a).Export(ctx, p, compose.Query{}, c.Format, out)
}
