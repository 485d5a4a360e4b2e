package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/relais/relais/internal/analytics"
	"github.com/relais/relais/internal/compose"
)

// ChannelSlotsCmd shows a channel's posting slots with the best-time
// model's recommendation, and adds the recommended slots on request.
type ChannelSlotsCmd struct {
	DataFlags
	ID           int64  `arg:"" help:"Channel id."`
	Workspace    string `name:"workspace" required:"" help:"Workspace slug."`
	Email        string `name:"email" help:"Act as this member (default: the workspace's owner)."`
	AddSuggested bool   `name:"add-suggested" help:"Add the recommended slots to the channel's slots (those already there are kept once)."`
	JSON         bool   `name:"json" help:"Print JSON: the channel's slots (slots) and the recommendation (suggested)."`
}

// Run prints the slots and the recommendation.
func (c *ChannelSlotsCmd) Run(ctx context.Context) error {
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := principalFor(ctx, a.Store, a.Auth, c.Email, c.Workspace)
	if err != nil {
		return err
	}
	cur, sg, err := a.Analytics.SuggestForChannel(ctx, a.Compose, p, c.ID, c.AddSuggested)
	if err != nil {
		return fmt.Errorf("channel %d: %w", c.ID, err)
	}
	if c.JSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Slots     compose.Slots            `json:"slots"`
			Suggested analytics.SlotSuggestion `json:"suggested"`
		}{cur, sg})
	}
	fmt.Printf("slots (%s): %s\n", cur.Timezone, orNone(cur.Spec))
	if len(sg.Slots) == 0 {
		fmt.Printf("best times: none yet (%d measured posts in the last 16 weeks show no hour that clearly does better)\n", sg.Posts)
		return nil
	}
	var parts []string
	for _, s := range sg.Slots {
		parts = append(parts, fmt.Sprintf("%s (%.0f%% of a typical post)", s.Slot, s.Index))
	}
	fmt.Printf("best times: %s\n", strings.Join(parts, ", "))
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
