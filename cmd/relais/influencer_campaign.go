package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/influencer"
)

func decodeStrict(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// InfluencerCampaignCmd groups the campaign pipeline's commands.
type InfluencerCampaignCmd struct {
	Shortlist   InfluencerShortlistCmd   `cmd:"" help:"Put an influencer into a campaign (stage shortlisted)."`
	Pipeline    InfluencerPipelineCmd    `cmd:"" help:"A campaign's influencers by stage."`
	Show        InfluencerDealCmd        `cmd:"" help:"A deal: terms, log (moves, messages, contracts) and deliverables."`
	Move        InfluencerMoveCmd        `cmd:"" help:"Move a deal to a stage: shortlisted, contacted, negotiating, contracted, live, delivered, paid, declined."`
	Update      InfluencerDealUpdateCmd  `cmd:"" help:"Change a deal's owner, rate, discount code, short link, conversions or revenue."`
	Link        InfluencerDealLinkCmd    `cmd:"" help:"Make the deal's short link (UTM: influencer, network, campaign) to a target URL."`
	Message     InfluencerMessageCmd     `cmd:"" help:"Log a message exchanged with the influencer."`
	Contract    InfluencerContractCmd    `cmd:"" help:"Attach a contract file of the media library to a deal."`
	Deliverable InfluencerDeliverableCmd `cmd:"" help:"Add or update a deliverable (post, story, video…)."`
	Detect      InfluencerDetectCmd      `cmd:"" help:"Find the influencer's published posts naming the campaign (hashtag, discount code, short link) and attach them."`
	Conversions InfluencerConversionsCmd `cmd:"" help:"Import conversions and revenue per discount code from a CSV (columns code, conversions, revenue)."`
	Results     InfluencerResultsCmd     `cmd:"" help:"Results per influencer: reach, interactions, clicks, conversions, cost, EMV, CPE, CPC, ROI."`
	Report      InfluencerReportCmd      `cmd:"" help:"Write the campaign's report as CSV, HTML or PDF in English, French or German."`
}

// InfluencerShortlistCmd shortlists.
type InfluencerShortlistCmd struct {
	influencerFlags
	Campaign   int64 `name:"campaign" required:"" help:"Campaign id."`
	Influencer int64 `name:"influencer" required:"" help:"Influencer id."`
}

// Run shortlists.
func (c *InfluencerShortlistCmd) Run(ctx context.Context) error {
	svc, p, done, err := c.service(ctx, auth.ActCompose)
	if err != nil {
		return err
	}
	defer done()
	d, err := svc.Shortlist(ctx, p.Workspace.ID, p.User.ID, c.Campaign, c.Influencer, influencer.DealInput{})
	if err != nil {
		return err
	}
	return c.printDeal(ctx, svc, p.Workspace.ID, d.ID)
}

func (c influencerFlags) printDeal(ctx context.Context, svc *influencer.Service, ws, id int64) error {
	d, err := svc.Deal(ctx, ws, id)
	if err != nil {
		return fmt.Errorf("deal %d: %w", id, err)
	}
	return c.print(d, func(w io.Writer) {
		fmt.Fprintf(w, "deal %d\t%s\tcampaign %d\t%s\trate %.2f %s\tcode %s\tlink %d\n", d.ID, d.Influencer, d.CampaignID, d.Stage,
			float64(d.RateCents)/100, d.Currency, d.DiscountCode, d.LinkID)
		for _, e := range d.Events {
			fmt.Fprintf(w, "  %s\t%s\t%s→%s\t%s\n", e.At.Format(time.DateTime), e.Kind, e.FromStage, e.ToStage, e.Body)
		}
		for _, v := range d.Deliverables {
			fmt.Fprintf(w, "  deliverable %d\t%s\t%s\t%s\t%s\n", v.ID, v.Kind, v.Network, v.Status, v.URL)
		}
	})
}

// onDeal runs do on one of the workspace's deals and prints the deal.
func (c influencerFlags) onDeal(ctx context.Context, dealID int64, do func(svc *influencer.Service, p auth.Principal) error) error {
	svc, p, done, err := c.service(ctx, auth.ActCompose)
	if err != nil {
		return err
	}
	defer done()
	if _, err := svc.Store.InfluencerDeal(ctx, p.Workspace.ID, dealID); err != nil {
		return fmt.Errorf("deal %d: %w", dealID, err)
	}
	if err := do(svc, p); err != nil {
		return err
	}
	return c.printDeal(ctx, svc, p.Workspace.ID, dealID)
}

// InfluencerPipelineCmd lists a campaign's deals.
type InfluencerPipelineCmd struct {
	influencerFlags
	Campaign int64 `arg:"" help:"Campaign id."`
}

// Run lists.
func (c *InfluencerPipelineCmd) Run(ctx context.Context) error {
	svc, p, done, err := c.service(ctx, auth.ActView)
	if err != nil {
		return err
	}
	defer done()
	rows, err := svc.Pipeline(ctx, p.Workspace.ID, c.Campaign)
	if err != nil {
		return fmt.Errorf("campaign %d: %w", c.Campaign, err)
	}
	out := make([]influencer.DealView, 0, len(rows))
	for _, r := range rows {
		out = append(out, influencer.ViewDeal(r.InfluencerDeal, r.Influencer))
	}
	return c.print(out, func(w io.Writer) {
		fmt.Fprintln(w, "DEAL\tSTAGE\tINFLUENCER\tRATE\tSINCE")
		for _, d := range out {
			fmt.Fprintf(w, "%d\t%s\t%s\t%.2f %s\t%s\n", d.ID, d.Stage, d.Influencer, float64(d.RateCents)/100, d.Currency, d.StageAt.Format(time.DateOnly))
		}
	})
}

// InfluencerDealCmd shows a deal.
type InfluencerDealCmd struct {
	influencerFlags
	Deal int64 `arg:"" help:"Deal id."`
}

// Run shows.
func (c *InfluencerDealCmd) Run(ctx context.Context) error {
	svc, p, done, err := c.service(ctx, auth.ActView)
	if err != nil {
		return err
	}
	defer done()
	return c.printDeal(ctx, svc, p.Workspace.ID, c.Deal)
}

// InfluencerMoveCmd moves a deal.
type InfluencerMoveCmd struct {
	influencerFlags
	Deal  int64  `arg:"" help:"Deal id."`
	Stage string `arg:"" help:"The new stage."`
	Note  string `name:"note" help:"A note logged with the move."`
}

// Run moves.
func (c *InfluencerMoveCmd) Run(ctx context.Context) error {
	return c.onDeal(ctx, c.Deal, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.Move(ctx, p.Workspace.ID, p.User.ID, c.Deal, c.Stage, c.Note)
		return err
	})
}

// InfluencerDealUpdateCmd changes a deal's terms.
type InfluencerDealUpdateCmd struct {
	influencerFlags
	Deal        int64    `arg:"" help:"Deal id."`
	Owner       *int64   `name:"owner" help:"Owner's user id (0: none)."`
	Rate        *float64 `name:"rate" help:"Agreed fee, in the currency (e.g. 500 or 499.90)."`
	Currency    *string  `name:"currency" help:"ISO 4217 code."`
	Code        *string  `name:"code" help:"Discount code."`
	LinkID      *int64   `name:"link" help:"Short link id (0: none)."`
	Conversions *int64   `name:"conversions" help:"Conversions (sales, sign-ups), entered or imported."`
	Revenue     *float64 `name:"revenue" help:"Revenue attributed to the influencer, in the currency."`
	Notes       *string  `name:"notes" help:"Notes."`
}

func cents(v *float64) *int64 {
	if v == nil {
		return nil
	}
	c := int64(*v*100 + 0.5)
	return &c
}

// Run updates.
func (c *InfluencerDealUpdateCmd) Run(ctx context.Context) error {
	return c.onDeal(ctx, c.Deal, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.UpdateDeal(ctx, p.Workspace.ID, c.Deal, influencer.DealInput{OwnerID: c.Owner, RateCents: cents(c.Rate), Currency: c.Currency,
			DiscountCode: c.Code, LinkID: c.LinkID, Conversions: c.Conversions, RevenueCents: cents(c.Revenue), Notes: c.Notes})
		return err
	})
}

// InfluencerDealLinkCmd makes a deal's short link.
type InfluencerDealLinkCmd struct {
	influencerFlags
	Deal    int64  `arg:"" help:"Deal id."`
	Target  string `arg:"" help:"The http(s) address the link leads to."`
	Network string `name:"network" help:"The network the influencer posts on (utm_source)."`
}

// Run makes the link.
func (c *InfluencerDealLinkCmd) Run(ctx context.Context) error {
	a, p, err := c.act(ctx, auth.ActCompose)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.Influencers.DealLink(ctx, p.Workspace.ID, p.User.ID, c.Deal, c.Target, c.Network); err != nil {
		return err
	}
	return c.printDeal(ctx, a.Influencers, p.Workspace.ID, c.Deal)
}

// InfluencerMessageCmd logs a message.
type InfluencerMessageCmd struct {
	influencerFlags
	Deal int64  `arg:"" help:"Deal id."`
	Text string `arg:"" help:"The message."`
}

// Run logs it.
func (c *InfluencerMessageCmd) Run(ctx context.Context) error {
	return c.onDeal(ctx, c.Deal, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.Message(ctx, p.Workspace.ID, p.User.ID, c.Deal, c.Text)
		return err
	})
}

// InfluencerContractCmd attaches a contract.
type InfluencerContractCmd struct {
	influencerFlags
	Deal  int64  `arg:"" help:"Deal id."`
	Media int64  `name:"media" required:"" help:"Media library id of the contract file."`
	Note  string `name:"note" help:"A note."`
}

// Run attaches it.
func (c *InfluencerContractCmd) Run(ctx context.Context) error {
	return c.onDeal(ctx, c.Deal, func(svc *influencer.Service, p auth.Principal) error {
		_, err := svc.AttachContract(ctx, p.Workspace.ID, p.User.ID, c.Deal, c.Media, c.Note)
		return err
	})
}

// InfluencerDeliverableCmd adds or updates a deliverable.
type InfluencerDeliverableCmd struct {
	influencerFlags
	Deal    int64   `name:"deal" help:"Add a deliverable to this deal."`
	ID      int64   `name:"id" help:"Update this deliverable."`
	Kind    *string `name:"kind" help:"post, story, video, reel, short or live."`
	Network *string `name:"network" help:"The network it is due on."`
	Due     string  `name:"due" help:"Due day (YYYY-MM-DD)."`
	Brief   *string `name:"brief" help:"The brief."`
	Status  *string `name:"status" help:"planned, draft, approved or published."`
	Draft   *int64  `name:"draft" help:"The relais post holding the draft (goes through approval)."`
	URL     *string `name:"url" help:"The published post's address."`
	Counts  string  `name:"counts" help:"Measured counts as JSON ({\"reach\":1200,\"likes\":90,…}; -1 unknown)."`
}

// Run adds or updates.
func (c *InfluencerDeliverableCmd) Run(ctx context.Context) error {
	if (c.Deal == 0) == (c.ID == 0) {
		return fmt.Errorf("give --deal (add) or --id (update)")
	}
	due, err := parseDay("due", c.Due)
	if err != nil {
		return err
	}
	in := influencer.DeliverableInput{Kind: c.Kind, Network: c.Network, DueAt: due, Brief: c.Brief, Status: c.Status, DraftPostID: c.Draft, URL: c.URL}
	if c.Counts != "" {
		counts := influencer.Unknown
		if err := decodeStrict(c.Counts, &counts); err != nil {
			return fmt.Errorf("--counts: %w", err)
		}
		in.Counts = &counts
	}
	svc, p, done, err := c.service(ctx, auth.ActCompose)
	if err != nil {
		return err
	}
	defer done()
	dealID := c.Deal
	if c.Deal != 0 {
		if _, err := svc.Store.InfluencerDeal(ctx, p.Workspace.ID, c.Deal); err != nil {
			return fmt.Errorf("deal %d: %w", c.Deal, err)
		}
		if _, err := svc.AddDeliverable(ctx, p.Workspace.ID, c.Deal, in); err != nil {
			return err
		}
	} else {
		v, err := svc.UpdateDeliverable(ctx, p.Workspace.ID, c.ID, in)
		if err != nil {
			return fmt.Errorf("deliverable %d: %w", c.ID, err)
		}
		dealID = v.DealID
	}
	return c.printDeal(ctx, svc, p.Workspace.ID, dealID)
}

// InfluencerDetectCmd detects published deliverables.
type InfluencerDetectCmd struct {
	influencerFlags
	Deal int64 `arg:"" help:"Deal id."`
}

// Run detects.
func (c *InfluencerDetectCmd) Run(ctx context.Context) error {
	svc, p, done, err := c.service(ctx, auth.ActCompose)
	if err != nil {
		return err
	}
	defer done()
	found, err := svc.Detect(ctx, p.Workspace.ID, c.Deal)
	if err != nil {
		return fmt.Errorf("deal %d: %w", c.Deal, err)
	}
	out := make([]influencer.DeliverableView, 0, len(found))
	for _, v := range found {
		out = append(out, influencer.ViewDeliverable(v))
	}
	return c.print(out, func(w io.Writer) {
		fmt.Fprintf(w, "attached %d published posts\n", len(out))
		for _, v := range out {
			fmt.Fprintf(w, "deliverable %d\t%s\t%s\n", v.ID, v.Network, v.URL)
		}
	})
}

// InfluencerResultsCmd prints results.
type InfluencerResultsCmd struct {
	influencerFlags
	Campaign int64 `arg:"" help:"Campaign id."`
}

// Run prints.
func (c *InfluencerResultsCmd) Run(ctx context.Context) error {
	svc, p, done, err := c.service(ctx, auth.ActView)
	if err != nil {
		return err
	}
	defer done()
	r, err := svc.Results(ctx, p.Workspace.ID, c.Campaign)
	if err != nil {
		return fmt.Errorf("campaign %d: %w", c.Campaign, err)
	}
	if c.JSON {
		return printJSON(os.Stdout, r)
	}
	return influencer.WriteCSV(os.Stdout, r, "en")
}

// InfluencerReportCmd writes a report.
type InfluencerReportCmd struct {
	influencerFlags
	Campaign int64  `arg:"" help:"Campaign id."`
	Format   string `name:"format" default:"pdf" enum:"csv,html,pdf" help:"csv, html or pdf."`
	Lang     string `name:"lang" default:"en" enum:"en,fr,de" help:"en, fr or de."`
	Out      string `name:"out" short:"o" help:"Output file (default: standard output)."`
}

// Run writes it.
func (c *InfluencerReportCmd) Run(ctx context.Context) error {
	if !slices.Contains(influencer.ReportLangs, c.Lang) {
		return fmt.Errorf("--lang %q: en, fr or de", c.Lang)
	}
	svc, p, done, err := c.service(ctx, auth.ActView)
	if err != nil {
		return err
	}
	defer done()
	r, err := svc.Results(ctx, p.Workspace.ID, c.Campaign)
	if err != nil {
		return fmt.Errorf("campaign %d: %w", c.Campaign, err)
	}
	var buf bytes.Buffer
	now := time.Now()
	switch c.Format {
	case "csv":
		err = influencer.WriteCSV(&buf, r, c.Lang)
	case "html":
		err = influencer.WriteHTML(&buf, r, c.Lang, now)
	default:
		err = influencer.WritePDF(&buf, r, c.Lang, p.Workspace.Name, now)
	}
	if err != nil {
		return err
	}
	if c.Out == "" {
		_, err = os.Stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(c.Out, buf.Bytes(), 0o600)
}

// InfluencerConversionsCmd imports conversions per discount code.
type InfluencerConversionsCmd struct {
	influencerFlags
	Campaign int64  `arg:"" help:"Campaign id."`
	File     string `arg:"" help:"CSV file ('-': standard input)."`
}

// Run imports.
func (c *InfluencerConversionsCmd) Run(ctx context.Context) error {
	var r io.Reader = os.Stdin
	if c.File != "-" {
		f, err := os.Open(c.File)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	svc, p, done, err := c.service(ctx, auth.ActCompose)
	if err != nil {
		return err
	}
	defer done()
	n, bad, err := svc.ImportConversions(ctx, p.Workspace.ID, c.Campaign, r)
	if err != nil {
		return err
	}
	if bad == nil {
		bad = []influencer.RowError{}
	}
	return c.print(map[string]any{"updated": n, "errors": bad}, func(w io.Writer) {
		fmt.Fprintf(w, "updated %d deals, %d rows refused\n", n, len(bad))
		for _, e := range bad {
			fmt.Fprintf(w, "line %d\t%s\t%s\n", e.Line, e.Column, e.Reason)
		}
	})
}
