package gbp

import (
	"net/url"
	"strings"
	"time"

	"github.com/relais/relais/internal/network"
)

// Topic types and calls to action the composer offers.
var (
	TopicTypes  = []string{"STANDARD", "EVENT", "OFFER"}
	CallActions = []string{"NONE", "BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP", "CALL"}
)

// PostOptions are the Google Business Profile choices of a post, read by
// Publish from PublishRequest.Options; the composer shows them (registered in init).
func PostOptions() []network.Field {
	return []network.Field{
		{Name: "topic_type", Label: "Post type", Type: network.FieldChoice, Options: TopicTypes, Help: "What's new, an event (title, start, end) or an offer (an event with a coupon, terms and a redeem link)"},
		{Name: "event_title", Label: "Event or offer title", Help: "Required for an event or an offer"},
		{Name: "event_start", Label: "Starts", Help: "YYYY-MM-DD or YYYY-MM-DD HH:MM, the business's local time"},
		{Name: "event_end", Label: "Ends", Help: "YYYY-MM-DD or YYYY-MM-DD HH:MM"},
		{Name: "offer_coupon", Label: "Coupon code", Help: "Offers only"},
		{Name: "offer_terms", Label: "Terms and conditions", Help: "Offers only"},
		{Name: "offer_redeem_url", Label: "Redeem online at", Type: network.FieldURL, Help: "Offers only"},
		{Name: "cta", Label: "Button", Type: network.FieldChoice, Options: CallActions, Help: "Not shown on offers; CALL dials the business's phone"},
		{Name: "cta_url", Label: "Button link", Type: network.FieldURL, Help: "Where the button leads (default: the post's link)"},
	}
}

// MaxSummary is a local post's limit in characters.
const MaxSummary = 1500

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// parseWhen reads "YYYY-MM-DD" or "YYYY-MM-DD HH:MM".
func parseWhen(field, s string) (date, *timeDay, error) {
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			d := date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
			if layout == "2006-01-02" {
				return d, nil, nil
			}
			return d, &timeDay{Hours: t.Hour(), Minutes: t.Minute()}, nil
		}
	}
	return date{}, nil, invalid("%s must be YYYY-MM-DD or YYYY-MM-DD HH:MM; got %q", field, s)
}

// buildPost turns a part and its options into a local post, checking them.
func buildPost(p network.Part, o map[string]string, lang string) (localPost, error) {
	get := func(k string) string { return strings.TrimSpace(o[k]) }
	summary := p.Text
	if n := len([]rune(summary)); n > MaxSummary {
		return localPost{}, invalid("Google Business Profile allows %d characters; this post has %d", MaxSummary, n)
	}
	if lang == "" {
		lang = "en"
	}
	post := localPost{LanguageCode: lang, Summary: summary, TopicType: get("topic_type")}
	if post.TopicType == "" {
		post.TopicType = "STANDARD"
	}
	switch post.TopicType {
	case "STANDARD":
		if strings.TrimSpace(summary) == "" && len(p.Media) == 0 {
			return localPost{}, invalid("a what's-new post needs text or a photo")
		}
	case "EVENT", "OFFER":
		title := get("event_title")
		if title == "" {
			return localPost{}, invalid("an %s needs event_title", strings.ToLower(post.TopicType))
		}
		if n := len([]rune(title)); n > 58 {
			return localPost{}, invalid("event_title is %d characters; the limit is 58", n)
		}
		if get("event_start") == "" || get("event_end") == "" {
			return localPost{}, invalid("an %s needs event_start and event_end", strings.ToLower(post.TopicType))
		}
		sd, st, err := parseWhen("event_start", get("event_start"))
		if err != nil {
			return localPost{}, err
		}
		ed, et, err := parseWhen("event_end", get("event_end"))
		if err != nil {
			return localPost{}, err
		}
		if (st == nil) != (et == nil) {
			return localPost{}, invalid("event_start and event_end both need a time, or neither")
		}
		start := time.Date(sd.Year, time.Month(sd.Month), sd.Day, 0, 0, 0, 0, time.UTC)
		end := time.Date(ed.Year, time.Month(ed.Month), ed.Day, 0, 0, 0, 0, time.UTC)
		if st != nil {
			start, end = start.Add(time.Duration(st.Hours)*time.Hour+time.Duration(st.Minutes)*time.Minute), end.Add(time.Duration(et.Hours)*time.Hour+time.Duration(et.Minutes)*time.Minute)
		}
		if end.Before(start) {
			return localPost{}, invalid("event_end (%s) is before event_start (%s)", get("event_end"), get("event_start"))
		}
		post.Event = &event{Title: title, Schedule: schedule{StartDate: sd, StartTime: st, EndDate: ed, EndTime: et}}
	default:
		return localPost{}, invalid("topic_type must be STANDARD, EVENT or OFFER; got %q", post.TopicType)
	}
	if post.TopicType == "OFFER" {
		of := &offer{CouponCode: get("offer_coupon"), TermsConditions: get("offer_terms"), RedeemOnlineURL: get("offer_redeem_url")}
		if of.RedeemOnlineURL != "" && !httpURL(of.RedeemOnlineURL) {
			return localPost{}, invalid("offer_redeem_url must be an http(s) address; got %q", of.RedeemOnlineURL)
		}
		if *of != (offer{}) {
			post.Offer = of
		}
	} else {
		cta, target := get("cta"), get("cta_url")
		if target == "" {
			target = p.Link
		}
		if (cta == "" || cta == "NONE") && target != "" {
			cta = "LEARN_MORE"
		}
		switch cta {
		case "", "NONE":
		case "CALL":
			post.CallToAction = &callToAction{ActionType: cta}
		case "BOOK", "ORDER", "SHOP", "LEARN_MORE", "SIGN_UP":
			if !httpURL(target) {
				return localPost{}, invalid("the %s button needs cta_url, an http(s) address", cta)
			}
			post.CallToAction = &callToAction{ActionType: cta, URL: target}
		default:
			return localPost{}, invalid("cta must be one of %s; got %q", strings.Join(CallActions, ", "), cta)
		}
	}
	for _, m := range p.Media {
		if !strings.HasPrefix(m.MIME, "image/") {
			return localPost{}, invalid("a Google Business Profile post takes a photo, not %s", m.MIME)
		}
		if !httpURL(m.URL) {
			return localPost{}, invalid("Google fetches the photo from a public address; this install gives none (set the public base URL)")
		}
		post.Media = append(post.Media, mediaItem{MediaFormat: "PHOTO", SourceURL: m.URL})
	}
	return post, nil
}
