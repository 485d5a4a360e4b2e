package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
)

// PostDeleteCmd deletes a post; with --remote its published copies are
// deleted on their networks first.
type PostDeleteCmd struct {
	DataFlags
	ID     int64  `arg:"" help:"Post id."`
	Remote bool   `name:"remote" help:"Delete the post on its networks too (each call is logged); the post stays in relais if a network fails."`
	Email  string `name:"email" help:"Act as this member (default: the workspace's owner)."`

	Out io.Writer `kong:"-"`
}

// Run deletes the post and prints, per network, what happened.
func (c *PostDeleteCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	// Closing the webhooks delivers the post.deleted notifications queued.
	defer a.Webhooks.Close()
	p, err := principalForPost(ctx, a.Store, a.Auth, c.Email, c.ID)
	if err != nil {
		return err
	}
	rep, err := a.Compose.DeletePost(ctx, p, c.ID, c.Remote)
	if err != nil {
		return fmt.Errorf("post delete: %w", err)
	}
	out := outOr(c.Out)
	if len(rep.Remote) > 0 {
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "PUBLICATION\tNETWORK\tOUTCOME\tMESSAGE")
		for _, o := range rep.Remote {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", o.PublicationID, o.Network, o.Outcome, o.Message)
		}
		tw.Flush()
	}
	if !rep.Removed {
		return fmt.Errorf("post delete: post %d stays in relais: not every network deleted it (see above); run the command again, or without --remote to remove it from relais only", c.ID)
	}
	fmt.Fprintf(out, "post %d deleted\n", c.ID)
	return nil
}
