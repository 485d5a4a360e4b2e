package link

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Bio item kinds.
var BioKinds = []string{"link", "shop", "site"}

// BioLangs are the languages a bio page can be shown in.
var BioLangs = []string{"en", "fr", "de"}

var colourRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// MinContrast is WCAG 2's AA contrast ratio for normal text.
const MinContrast = 4.5

// CheckBio validates a bio page as a user wrote it: colours as #rrggbb whose
// text and link colours reach WCAG AA contrast (4.5:1) on the background,
// http(s) links, bounded lengths.
func CheckBio(p store.BioPage) (store.BioPage, error) {
	var err error
	p.Title = strings.TrimSpace(p.Title)
	if n := utf8.RuneCountInString(p.Title); n > 100 {
		return p, valid.Errorf("title", "too_long", "title allows at most 100 characters; it has %d", n)
	}
	p.Description = strings.TrimSpace(p.Description)
	if n := utf8.RuneCountInString(p.Description); n > 300 {
		return p, valid.Errorf("description", "too_long", "description allows at most 300 characters; it has %d", n)
	}
	p.AvatarURL = strings.TrimSpace(p.AvatarURL)
	if err = valid.HTTPURL("avatar_url", p.AvatarURL, 2048); err != nil {
		return p, err
	}
	if p.AvatarURL != "" && !strings.HasPrefix(p.AvatarURL, "https://") {
		// The page's Content-Security-Policy loads images over https only.
		return p, valid.Errorf("avatar_url", "https", "avatar_url must be an https:// address")
	}
	for _, c := range []struct {
		field string
		v     *string
	}{{"background", &p.Background}, {"foreground", &p.Foreground}, {"accent", &p.Accent}} {
		*c.v = strings.ToLower(strings.TrimSpace(*c.v))
		if !colourRe.MatchString(*c.v) {
			return p, valid.Errorf(c.field, "format", "%s must be a colour like #1a2b3c", c.field)
		}
	}
	for _, c := range []struct{ field, v string }{{"foreground", p.Foreground}, {"accent", p.Accent}} {
		if r := Contrast(c.v, p.Background); r < MinContrast {
			return p, valid.Errorf(c.field, "contrast", "%s on the background has a contrast of %.1f:1; at least %.1f:1 is needed to be readable (WCAG AA)", c.field, r, MinContrast).WithArgs(fmt.Sprintf("%.1f", r))
		}
	}
	if !oneOf(p.Lang, BioLangs) {
		return p, valid.Errorf("lang", "unknown", "lang must be one of %s", strings.Join(BioLangs, ", "))
	}
	if p.RecentPosts < 0 || p.RecentPosts > 20 {
		return p, valid.Errorf("recent_posts", "range", "recent_posts must be between 0 and 20")
	}
	if len(p.Items) > 20 {
		return p, valid.Errorf("items", "too_many", "a bio page allows at most 20 links; it has %d", len(p.Items))
	}
	for i := range p.Items {
		it := &p.Items[i]
		field := fmt.Sprintf("items[%d]", i)
		if it.Label, err = valid.Text(field+".label", field+".label", it.Label, 80); err != nil {
			return p, err
		}
		it.URL = strings.TrimSpace(it.URL)
		if it.URL == "" {
			return p, valid.Errorf(field+".url", "required", "%s.url is required", field)
		}
		if err = valid.HTTPURL(field+".url", it.URL, 2048); err != nil {
			return p, err
		}
		if it.Kind == "" {
			it.Kind = "link"
		}
		if !oneOf(it.Kind, BioKinds) {
			return p, valid.Errorf(field+".kind", "unknown", "%s.kind must be one of %s", field, strings.Join(BioKinds, ", "))
		}
	}
	return p, nil
}

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}

// Contrast is the WCAG 2 contrast ratio of two #rrggbb colours (1 to 21).
func Contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	if !colourRe.MatchString(hex) {
		return 0
	}
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[i:i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(1) + 0.7152*ch(3) + 0.0722*ch(5)
}

// BioLink is a link of the bio page, through a short link so its clicks count.
type BioLink struct {
	Label string
	Kind  string
	// URL is the short link; Target where it leads.
	URL, Target string
}

// BioView is what the public bio page shows.
type BioView struct {
	Page store.BioPage
	// Avatar is the image address the page shows ("" for none): the page's
	// AvatarURL; the web handler puts a signed media URL here for AvatarMediaID.
	Avatar   string
	Links    []BioLink
	Channels []BioLink
	Posts    []BioLink
}

// Bio assembles the public bio page of a workspace: its links, its channels'
// profiles and its latest published posts, each through a short link made
// once (by source key) and reused, with utm_source=bio.
func (s *Service) Bio(ctx context.Context, workspaceID int64) (BioView, error) {
	p, err := s.Store.BioPage(ctx, workspaceID)
	if err != nil {
		return BioView{}, err
	}
	v := BioView{Page: p, Avatar: p.AvatarURL}
	tracked := func(key, label, kind, target string, postID int64) (BioLink, error) {
		sum := sha256.Sum256([]byte(target))
		l := store.Link{WorkspaceID: workspaceID, TargetURL: target, Title: label, PostID: postID, Network: "bio",
			UTM: store.UTM{Source: "bio", Medium: "social"}, SourceKey: "bio:" + key + ":" + hex.EncodeToString(sum[:12]), CreatedAt: s.now().UTC()}
		if err := s.withCode(func(code string) error { l.Code = code; return s.Store.EnsureLink(ctx, &l) }); err != nil {
			return BioLink{}, err
		}
		return BioLink{Label: label, Kind: kind, URL: s.ShortURL(l), Target: target}, nil
	}
	for _, it := range p.Items {
		bl, err := tracked("item", it.Label, it.Kind, it.URL, 0)
		if err != nil {
			return v, err
		}
		v.Links = append(v.Links, bl)
	}
	if p.ShowChannels {
		chans, err := s.Store.Channels(ctx, workspaceID)
		if err != nil {
			return v, err
		}
		for _, c := range chans {
			if c.URL == "" || valid.HTTPURL("url", c.URL, 2048) != nil {
				continue
			}
			label := c.DisplayName
			if label == "" {
				label = c.Handle
			}
			bl, err := tracked("channel", label, c.Network, c.URL, 0)
			if err != nil {
				return v, err
			}
			v.Channels = append(v.Channels, bl)
		}
	}
	if p.RecentPosts > 0 {
		items, err := s.Store.RecentPublished(ctx, workspaceID, p.RecentPosts)
		if err != nil {
			return v, err
		}
		for _, it := range items {
			bl, err := tracked("post", excerpt(it.Text, 140), it.Network, it.URL, it.PostID)
			if err != nil {
				return v, err
			}
			v.Posts = append(v.Posts, bl)
		}
	}
	return v, nil
}

// excerpt shortens a text to n characters on a word boundary.
func excerpt(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	r := []rune(text)[:n]
	s := string(r)
	if i := strings.LastIndex(s, " "); i > n/2 {
		s = s[:i]
	}
	return s + "…"
}
