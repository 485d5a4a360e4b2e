package link

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

var urlRe = regexp.MustCompile(`https?://[^\s<>"'` + "`" + `\[\]{}|\\^]+`)

// FindURLs returns the http(s) URLs of a text, in order, without the
// punctuation that usually ends a sentence after them.
func FindURLs(text string) []string {
	var out []string
	for _, m := range urlRe.FindAllString(text, -1) {
		m = trimURL(m)
		if len(m) > len("https://") {
			out = append(out, m)
		}
	}
	return out
}

func trimURL(u string) string {
	for len(u) > 0 {
		last := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?*'", last) >= 0:
			u = u[:len(u)-1]
		case last == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
			u = u[:len(u)-1]
		default:
			return u
		}
	}
	return u
}

// Rewrite replaces the links of a publication's request (in each part's text
// and its link card) by short links, when the workspace turned automatic
// shortening on. It is called each time the request is built, before any
// remote call; links are made once per post × network × URL (EnsureLink), so
// a retried publication sends exactly the same text. A URL is replaced only
// when the text does not count longer for it: on networks that count every
// URL as a fixed length (Mastodon, X), always; elsewhere only when the short
// link is not longer than the original, so the composer's count stays true.
func (s *Service) Rewrite(ctx context.Context, j store.PublishJob, limits network.Limits, req *network.PublishRequest) error {
	settings, err := s.Store.LinkSettings(ctx, j.WorkspaceID)
	if err != nil || !settings.AutoShorten {
		return err
	}
	vars := Vars{Network: j.Network, PostID: j.PostID, Channel: strconv.FormatInt(j.ChannelID, 10)}
	camps, err := s.Store.PostCampaignIDs(ctx, j.WorkspaceID, j.PostID)
	if err != nil {
		return err
	}
	if len(camps) > 0 {
		c, err := s.Store.Campaign(ctx, j.WorkspaceID, camps[0])
		if err != nil {
			return err
		}
		vars.Campaign, vars.CampaignID = c.Name, c.ID
	}
	utm := ExpandUTM(Templates(settings), vars)
	short := map[string]string{}
	shorten := func(u string) (string, error) {
		if r, ok := short[u]; ok {
			return r, nil
		}
		if strings.HasPrefix(u, strings.TrimRight(s.BaseURL, "/")+"/l/") {
			short[u] = u
			return u, nil
		}
		sum := sha256.Sum256([]byte(u))
		l := store.Link{WorkspaceID: j.WorkspaceID, TargetURL: u, PostID: j.PostID, CampaignID: vars.CampaignID, Network: j.Network, UTM: utm,
			SourceKey: fmt.Sprintf("post:%d:%s:%s", j.PostID, j.Network, hex.EncodeToString(sum[:12])), CreatedAt: s.now().UTC()}
		if err := s.withCode(func(code string) error { l.Code = code; return s.Store.EnsureLink(ctx, &l) }); err != nil {
			return "", err
		}
		r := s.ShortURL(l)
		if limits.URLLength == 0 && len(r) > len(u) {
			r = u
		}
		short[u] = r
		return r, nil
	}
	for i := range req.Parts {
		p := &req.Parts[i]
		for _, u := range FindURLs(p.Text) {
			r, err := shorten(u)
			if err != nil {
				return err
			}
			p.Text = replaceURL(p.Text, u, r)
		}
		if p.Link != "" {
			if p.Link, err = shorten(p.Link); err != nil {
				return err
			}
		}
	}
	return nil
}

// replaceURL replaces u in text where it stands as a whole URL (not as the
// start of a longer one).
func replaceURL(text, u, r string) string {
	if u == r {
		return text
	}
	var b strings.Builder
	for {
		i := strings.Index(text, u)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		end := i + len(u)
		b.WriteString(text[:i])
		if end < len(text) && urlRe.MatchString("http://"+text[end:end+1]) && !strings.ContainsRune(".,;:!?*')", rune(text[end])) {
			b.WriteString(u)
		} else {
			b.WriteString(r)
		}
		text = text[end:]
	}
}
