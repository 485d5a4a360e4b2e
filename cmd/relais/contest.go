package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/relais/relais/internal/contest"
	"github.com/relais/relais/internal/store"
)

// ContestCmd groups contest commands.
type ContestCmd struct {
	Create   ContestCreateCmd   `cmd:"" help:"Create a contest (photo, video, candidates, giveaway, quiz or comments); prints its id (or JSON)."`
	List     ContestListCmd     `cmd:"" help:"List a workspace's contests."`
	Show     ContestShowCmd     `cmd:"" help:"Show a contest with its standings and audit log."`
	Entries  ContestEntriesCmd  `cmd:"" help:"List a contest's entries, or add a candidate with --add."`
	Moderate ContestModerateCmd `cmd:"" help:"Approve or reject an entry (the entrant is told by mail)."`
	Votes    ContestVotesCmd    `cmd:"" help:"List a contest's votes with their anomaly scores, or void one with --void."`
	Draw     ContestDrawCmd     `cmd:"" help:"Close entries and commit the seed (--commit), or reveal the seed and draw the winners."`
	Verify   ContestVerifyCmd   `cmd:"" help:"Verify a published draw from its seed, hashes, entry ids and winners (or a contest's, by id)."`
	Export   ContestExportCmd   `cmd:"" help:"Export what relais holds about an entrant or voter (by e-mail address) as JSON."`
	Erase    ContestEraseCmd    `cmd:"" help:"Erase an entrant's or voter's data (by e-mail address)."`
	Comments ContestCommentsCmd `cmd:"" help:"Read the comments under a comment-to-enter giveaway's post and add their distinct authors as entrants."`
	Brand    ContestBrandCmd    `cmd:"" help:"Set the public pages' accent colour (checked for contrast) and logo (an image of the media library)."`
	Jury     ContestJuryCmd     `cmd:"" help:"Choose the jury (--set), score a finalist as a juror (--score ENTRY=N --as EMAIL), and show the weighted ranking."`
}

// ContestCreateCmd creates a contest.
type ContestCreateCmd struct {
	DataFlags
	Workspace   string   `name:"workspace" required:"" help:"Workspace slug."`
	Slug        string   `name:"slug" required:"" help:"Public address: /c/{slug}."`
	Title       string   `name:"title" required:"" help:"Title."`
	Kind        string   `name:"kind" default:"photo" help:"photo, video, candidates, giveaway, quiz or comments."`
	Description string   `name:"description" help:"Description."`
	EntryOpens  string   `name:"entry-opens" help:"RFC 3339 (default now)."`
	EntryCloses string   `name:"entry-closes" help:"RFC 3339 (default 14 days after now)."`
	VoteOpens   string   `name:"vote-opens" help:"RFC 3339 (default now)."`
	VoteCloses  string   `name:"vote-closes" help:"RFC 3339 (default 21 days after now)."`
	VotePeriod  string   `name:"vote-period" default:"contest" help:"One vote per identity per contest or per day."`
	Prizes      string   `name:"prizes" help:"Prizes."`
	RulesText   string   `name:"rules-text" help:"The organiser's legal text, shown on the rules page."`
	MinAge      int      `name:"min-age" help:"Minimum age of entrants (0: none)."`
	Countries   []string `name:"countries" help:"Eligible ISO country codes (comma-separated; default everywhere)."`
	Lang        string   `name:"lang" default:"en" help:"Language of the public pages: en, fr or de."`
	Winners     int      `name:"winners" default:"1" help:"Winners drawn."`
	Questions   string   `name:"questions-file" type:"existingfile" help:"A quiz's questions: a question a line, then its choices starting with '* ' (right) or '- ', a blank line between questions."`
	JuryWeight  int      `name:"jury-weight" help:"The jury's share of the final ranking in percent (0: no jury stage)."`
	Finalists   int      `name:"finalists" help:"How many of the public vote's best the jury scores (0: all)."`
	Accent      string   `name:"accent" help:"Accent colour #rrggbb of the public pages (4.5:1 contrast with white)."`
	Logo        int64    `name:"logo" help:"Logo: the id of an image of the media library."`
	Channel     int64    `name:"source-channel" help:"Comment-to-enter: the channel id of the post."`
	Post        string   `name:"source-post" help:"Comment-to-enter: the post's id on its network (a publication's remote id)."`
	Keyword     string   `name:"keyword" help:"Comment-to-enter: a word or hashtag the comment must contain."`
	JSON        bool     `name:"json" help:"Print JSON."`
}

// Run creates the contest.
func (c *ContestCreateCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	now := time.Now().UTC()
	k := store.Contest{WorkspaceID: w.ID, Slug: c.Slug, Title: c.Title, Kind: c.Kind, Description: c.Description, VotePeriod: c.VotePeriod,
		Prizes: c.Prizes, RulesText: c.RulesText, MinAge: c.MinAge, Countries: c.Countries, Lang: c.Lang, Winners: c.Winners,
		JuryWeight: c.JuryWeight, Finalists: c.Finalists, Accent: c.Accent, LogoMediaID: c.Logo, SourceChannelID: c.Channel, SourceRemoteID: c.Post, Keyword: c.Keyword}
	if c.Questions != "" {
		text, err := os.ReadFile(c.Questions)
		if err != nil {
			return err
		}
		if k.Questions, err = contest.ParseQuestions(string(text)); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		name string
		v    string
		def  time.Time
		dst  *time.Time
	}{{"entry-opens", c.EntryOpens, now, &k.EntryOpens}, {"entry-closes", c.EntryCloses, now.Add(14 * 24 * time.Hour), &k.EntryCloses},
		{"vote-opens", c.VoteOpens, now, &k.VoteOpens}, {"vote-closes", c.VoteCloses, now.Add(21 * 24 * time.Hour), &k.VoteCloses}} {
		if *f.dst, err = contest.ParseTime("--"+f.name, f.v, f.def); err != nil {
			return err
		}
	}
	if err := a.Contests.Create(ctx, &k, "cli"); err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, a.Contests.View(k))
	}
	fmt.Println(k.ID)
	return nil
}

// ContestListCmd lists contests.
type ContestListCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run lists the contests.
func (c *ContestListCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.Store.Contests(ctx, w.ID)
	if err != nil {
		return err
	}
	out := make([]contest.ContestView, 0, len(list))
	for _, k := range list {
		out = append(out, a.Contests.View(k))
	}
	return printRows(c.JSON, out, "ID\tSLUG\tKIND\tVOTE CLOSES\tTITLE", func(k contest.ContestView) string {
		return fmt.Sprintf("%d\t%s\t%s\t%s\t%s", k.ID, k.Slug, k.Kind, k.VoteCloses.Format(time.RFC3339), k.Title)
	})
}

// ContestShowCmd shows one contest.
type ContestShowCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Contest id."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// ContestReport is a contest with its standings and audit log.
type ContestReport struct {
	Contest   contest.ContestView  `json:"contest"`
	Standings []contest.Standing   `json:"standings"`
	Audit     []store.ContestAudit `json:"audit"`
}

// Run shows the contest.
func (c *ContestShowCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	k, err := a.Store.Contest(ctx, w.ID, c.ID)
	if err != nil {
		return fmt.Errorf("contest %d: %w", c.ID, err)
	}
	st, err := a.Contests.Results(ctx, k)
	if err != nil {
		return err
	}
	log, err := a.Store.ContestAuditLog(ctx, w.ID, k.ID)
	if err != nil {
		return err
	}
	if st == nil {
		st = []contest.Standing{}
	}
	if c.JSON {
		return printJSON(os.Stdout, ContestReport{Contest: a.Contests.View(k), Standings: st, Audit: log})
	}
	v := a.Contests.View(k)
	fmt.Printf("%s (%s, %s)\nentries %s – %s, votes %s – %s, one vote per %s\n", v.Title, v.Kind, v.PublicURL,
		v.EntryOpens.Format(time.RFC3339), v.EntryCloses.Format(time.RFC3339), v.VoteOpens.Format(time.RFC3339), v.VoteCloses.Format(time.RFC3339), v.VotePeriod)
	if v.SeedHash != "" {
		fmt.Printf("seed SHA-256 %s, entries SHA-256 %s\n", v.SeedHash, v.EntriesHash)
	}
	if v.Seed != "" {
		fmt.Printf("seed %s, winners %v\n", v.Seed, v.WinnerIDs)
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ENTRY\tVOTES\tFLAGGED\tVOID\tTITLE")
	for _, s := range st {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%s\n", s.Entry.ID, s.Votes, s.Flagged, s.Void, s.Entry.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, l := range log {
		fmt.Printf("%s  %-10s %-9s %s\n", l.At.Format(time.RFC3339), l.Actor, l.Action, l.Detail)
	}
	return nil
}

// ContestEntriesCmd lists entries or adds a candidate.
type ContestEntriesCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Contest id."`
	Status    string `name:"status" enum:",pending,approved,rejected" default:"" help:"Only entries in this state."`
	Add       string `name:"add" help:"Add an approved candidate with this title (prints its id)."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run lists or adds.
func (c *ContestEntriesCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	k, err := a.Store.Contest(ctx, w.ID, c.ID)
	if err != nil {
		return fmt.Errorf("contest %d: %w", c.ID, err)
	}
	if c.Add != "" {
		e, err := a.Contests.AddCandidate(ctx, k, c.Add, "cli")
		if err != nil {
			return err
		}
		if c.JSON {
			return printJSON(os.Stdout, contest.ViewEntry(e))
		}
		fmt.Println(e.ID)
		return nil
	}
	es, err := a.Store.Entries(ctx, w.ID, k.ID, c.Status)
	if err != nil {
		return err
	}
	return printRows(c.JSON, contest.ViewEntries(es), "ID\tSTATUS\tNAME\tEMAIL\tTITLE", func(e contest.EntryView) string {
		return fmt.Sprintf("%d\t%s\t%s\t%s\t%s", e.ID, e.Status, e.Name, e.Email, e.Title)
	})
}

// ContestModerateCmd moderates an entry.
type ContestModerateCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Entry     int64  `arg:"" help:"Entry id."`
	Approve   bool   `name:"approve" xor:"decision" required:"" help:"Approve the entry."`
	Reject    bool   `name:"reject" xor:"decision" required:"" help:"Reject the entry (needs --reason)."`
	Reason    string `name:"reason" help:"Why (told to the entrant)."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run moderates.
func (c *ContestModerateCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	status := store.EntryApproved
	if c.Reject {
		status = store.EntryRejected
	}
	e, err := a.Contests.Moderate(ctx, w.ID, c.Entry, status, c.Reason, "cli")
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, contest.ViewEntry(e))
	}
	fmt.Printf("entry %d %s\n", e.ID, e.Status)
	return nil
}

// ContestVotesCmd lists or voids votes.
type ContestVotesCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Contest id."`
	Flagged   bool   `name:"flagged" help:"Only flagged votes."`
	Entry     int64  `name:"entry" help:"Only this entry's votes."`
	Limit     int    `name:"limit" default:"1000" help:"At most this many (1–100000)."`
	Void      int64  `name:"void" help:"Void this vote (kept, with --reason)."`
	Reason    string `name:"reason" help:"Why the vote is voided."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run lists or voids.
func (c *ContestVotesCmd) Run(ctx context.Context) error {
	if c.Limit < 1 || c.Limit > 100000 {
		return fmt.Errorf("--limit must be between 1 and 100000; got %d", c.Limit)
	}
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.Store.Contest(ctx, w.ID, c.ID); err != nil {
		return fmt.Errorf("contest %d: %w", c.ID, err)
	}
	if c.Void != 0 {
		return a.Contests.VoidVote(ctx, w.ID, c.ID, c.Void, c.Reason, "cli")
	}
	vs, err := a.Store.Votes(ctx, w.ID, c.ID, store.VoteFilter{EntryID: c.Entry, FlaggedOnly: c.Flagged, Limit: c.Limit})
	if err != nil {
		return err
	}
	return printRows(c.JSON, contest.ViewVotes(vs), "ID\tENTRY\tAT\tSCORE\tFLAGS\tNET BLOCK\tVOID", func(v contest.VoteView) string {
		return fmt.Sprintf("%d\t%d\t%s\t%.2f\t%s\t%s\t%v", v.ID, v.EntryID, v.At.Format(time.RFC3339), v.Score, strings.Join(v.Flags, ","), v.NetBlock, v.Void)
	})
}

// ContestDrawCmd commits or draws.
type ContestDrawCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Contest id."`
	Commit    bool   `name:"commit" help:"Close entries now and publish the seed's hash (no draw yet)."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run commits or draws.
func (c *ContestDrawCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	var k store.Contest
	if c.Commit {
		k, err = a.Contests.CloseEntries(ctx, w.ID, c.ID, "cli")
	} else {
		k, err = a.Contests.Draw(ctx, w.ID, c.ID, "cli")
	}
	if err != nil {
		return err
	}
	v := a.Contests.View(k)
	if c.JSON {
		return printJSON(os.Stdout, v)
	}
	fmt.Printf("seed SHA-256 %s\nentries SHA-256 %s\n", v.SeedHash, v.EntriesHash)
	if v.Seed != "" {
		fmt.Printf("seed %s\nwinners %v\n", v.Seed, v.WinnerIDs)
	}
	return nil
}

// ContestVerifyCmd verifies a draw.
type ContestVerifyCmd struct {
	DataFlags
	Workspace   string `name:"workspace" help:"Workspace slug (with a contest id)."`
	ID          int64  `arg:"" optional:"" help:"Contest id: verify the draw stored for it."`
	Seed        string `name:"seed" help:"The revealed seed."`
	SeedHash    string `name:"seed-hash" help:"The SHA-256 published before the draw."`
	Entries     string `name:"entries" help:"The approved entry ids, comma-separated."`
	EntriesHash string `name:"entries-hash" help:"The entries' SHA-256 published before the draw (optional)."`
	Winners     string `name:"winners" help:"The published winner ids in draw order, comma-separated."`
	Scores      string `name:"scores" help:"A quiz's scores as id:score pairs, comma-separated: ties are broken by the draw order."`
	JSON        bool   `name:"json" help:"Print JSON."`
}

// VerifyResult is what verify prints with --json.
type VerifyResult struct {
	OK      bool    `json:"ok"`
	Winners []int64 `json:"winners"`
	Error   string  `json:"error,omitempty"`
}

// Run verifies.
func (c *ContestVerifyCmd) Run(ctx context.Context) error {
	var entries, winners []int64
	var err error
	if c.ID != 0 {
		a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
		if err != nil {
			return err
		}
		defer a.Close()
		k, err := a.Store.Contest(ctx, w.ID, c.ID)
		if err != nil {
			return fmt.Errorf("contest %d: %w", c.ID, err)
		}
		if k.DrawnAt == nil {
			return errors.New("contest: not drawn yet")
		}
		es, err := a.Store.Entries(ctx, w.ID, k.ID, store.EntryApproved)
		if err != nil {
			return err
		}
		var scores []string
		for _, e := range es {
			entries = append(entries, e.ID)
			scores = append(scores, fmt.Sprintf("%d:%d", e.ID, e.Score))
		}
		c.Seed, c.SeedHash, c.EntriesHash, winners = k.Seed, k.SeedHash, k.EntriesHash, k.WinnerIDs
		if k.Kind == store.ContestQuiz {
			c.Scores = strings.Join(scores, ",")
		}
	} else {
		if c.Seed == "" || c.SeedHash == "" || c.Entries == "" || c.Winners == "" {
			return errors.New("verify needs a contest id, or --seed, --seed-hash, --entries and --winners")
		}
		if entries, err = parseIDs("--entries", c.Entries); err != nil {
			return err
		}
		if winners, err = parseIDs("--winners", c.Winners); err != nil {
			return err
		}
	}
	verr := contest.Verify(c.Seed, c.SeedHash, entries, c.EntriesHash, winners)
	res := VerifyResult{OK: verr == nil, Winners: contest.Draw(c.Seed, entries, len(winners))}
	if c.Scores != "" {
		scores, err := parseScores(c.Scores)
		if err != nil {
			return err
		}
		verr = contest.VerifyRanked(c.Seed, c.SeedHash, entries, c.EntriesHash, scores, winners)
		res = VerifyResult{OK: verr == nil, Winners: contest.RankedDraw(c.Seed, entries, scores, len(winners))}
	}
	if verr != nil {
		res.Error = verr.Error()
	}
	if c.JSON {
		if err := printJSON(os.Stdout, res); err != nil {
			return err
		}
	} else if verr == nil {
		fmt.Printf("ok: the seed matches its hash and draws %v\n", res.Winners)
	}
	return verr
}

func parseScores(s string) (map[int64]int, error) {
	out := map[int64]int{}
	for _, p := range strings.Split(s, ",") {
		id, score, ok := strings.Cut(strings.TrimSpace(p), ":")
		n, err1 := strconv.ParseInt(id, 10, 64)
		v, err2 := strconv.Atoi(score)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("--scores must be id:score pairs separated by commas; %q is not one", p)
		}
		out[n] = v
	}
	return out, nil
}

func parseIDs(flag, s string) ([]int64, error) {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s must be ids separated by commas; %q is not one", flag, p)
		}
		out = append(out, id)
	}
	return out, nil
}

// ContestExportCmd exports a person's data.
type ContestExportCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Email     string `name:"email" required:"" help:"The entrant's or voter's address."`
	JSON      bool   `name:"json" help:"Print JSON (the export is always JSON)."`
}

// Run exports.
func (c *ContestExportCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := a.Contests.Export(ctx, w.ID, c.Email)
	if err != nil {
		return err
	}
	out := struct {
		Email   string              `json:"email"`
		Entries []contest.EntryView `json:"entries"`
		Votes   []contest.VoteView  `json:"votes"`
	}{Email: p.Email, Entries: contest.ViewEntries(p.Entries), Votes: contest.ViewVotes(p.Votes)}
	return printJSON(os.Stdout, out)
}

// ContestEraseCmd erases a person's data.
type ContestEraseCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	Email     string `name:"email" required:"" help:"The entrant's or voter's address."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run erases.
func (c *ContestEraseCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	ne, nv, err := a.Contests.Erase(ctx, w.ID, c.Email, "cli")
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, map[string]int64{"entries_erased": ne, "votes_erased": nv})
	}
	fmt.Printf("%d entries and %d votes erased\n", ne, nv)
	return nil
}

// printRows prints rows as JSON, or as a table with header and one line per row.
func printRows[T any](asJSON bool, rows []T, header string, line func(T) string) error {
	if asJSON {
		return printJSON(os.Stdout, rows)
	}
	tw := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		fmt.Fprintln(tw, line(r))
	}
	return tw.Flush()
}

// ContestCommentsCmd reads a comment-to-enter giveaway's comments.
type ContestCommentsCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Contest id."`
	JSON      bool   `name:"json" help:"Print JSON."`
}

// Run reads the comments.
func (c *ContestCommentsCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.Contests.ImportComments(ctx, w.ID, c.ID, "cli")
	if err != nil {
		return err
	}
	if c.JSON {
		return printJSON(os.Stdout, res)
	}
	fmt.Printf("%d comments read: %d new entrants, %d left out\n", res.Read, res.Added, res.Skipped)
	return nil
}

// ContestBrandCmd sets a contest's branding.
type ContestBrandCmd struct {
	DataFlags
	Workspace string `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64  `arg:"" help:"Contest id."`
	Accent    string `name:"accent" help:"Accent colour #rrggbb (empty: the default)."`
	Logo      int64  `name:"logo" help:"The id of an image of the media library (0: none)."`
}

// Run sets the branding.
func (c *ContestBrandCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.Contests.SetBranding(ctx, w.ID, c.ID, c.Accent, c.Logo, "cli"); err != nil {
		return err
	}
	fmt.Println("branding saved")
	return nil
}

// ContestJuryCmd runs the jury stage.
type ContestJuryCmd struct {
	DataFlags
	Workspace string   `name:"workspace" required:"" help:"Workspace slug."`
	ID        int64    `arg:"" help:"Contest id."`
	Set       []string `name:"set" help:"Choose the jury: members' e-mail addresses, comma-separated."`
	Score     string   `name:"score" help:"ENTRY=N: score a finalist from 0 to 10 (with --as)."`
	As        string   `name:"as" help:"The juror's e-mail address (with --score)."`
	JSON      bool     `name:"json" help:"Print the ranking as JSON."`
}

// Run sets the jury, records a score and prints the weighted ranking.
func (c *ContestJuryCmd) Run(ctx context.Context) error {
	a, w, err := openWorkspace(ctx, c.DataFlags, c.Workspace)
	if err != nil {
		return err
	}
	defer a.Close()
	k, err := a.Store.Contest(ctx, w.ID, c.ID)
	if err != nil {
		return fmt.Errorf("contest %d: %w", c.ID, err)
	}
	if len(c.Set) > 0 {
		var ids []int64
		for _, e := range c.Set {
			u, err := a.Store.UserByEmail(ctx, strings.TrimSpace(e))
			if err != nil {
				return fmt.Errorf("--set: no user %s: %w", e, err)
			}
			ids = append(ids, u.ID)
		}
		if _, err := a.Contests.SetJury(ctx, w.ID, k.ID, ids, "cli"); err != nil {
			return err
		}
	}
	if c.Score != "" {
		entry, score, ok := strings.Cut(c.Score, "=")
		eid, err1 := strconv.ParseInt(entry, 10, 64)
		n, err2 := strconv.Atoi(score)
		if !ok || err1 != nil || err2 != nil || c.As == "" {
			return errors.New("--score must be ENTRY=N with --as EMAIL of a juror")
		}
		u, err := a.Store.UserByEmail(ctx, c.As)
		if err != nil {
			return fmt.Errorf("--as: no user %s: %w", c.As, err)
		}
		if err := a.Contests.ScoreEntry(ctx, w.ID, k.ID, eid, u.ID, n, "cli:"+c.As); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("--as: %s is not on the jury of contest %d", c.As, k.ID)
			}
			return err
		}
	}
	rk, err := a.Contests.FinalRanking(ctx, k)
	if err != nil {
		return err
	}
	if rk == nil {
		rk = []contest.Ranked{}
	}
	return printRows(c.JSON, rk, "ENTRY\tVOTES\tJURY\tJURORS\tFINAL\tTITLE", func(r contest.Ranked) string {
		return fmt.Sprintf("%d\t%d\t%.1f\t%d\t%.3f\t%s", r.Entry.ID, r.Votes, r.JuryMean, r.Jurors, r.Final, r.Entry.Title)
	})
}
