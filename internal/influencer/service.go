package influencer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relais/relais/internal/link"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Connectors opens a workspace's channel as a connector (channel.Service).
type Connectors interface {
	Connector(ctx context.Context, workspaceID, channelID int64) (network.Connector, network.Limits, error)
}

// Service manages the influencer directory, its metric history, the
// vetting score and the campaign pipeline.
type Service struct {
	Store store.Store
	// Connectors opens the workspace's channels: a connected channel of the
	// influencer's network reads public profiles (network.ProfileReader).
	Connectors Connectors
	// Links makes the per-influencer short links (DealLink).
	Links *link.Service
	// NowFunc is the clock (time.Now).
	NowFunc func() time.Time
}

func (s *Service) now() time.Time {
	if s.NowFunc != nil {
		return s.NowFunc().UTC()
	}
	return time.Now().UTC()
}

// Collection sizes and the history the score reads.
const (
	RecentPosts    = 30
	SampleComments = 20
	HistoryDays    = 90
	MaxTags        = 30
)

// Input is an influencer as a user writes it.
type Input struct {
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	Phone    string    `json:"phone"`
	Consent  bool      `json:"consent"`
	Country  string    `json:"country"`
	Language string    `json:"language"`
	Tags     []string  `json:"tags"`
	Notes    string    `json:"notes"`
	Accounts []Account `json:"accounts"`
}

func (in Input) check() (Input, error) {
	name, err := valid.Text("name", "name", in.Name, 200)
	if err != nil {
		return in, err
	}
	in.Name = name
	in.Email, in.Phone = strings.TrimSpace(in.Email), strings.TrimSpace(in.Phone)
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			return in, valid.Errorf("email", "format", "%q is not an e-mail address", in.Email)
		}
	}
	if (in.Email != "" || in.Phone != "") && !in.Consent {
		return in, valid.Errorf("consent", "required", "contact details (email, phone) are kept only with the influencer's consent")
	}
	if len(in.Phone) > 40 {
		return in, valid.Errorf("phone", "max", "at most 40 characters")
	}
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if in.Country != "" && !regexp.MustCompile(`^[A-Z]{2}$`).MatchString(in.Country) {
		return in, valid.Errorf("country", "format", "%q is not a two-letter country code", in.Country)
	}
	in.Language = strings.ToLower(strings.TrimSpace(in.Language))
	if in.Language != "" && !regexp.MustCompile(`^[a-z]{2,3}$`).MatchString(in.Language) {
		return in, valid.Errorf("language", "format", "%q is not a language code", in.Language)
	}
	in.Tags = SplitTags(strings.Join(in.Tags, ","))
	if len(in.Tags) > MaxTags {
		return in, valid.Errorf("tags", "max", "at most %d tags", MaxTags)
	}
	if n := utf8.RuneCountInString(in.Notes); n > 10_000 {
		return in, valid.Errorf("notes", "max", "at most 10000 characters (got %d)", n)
	}
	for i, a := range in.Accounts {
		h, err := NormalizeHandle(a.Network, a.Handle)
		if err != nil {
			return in, valid.Errorf(fmt.Sprintf("accounts[%d]", i), "format", "%s", err.Error())
		}
		in.Accounts[i].Handle = h
	}
	return in, nil
}

// Add creates an influencer with its accounts.
func (s *Service) Add(ctx context.Context, workspaceID, userID int64, in Input) (store.Influencer, error) {
	in, err := in.check()
	if err != nil {
		return store.Influencer{}, err
	}
	rec := store.Influencer{WorkspaceID: workspaceID, Name: in.Name, Email: in.Email, Phone: in.Phone, Consent: in.Consent,
		Country: in.Country, Language: in.Language, Tags: in.Tags, Notes: in.Notes, CreatedBy: userID, CreatedAt: s.now()}
	if in.Consent {
		t := s.now()
		rec.ConsentAt = &t
	}
	if err := s.Store.CreateInfluencer(ctx, &rec); err != nil {
		return rec, err
	}
	for _, a := range in.Accounts {
		if _, err := s.AddAccount(ctx, workspaceID, rec.ID, a); err != nil {
			_ = s.Store.DeleteInfluencer(ctx, workspaceID, rec.ID)
			return rec, err
		}
	}
	return rec, nil
}

// Update saves an influencer's fields (not its accounts).
func (s *Service) Update(ctx context.Context, workspaceID, id int64, in Input) (store.Influencer, error) {
	cur, err := s.Store.Influencer(ctx, workspaceID, id)
	if err != nil {
		return cur, err
	}
	in.Accounts = nil
	if in, err = in.check(); err != nil {
		return cur, err
	}
	if in.Consent && !cur.Consent {
		t := s.now()
		cur.ConsentAt = &t
	} else if !in.Consent {
		cur.ConsentAt = nil
	}
	cur.Name, cur.Email, cur.Phone, cur.Consent, cur.Country, cur.Language, cur.Tags, cur.Notes =
		in.Name, in.Email, in.Phone, in.Consent, in.Country, in.Language, in.Tags, in.Notes
	cur.UpdatedAt = s.now()
	return cur, s.Store.UpdateInfluencer(ctx, cur)
}

// AddAccount adds a network account to an influencer.
func (s *Service) AddAccount(ctx context.Context, workspaceID, influencerID int64, a Account) (store.InfluencerAccount, error) {
	h, err := NormalizeHandle(a.Network, a.Handle)
	if err != nil {
		return store.InfluencerAccount{}, valid.Errorf("handle", "format", "%s", err.Error())
	}
	acc := store.InfluencerAccount{WorkspaceID: workspaceID, InfluencerID: influencerID, Network: a.Network, Handle: h,
		Followers: -1, Following: -1, Posts: -1}
	if err := s.Store.AddInfluencerAccount(ctx, &acc); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return acc, valid.Errorf("handle", "unique", "%s %s is already in the directory", a.Network, h)
		}
		return acc, err
	}
	return acc, nil
}

// ImportResult is what an import did.
type ImportResult struct {
	Created []int64    `json:"created"`
	Errors  []RowError `json:"errors"`
}

// Import reads a CSV list (see ParseCSV) and adds one influencer per good
// row; rows whose account is already in the directory are reported.
func (s *Service) Import(ctx context.Context, workspaceID, userID int64, r io.Reader) (ImportResult, error) {
	rows, bad, err := ParseCSV(r)
	res := ImportResult{Errors: bad, Created: []int64{}}
	if err != nil {
		return res, err
	}
	for _, row := range rows {
		in, err := s.Add(ctx, workspaceID, userID, Input{Name: row.Name, Email: row.Email, Phone: row.Phone, Consent: row.Consent,
			Country: row.Country, Language: row.Language, Tags: row.Tags, Notes: row.Notes, Accounts: row.Accounts})
		if err != nil {
			if f, ok := valid.As(err); ok {
				res.Errors = append(res.Errors, RowError{Line: row.Line, Column: f.Field, Reason: f.Error()})
				continue
			}
			return res, err
		}
		res.Created = append(res.Created, in.ID)
	}
	slices.SortFunc(res.Errors, func(a, b RowError) int { return a.Line - b.Line })
	return res, nil
}

// reader finds a connected channel of the network in the workspace that
// reads public profiles; for Mastodon, a channel on the handle's instance
// is preferred.
func (s *Service) reader(ctx context.Context, workspaceID int64, acc store.InfluencerAccount) (network.ProfileReader, error) {
	if s.Connectors == nil {
		return nil, errors.New("no connector")
	}
	chs, err := s.Store.Channels(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	var cands []store.Channel
	for _, ch := range chs {
		if ch.Network == acc.Network {
			cands = append(cands, ch)
		}
	}
	if acc.Network == "mastodon" {
		_, host, _ := strings.Cut(acc.Handle, "@")
		slices.SortStableFunc(cands, func(a, b store.Channel) int {
			ha, hb := sameHost(a.URL, host), sameHost(b.URL, host)
			switch {
			case ha && !hb:
				return -1
			case hb && !ha:
				return 1
			}
			return 0
		})
	}
	for _, ch := range cands {
		conn, _, err := s.Connectors.Connector(ctx, workspaceID, ch.ID)
		if err != nil {
			continue
		}
		if r, ok := conn.(network.ProfileReader); ok {
			return r, nil
		}
	}
	return nil, fmt.Errorf("no connected %s channel in this workspace can read public profiles: connect one first", acc.Network)
}

func sameHost(raw, host string) bool {
	u, err := url.Parse(raw)
	return err == nil && host != "" && strings.EqualFold(u.Host, host)
}

// Collect reads an account's public profile and recent posts and stores
// the profile, the day's snapshot and the posts with a comment sample; a
// failure is kept on the account (CollectError) and returned.
func (s *Service) Collect(ctx context.Context, workspaceID, accountID int64) (store.InfluencerAccount, error) {
	acc, err := s.Store.InfluencerAccount(ctx, workspaceID, accountID)
	if err != nil {
		return acc, err
	}
	now := s.now()
	acc.CollectedAt = &now
	r, err := s.reader(ctx, workspaceID, acc)
	var p network.PublicProfile
	if err == nil {
		p, err = r.PublicProfile(ctx, acc.Handle, RecentPosts)
	}
	if err != nil {
		acc.CollectError = err.Error()
		if serr := s.Store.SaveInfluencerProfile(ctx, acc); serr != nil {
			return acc, serr
		}
		return acc, err
	}
	acc.ExternalID, acc.DisplayName, acc.Bio, acc.AvatarURL, acc.ProfileURL = p.ID, p.Name, p.Bio, p.AvatarURL, p.URL
	acc.Followers, acc.Following, acc.Posts, acc.CollectError = p.Followers, p.Following, p.Posts, ""
	if err := s.Store.SaveInfluencerProfile(ctx, acc); err != nil {
		return acc, err
	}
	if err := s.Store.SaveInfluencerSnapshot(ctx, workspaceID, acc.ID, store.InfluencerSnapshot{At: now, Followers: p.Followers,
		Following: p.Following, Posts: p.Posts}); err != nil {
		return acc, err
	}
	posts := make([]store.InfluencerPost, 0, len(p.Recent))
	for _, pp := range p.Recent {
		sp := store.InfluencerPost{AccountID: acc.ID, RemoteID: pp.ID, At: pp.At, URL: pp.URL, Text: pp.Text, Likes: pp.Likes,
			Comments: pp.Comments, Shares: pp.Shares, Views: pp.Views, CollectedAt: now}
		for i, c := range pp.Replies {
			if i >= SampleComments {
				break
			}
			author := c.AuthorHandle
			if author == "" {
				author = c.AuthorID
			}
			sp.Sample = append(sp.Sample, store.InfluencerComment{Author: author, Text: c.Text, At: c.CreatedAt})
		}
		posts = append(posts, sp)
	}
	if err := s.Store.SaveInfluencerPosts(ctx, workspaceID, posts); err != nil {
		return acc, err
	}
	return acc, s.measureDeliverables(ctx, workspaceID, acc, posts)
}

// CollectDue collects every account of every workspace not collected for
// a day (the daily job of relais serve), at most limit accounts per run.
func (s *Service) CollectDue(ctx context.Context, limit int) (done int, failed int, err error) {
	due, err := s.Store.AllInfluencerAccounts(ctx, s.now().Add(-20*time.Hour), limit)
	if err != nil {
		return 0, 0, err
	}
	for _, a := range due {
		if ctx.Err() != nil {
			return done, failed, ctx.Err()
		}
		if _, err := s.Collect(ctx, a.WorkspaceID, a.ID); err != nil {
			failed++
			continue
		}
		done++
	}
	return done, failed, nil
}

// AccountScore is an account's vetting score.
type AccountScore struct {
	AccountID int64  `json:"account_id"`
	Network   string `json:"network"`
	Handle    string `json:"handle"`
	Score
}

// Settings are a workspace's vetting and EMV settings, decoded.
type Settings struct {
	EMV              []EMVRule `json:"emv"`
	TargetLanguages  []string  `json:"target_languages"`
	BrandSafetyTerms []string  `json:"brand_safety_terms"`
}

// Settings returns the workspace's settings, the default EMV table when none is saved.
func (s *Service) Settings(ctx context.Context, workspaceID int64) (Settings, error) {
	st, err := s.Store.InfluencerSettings(ctx, workspaceID)
	if err != nil {
		return Settings{}, err
	}
	out := Settings{TargetLanguages: st.TargetLanguages, BrandSafetyTerms: st.BrandSafety}
	if st.EMV != "" && st.EMV != "[]" {
		if err := json.Unmarshal([]byte(st.EMV), &out.EMV); err != nil {
			return out, err
		}
	}
	if len(out.EMV) == 0 {
		out.EMV = slices.Clone(DefaultEMV)
	}
	if out.TargetLanguages == nil {
		out.TargetLanguages = []string{}
	}
	if out.BrandSafetyTerms == nil {
		out.BrandSafetyTerms = []string{}
	}
	return out, nil
}

// SaveSettings validates and stores the workspace's settings.
func (s *Service) SaveSettings(ctx context.Context, workspaceID int64, in Settings) error {
	if err := CheckEMV(in.EMV); err != nil {
		return valid.Errorf("emv", "format", "%s", err.Error())
	}
	for _, l := range in.TargetLanguages {
		if !regexp.MustCompile(`^[a-z]{2,3}$`).MatchString(l) {
			return valid.Errorf("target_languages", "format", "%q is not a language code", l)
		}
	}
	if len(in.BrandSafetyTerms) > 200 {
		return valid.Errorf("brand_safety_terms", "max", "at most 200 terms")
	}
	b, err := json.Marshal(in.EMV)
	if err != nil {
		return err
	}
	return s.Store.SaveInfluencerSettings(ctx, store.InfluencerSettings{WorkspaceID: workspaceID, EMV: string(b),
		TargetLanguages: in.TargetLanguages, BrandSafety: in.BrandSafetyTerms, UpdatedAt: s.now()})
}

// History assembles the score's input for one account from the stored
// snapshots (HistoryDays), posts and comment samples.
func (s *Service) History(ctx context.Context, workspaceID int64, acc store.InfluencerAccount, set Settings) (History, error) {
	h := History{Bio: acc.Bio, TargetLanguages: set.TargetLanguages, BrandSafetyTerms: set.BrandSafetyTerms}
	snaps, err := s.Store.InfluencerSnapshots(ctx, workspaceID, acc.ID, s.now().AddDate(0, 0, -HistoryDays))
	if err != nil {
		return h, err
	}
	for _, sn := range snaps {
		h.Snapshots = append(h.Snapshots, Snapshot{At: sn.At, Followers: sn.Followers, Following: sn.Following, Posts: sn.Posts})
	}
	posts, err := s.Store.InfluencerPosts(ctx, workspaceID, acc.ID, RecentPosts)
	if err != nil {
		return h, err
	}
	for _, p := range posts {
		h.Posts = append(h.Posts, Post{ID: p.RemoteID, At: p.At, Likes: p.Likes, Comments: p.Comments, Shares: p.Shares, Text: p.Text})
		for _, c := range p.Sample {
			h.Comments = append(h.Comments, Comment{PostID: p.RemoteID, Author: c.Author, Text: c.Text, At: c.At})
		}
	}
	return h, nil
}

// Score computes the vetting score of each of an influencer's accounts.
func (s *Service) Score(ctx context.Context, workspaceID, influencerID int64) ([]AccountScore, error) {
	if _, err := s.Store.Influencer(ctx, workspaceID, influencerID); err != nil {
		return nil, err
	}
	set, err := s.Settings(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	accs, err := s.Store.InfluencerAccounts(ctx, workspaceID, influencerID)
	if err != nil {
		return nil, err
	}
	out := []AccountScore{}
	for _, a := range accs {
		h, err := s.History(ctx, workspaceID, a, set)
		if err != nil {
			return nil, err
		}
		out = append(out, AccountScore{AccountID: a.ID, Network: a.Network, Handle: a.Handle, Score: Compute(h)})
	}
	return out, nil
}
