package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/influencer"
	"github.com/relais/relais/internal/store"
)

// InfluencerCmd groups the influencer directory's commands.
type InfluencerCmd struct {
	Add      InfluencerAddCmd      `cmd:"" help:"Add an influencer with accounts (--account network:handle)."`
	List     InfluencerListCmd     `cmd:"" help:"List the directory (search with --query, filter with --tag)."`
	Show     InfluencerShowCmd     `cmd:"" help:"Show an influencer: contact, accounts, metric history."`
	Import   InfluencerImportCmd   `cmd:"" help:"Import a CSV list (BOM, ; or , separators, quoted fields; columns named name, email, consent, instagram, mastodon, bluesky, youtube, tiktok, tags, notes, country, language)."`
	Score    InfluencerScoreCmd    `cmd:"" help:"The vetting score (0–100) of each account, with every component's reason."`
	Collect  InfluencerCollectCmd  `cmd:"" help:"Read the accounts' public profiles and recent posts now (one influencer, or every due account with --due)."`
	Settings InfluencerSettingsCmd `cmd:"" help:"Show or change the EMV table, target languages and brand-safety terms."`
	Campaign InfluencerCampaignCmd `cmd:"" help:"The campaign pipeline: shortlist, move, terms, messages, contracts, deliverables, results and reports."`
}

type influencerFlags struct {
	memberFlags
	JSON bool `name:"json" help:"Print JSON."`
}

func (f influencerFlags) service(ctx context.Context, action auth.Action) (*influencer.Service, auth.Principal, func(), error) {
	a, p, err := f.act(ctx, action)
	if err != nil {
		return nil, p, nil, err
	}
	return a.Influencers, p, func() { a.Close() }, nil
}

func (f influencerFlags) print(v any, text func(w io.Writer)) error {
	if f.JSON {
		return printJSON(os.Stdout, v)
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	text(tw)
	return tw.Flush()
}

// parseAccounts reads "network:handle" values.
func parseAccounts(vals []string) ([]influencer.Account, error) {
	var out []influencer.Account
	for _, v := range vals {
		n, h, ok := strings.Cut(v, ":")
		if !ok || !slices.Contains(influencer.Networks, n) {
			return nil, fmt.Errorf("--account %q: want network:handle, network one of %s", v, strings.Join(influencer.Networks, ", "))
		}
		out = append(out, influencer.Account{Network: n, Handle: h})
	}
	return out, nil
}

// InfluencerAddCmd adds an influencer.
type InfluencerAddCmd struct {
	influencerFlags
	Name     string   `arg:"" help:"Name."`
	Account  []string `name:"account" help:"An account as network:handle (instagram:name, mastodon:user@instance, bluesky:name.bsky.social); repeatable."`
	Mail     string   `name:"contact-email" help:"The influencer's e-mail (needs --consent)."`
	Phone    string   `name:"phone" help:"The influencer's phone (needs --consent)."`
	Consent  bool     `name:"consent" help:"The influencer agreed to their contact details being kept."`
	Country  string   `name:"country" help:"Two-letter country code."`
	Language string   `name:"language" help:"Language code."`
	Tag      []string `name:"tag" help:"A tag; repeatable."`
	Notes    string   `name:"notes" help:"Notes."`
}

// Run adds the influencer.
func (c *InfluencerAddCmd) Run(ctx context.Context) error {
	accs, err := parseAccounts(c.Account)
	if err != nil {
		return err
	}
	svc, p, done, err := c.service(ctx, auth.ActCompose)
	if err != nil {
		return err
	}
	defer done()
	in, err := svc.Add(ctx, p.Workspace.ID, p.User.ID, influencer.Input{Name: c.Name, Email: c.Mail, Phone: c.Phone, Consent: c.Consent,
		Country: c.Country, Language: c.Language, Tags: c.Tag, Notes: c.Notes, Accounts: accs})
	if err != nil {
		return err
	}
	v, err := svc.View(ctx, p.Workspace.ID, in)
	if err != nil {
		return err
	}
	return c.print(v, func(w io.Writer) { fmt.Fprintf(w, "%d\t%s\n", v.ID, v.Name) })
}

// InfluencerListCmd lists the directory.
type InfluencerListCmd struct {
	influencerFlags
	Query string `name:"query" help:"Name, handle or notes contain this."`
	Tag   string `name:"tag" help:"Only influencers with this tag."`
	Limit int    `name:"limit" default:"500" help:"At most this many (1–5000)."`
}

// Run lists.
func (c *InfluencerListCmd) Run(ctx context.Context) error {
	if c.Limit < 1 || c.Limit > 5000 {
		return fmt.Errorf("--limit must be between 1 and 5000; got %d", c.Limit)
	}
	svc, p, done, err := c.service(ctx, auth.ActView)
	if err != nil {
		return err
	}
	defer done()
	list, err := svc.List(ctx, p.Workspace.ID, store.InfluencerFilter{Query: c.Query, Tag: strings.ToLower(c.Tag), Limit: c.Limit})
	if err != nil {
		return err
	}
	return c.print(list, func(w io.Writer) {
		fmt.Fprintln(w, "ID\tNAME\tACCOUNTS\tTAGS")
		for _, v := range list {
			var accs []string
			for _, a := range v.Accounts {
				accs = append(accs, fmt.Sprintf("%s:%s (%s)", a.Network, a.Handle, followers(a.Followers)))
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", v.ID, v.Name, strings.Join(accs, ", "), strings.Join(v.Tags, ", "))
		}
	})
}

func followers(n int64) string {
	if n < 0 {
		return "followers unknown"
	}
	return fmt.Sprintf("%d followers", n)
}

// InfluencerShowCmd shows one influencer.
type InfluencerShowCmd struct {
	influencerFlags
	ID int64 `arg:"" help:"Influencer id."`
}

// InfluencerDetail is an influencer with each account's history, deals and scores.
type InfluencerDetail struct {
	influencer.InfluencerView
	History map[string][]influencer.SnapshotView `json:"history"`
	Scores  []influencer.AccountScore            `json:"scores"`
	Deals   []influencer.DealView                `json:"deals"`
}

// Run shows it.
func (c *InfluencerShowCmd) Run(ctx context.Context) error {
	svc, p, done, err := c.service(ctx, auth.ActView)
	if err != nil {
		return err
	}
	defer done()
	d, err := influencerDetail(ctx, svc, p.Workspace.ID, c.ID)
	if err != nil {
		return err
	}
	return c.print(d, func(w io.Writer) {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\n", d.ID, d.Name, d.Country, strings.Join(d.Tags, ", "))
		if d.Consent {
			fmt.Fprintf(w, "contact\t%s\t%s\n", d.Email, d.Phone)
		}
		for _, a := range d.Accounts {
			fmt.Fprintf(w, "%s\t%s\t%s\t%d days of history\n", a.Network, a.Handle, followers(a.Followers), len(d.History[fmt.Sprint(a.ID)]))
		}
		for _, s := range d.Scores {
			fmt.Fprintf(w, "score\t%s:%s\t%s\n", s.Network, s.Handle, scoreText(s.Score))
		}
		for _, dl := range d.Deals {
			fmt.Fprintf(w, "campaign %d\tdeal %d\t%s\n", dl.CampaignID, dl.ID, dl.Stage)
		}
	})
}

func influencerDetail(ctx context.Context, svc *influencer.Service, ws, id int64) (InfluencerDetail, error) {
	in, err := svc.Store.Influencer(ctx, ws, id)
	if err != nil {
		return InfluencerDetail{}, fmt.Errorf("influencer %d: %w", id, err)
	}
	v, err := svc.View(ctx, ws, in)
	if err != nil {
		return InfluencerDetail{}, err
	}
	d := InfluencerDetail{InfluencerView: v, History: map[string][]influencer.SnapshotView{}, Deals: []influencer.DealView{}}
	for _, a := range v.Accounts {
		if d.History[fmt.Sprint(a.ID)], err = svc.Snapshots(ctx, ws, a.ID); err != nil {
			return d, err
		}
	}
	if d.Scores, err = svc.Score(ctx, ws, id); err != nil {
		return d, err
	}
	deals, err := svc.Store.InfluencerDeals(ctx, ws, 0, id)
	if err != nil {
		return d, err
	}
	for _, dl := range deals {
		d.Deals = append(d.Deals, influencer.ViewDeal(dl, in.Name))
	}
	return d, nil
}

func scoreText(s influencer.Score) string {
	if !s.Known {
		return "unknown (no data yet: collect first)"
	}
	t := fmt.Sprintf("%d/100", s.Score)
	if s.Partial {
		t += " (partial)"
	}
	return t
}

// InfluencerImportCmd imports a CSV list.
type InfluencerImportCmd struct {
	influencerFlags
	File string `arg:"" help:"CSV file ('-': standard input)."`
}

// Run imports.
func (c *InfluencerImportCmd) Run(ctx context.Context) error {
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
	res, err := svc.Import(ctx, p.Workspace.ID, p.User.ID, r)
	if err != nil {
		return err
	}
	err = c.print(res, func(w io.Writer) {
		fmt.Fprintf(w, "imported %d influencers, %d rows refused\n", len(res.Created), len(res.Errors))
		for _, e := range res.Errors {
			fmt.Fprintf(w, "line %d\t%s\t%s\n", e.Line, e.Column, e.Reason)
		}
	})
	if err == nil && len(res.Errors) > 0 && len(res.Created) == 0 {
		return errors.New("no row imported")
	}
	return err
}

// InfluencerScoreCmd prints the vetting scores.
type InfluencerScoreCmd struct {
	influencerFlags
	ID int64 `arg:"" help:"Influencer id."`
}

// Run scores.
func (c *InfluencerScoreCmd) Run(ctx context.Context) error {
	svc, p, done, err := c.service(ctx, auth.ActView)
	if err != nil {
		return err
	}
	defer done()
	scores, err := svc.Score(ctx, p.Workspace.ID, c.ID)
	if err != nil {
		return fmt.Errorf("influencer %d: %w", c.ID, err)
	}
	return c.print(scores, func(w io.Writer) {
		for _, s := range scores {
			fmt.Fprintf(w, "%s:%s\t%s\ttier %s\tER %.2f%%\n", s.Network, s.Handle, scoreText(s.Score), s.Tier, s.ER)
			for _, comp := range s.Components {
				fmt.Fprintf(w, "  %s\t%s\t%s\n", comp.Key, comp.Status, comp.Reason)
			}
		}
	})
}

// InfluencerCollectCmd collects now.
type InfluencerCollectCmd struct {
	influencerFlags
	ID  int64 `arg:"" optional:"" help:"Influencer id (all of its accounts)."`
	Due bool  `name:"due" help:"Every account of every workspace not collected for 20 hours (what relais serve does)."`
}

// CollectResult is what a collection did.
type CollectResult struct {
	Collected []influencer.AccountView `json:"collected"`
	Errors    []string                 `json:"errors"`
}

// Run collects.
func (c *InfluencerCollectCmd) Run(ctx context.Context) error {
	if (c.ID == 0) == !c.Due {
		return errors.New("give an influencer id or --due")
	}
	svc, p, done, err := c.service(ctx, auth.ActCompose)
	if err != nil {
		return err
	}
	defer done()
	if c.Due {
		n, failed, err := svc.CollectDue(ctx, 10_000)
		if err != nil {
			return err
		}
		return c.print(map[string]int{"collected": n, "failed": failed}, func(w io.Writer) { fmt.Fprintf(w, "collected %d accounts, %d failed\n", n, failed) })
	}
	accs, err := svc.Store.InfluencerAccounts(ctx, p.Workspace.ID, c.ID)
	if err != nil {
		return err
	}
	res := CollectResult{Collected: []influencer.AccountView{}, Errors: []string{}}
	for _, a := range accs {
		got, err := svc.Collect(ctx, p.Workspace.ID, a.ID)
		if err != nil {
			res.Errors = append(res.Errors, fmt.Sprintf("%s:%s: %v", a.Network, a.Handle, err))
			continue
		}
		res.Collected = append(res.Collected, influencer.ViewAccount(got))
	}
	err = c.print(res, func(w io.Writer) {
		for _, a := range res.Collected {
			fmt.Fprintf(w, "%s:%s\t%s\t%d following\t%d posts\n", a.Network, a.Handle, followers(a.Followers), a.Following, a.Posts)
		}
		for _, e := range res.Errors {
			fmt.Fprintf(w, "error\t%s\n", e)
		}
	})
	if err == nil && len(res.Errors) > 0 {
		return fmt.Errorf("%d of %d accounts could not be collected", len(res.Errors), len(accs))
	}
	return err
}

// InfluencerSettingsCmd shows or changes settings.
type InfluencerSettingsCmd struct {
	influencerFlags
	EMV            string   `name:"emv" help:"The EMV table as JSON: [{\"network\":\"*\",\"action\":\"likes\",\"value\":0.05}, …] (impressions and views: CPM)."`
	ResetEMV       bool     `name:"reset-emv" help:"Go back to the default EMV table."`
	TargetLanguage []string `name:"target-language" help:"The audience's language (en, fr, de); repeatable; replaces the list."`
	BrandTerm      []string `name:"brand-term" help:"A brand-safety term; repeatable; replaces the list."`
}

// Run shows or saves.
func (c *InfluencerSettingsCmd) Run(ctx context.Context) error {
	change := c.EMV != "" || c.ResetEMV || c.TargetLanguage != nil || c.BrandTerm != nil
	action := auth.ActView
	if change {
		action = auth.ActManageWorkspace
	}
	svc, p, done, err := c.service(ctx, action)
	if err != nil {
		return err
	}
	defer done()
	set, err := svc.Settings(ctx, p.Workspace.ID)
	if err != nil {
		return err
	}
	if change {
		if c.ResetEMV {
			set.EMV = nil
		}
		if c.EMV != "" {
			set.EMV = nil
			if err := decodeStrict(c.EMV, &set.EMV); err != nil {
				return fmt.Errorf("--emv: %w", err)
			}
		}
		if c.TargetLanguage != nil {
			set.TargetLanguages = c.TargetLanguage
		}
		if c.BrandTerm != nil {
			set.BrandSafetyTerms = c.BrandTerm
		}
		if err := svc.SaveSettings(ctx, p.Workspace.ID, set); err != nil {
			return err
		}
		if set, err = svc.Settings(ctx, p.Workspace.ID); err != nil {
			return err
		}
	}
	return c.print(set, func(w io.Writer) {
		fmt.Fprintf(w, "target languages\t%s\nbrand-safety terms\t%s\n", strings.Join(set.TargetLanguages, ", "), strings.Join(set.BrandSafetyTerms, ", "))
		for _, r := range set.EMV {
			fmt.Fprintf(w, "emv\t%s\t%s\t%.2f\n", r.Network, r.Action, r.Value)
		}
	})
}

func parseDay(flag, s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, fmt.Errorf("--%s %q: want YYYY-MM-DD", flag, s)
	}
	return &t, nil
}
