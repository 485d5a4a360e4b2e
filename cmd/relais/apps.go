package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/relais/relais/internal/operator"
)

// AppsCmd manages the network apps (client ids, secrets, webhook tokens) as
// the instance's operator; the web UI's network apps page does the same for
// instance administrators.
type AppsCmd struct {
	List  AppsListCmd  `cmd:"" help:"List the network apps: each setting, whether it is set and where from, the callback URLs to register."`
	Set   AppsSetCmd   `cmd:"" help:"Store a network app setting (the environment wins over it); the value is read from stdin, one line."`
	Unset AppsUnsetCmd `cmd:"" help:"Remove a stored network app setting."`
}

// AppsListCmd lists the network apps.
type AppsListCmd struct {
	DataFlags
	JSON bool `name:"json" help:"Print JSON."`
}

// Run lists the apps; secrets only say whether they are set.
func (c *AppsListCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	apps, err := a.Operator.Apps(true, a.Config.PublicURL())
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(apps)
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	for _, ap := range apps {
		state := "not configured"
		if ap.Configured {
			state = "configured"
		}
		fmt.Fprintf(w, "%s\t%s\tcallbacks: %s\n", ap.ID, state, strings.Join(ap.Callbacks, " "))
		for _, f := range ap.Fields {
			v := "-"
			switch {
			case f.Set && f.Secret:
				v = "(secret set)"
			case f.Set:
				v = f.Value
			}
			src := string(f.Source)
			if src == "" {
				src = "unset"
			}
			fmt.Fprintf(w, "  %s\t%s\t%s\n", f.Env, v, src)
		}
	}
	return w.Flush()
}

// AppsSetCmd stores one setting.
type AppsSetCmd struct {
	DataFlags
	Key string `arg:"" help:"The setting's environment variable, e.g. RELAIS_META_APP_ID (see relais apps list)."`
}

// Run reads the value from stdin (so that secrets stay out of the shell history).
func (c *AppsSetCmd) Run(ctx context.Context) error {
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("apps set: read the value of %s from stdin: %w", c.Key, err)
	}
	value := strings.TrimSpace(line)
	if value == "" {
		return fmt.Errorf("%s: the value on stdin is empty; use relais apps unset to remove it", c.Key)
	}
	return c.DataFlags.changeApp(ctx, operator.Change{Env: c.Key, Value: value})
}

// changeApp applies one change to the stored network app settings.
func (d DataFlags) changeApp(ctx context.Context, ch operator.Change) error {
	a, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.Operator.Set(ctx, true, 0, []operator.Change{ch})
}

// AppsUnsetCmd removes one stored setting.
type AppsUnsetCmd struct {
	DataFlags
	Key string `arg:"" help:"The setting's environment variable, e.g. RELAIS_META_APP_SECRET."`
}

// Run removes the stored value.
func (c *AppsUnsetCmd) Run(ctx context.Context) error {
	return c.DataFlags.changeApp(ctx, operator.Change{Env: c.Key, Clear: true})
}
