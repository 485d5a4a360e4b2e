package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/relais/relais/internal/store"
)

// PostMarkPublishedCmd records that a person found a needs_review publication
// on the network. Retrying it instead may publish a second time on networks
// without idempotency keys, so checking first and confirming is the safe path.
type PostMarkPublishedCmd struct {
	DataFlags
	ID          int64  `arg:"" help:"Post id."`
	Publication int64  `name:"publication" required:"" help:"Id of the post's publication in needs_review (see relais post show --json)."`
	URL         string `name:"url" help:"Address of the post on the network (http or https), if known."`
	Email       string `name:"email" help:"Act as this member (default: the workspace's owner)."`

	Out io.Writer `kong:"-"`
}

// Run marks the publication as published and prints the post's new state.
func (c *PostMarkPublishedCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalForPost(ctx, a.Store, a.Auth, c.Email, c.ID)
	if err != nil {
		return err
	}
	v, err := composer(a).MarkPublished(ctx, p, c.ID, c.Publication, c.URL)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("publication: post %d has no publication with the id %d", c.ID, c.Publication)
	}
	if err != nil {
		return fmt.Errorf("post mark-published: %w", err)
	}
	fmt.Fprintf(outOr(c.Out), "post %d: publication %d marked as published; the post is %s\n", v.ID, c.Publication, v.State)
	return nil
}
