package link

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// UTMKeys are the parameters a template may set, in the order they are shown.
var UTMKeys = []string{"utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"}

// DefaultTemplates are the UTM templates of a workspace that saved none.
var DefaultTemplates = map[string]string{
	"utm_source":   "{network}",
	"utm_medium":   "social",
	"utm_campaign": "{campaign}",
	"utm_content":  "{post_id}",
}

// Placeholders are the values a template may use.
var Placeholders = []string{"{network}", "{campaign}", "{campaign_id}", "{post_id}", "{channel}"}

// Vars are the values a template is expanded with ("" or 0: unknown).
type Vars struct {
	Network    string
	Campaign   string
	CampaignID int64
	PostID     int64
	Channel    string
}

// Templates returns the workspace's templates, the defaults when it saved none.
func Templates(s store.LinkSettings) map[string]string {
	if len(s.UTMTemplates) == 0 {
		return DefaultTemplates
	}
	return s.UTMTemplates
}

// ExpandUTM fills the templates with v. A parameter whose template uses a
// value that is unknown is left out (no "utm_campaign=" for a post outside
// any campaign).
func ExpandUTM(templates map[string]string, v Vars) store.UTM {
	id := func(n int64) string {
		if n == 0 {
			return ""
		}
		return strconv.FormatInt(n, 10)
	}
	values := map[string]string{"{network}": v.Network, "{campaign}": slug(v.Campaign), "{campaign_id}": id(v.CampaignID),
		"{post_id}": id(v.PostID), "{channel}": v.Channel}
	expand := func(key string) string {
		out := templates[key]
		for _, p := range Placeholders {
			if !strings.Contains(out, p) {
				continue
			}
			if values[p] == "" {
				return ""
			}
			out = strings.ReplaceAll(out, p, values[p])
		}
		return out
	}
	return store.UTM{Source: expand("utm_source"), Medium: expand("utm_medium"), Campaign: expand("utm_campaign"),
		Content: expand("utm_content"), Term: expand("utm_term")}
}

// slug keeps a campaign name readable in a URL: lowercase, hyphens for the rest.
func slug(name string) string { return valid.Slugify(name) }

// CheckTemplates refuses unknown keys, unknown placeholders and long templates.
func CheckTemplates(t map[string]string) error {
	for k, v := range t {
		field := "utm_templates." + k
		known := false
		for _, u := range UTMKeys {
			known = known || u == k
		}
		if !known {
			return valid.Errorf(field, "unknown", "%s is not a UTM parameter; use %s", k, strings.Join(UTMKeys, ", "))
		}
		if len(v) > 200 {
			return valid.Errorf(field, "too_long", "%s allows at most 200 characters; it has %d", k, len(v))
		}
		rest := v
		for _, p := range Placeholders {
			rest = strings.ReplaceAll(rest, p, "")
		}
		if strings.ContainsAny(rest, "{}") {
			return valid.Errorf(field, "placeholder", "%s uses an unknown placeholder; the known ones are %s", k, strings.Join(Placeholders, ", "))
		}
	}
	return nil
}

// Destination is where a link redirects: its target with the link's UTM
// parameters added. A parameter the target already carries is kept as the
// author wrote it.
func Destination(l store.Link) string {
	u, err := url.Parse(l.TargetURL)
	if err != nil {
		return l.TargetURL
	}
	q := u.Query()
	changed := false
	for _, kv := range [][2]string{{"utm_source", l.UTM.Source}, {"utm_medium", l.UTM.Medium}, {"utm_campaign", l.UTM.Campaign},
		{"utm_content", l.UTM.Content}, {"utm_term", l.UTM.Term}} {
		if kv[1] != "" && !q.Has(kv[0]) {
			q.Set(kv[0], kv[1])
			changed = true
		}
	}
	if !changed {
		return l.TargetURL
	}
	u.RawQuery = q.Encode()
	return u.String()
}
