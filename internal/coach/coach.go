// Package coach owns the content coach: it scores a draft post against
// Rohit Bhargava's five social media optimisation rules (2006, revised 2010)
// as relais reads them — create enthusiasm, make it easy to share, reward the
// audience, share actively, invite sharing — and returns, per rule, the
// evidence found and a concrete suggestion in the draft's language.
//
// The coach advises; it never blocks publishing. Checks and thresholds follow
// the shared methods (section 7): sentiment magnitude, high-arousal words and
// emoji for enthusiasm; a visual, readability (Flesch, Amstad, Kandel–Moles),
// sentence length, links, hashtags and length fit for sharing; reward signals;
// planned channels and multipliers; natural calls to share.
package coach

import (
	"math"
	"strings"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/sentiment"
)

// Rule names, as they appear in the JSON report.
const (
	RuleEnthusiasm    = "enthusiasm"
	RuleEasyToShare   = "easy_to_share"
	RuleReward        = "reward"
	RuleShareActively = "share_actively"
	RuleInviteSharing = "invite_sharing"
)

// Draft is a post being written.
type Draft struct {
	// Text is the post text as it will be published.
	Text string `json:"text"`
	// Lang is "en", "fr", "de", a network language tag, or "" / "auto" to detect.
	Lang string `json:"lang,omitempty"`
	// Media is the number of images or videos attached.
	Media int `json:"media"`
	// Channels is the number of channels (accounts) the piece is planned for.
	Channels int `json:"channels"`
	// Networks optionally names the target networks ("instagram", "bluesky", …)
	// so length and visual checks use their limits.
	Networks []network.Kind `json:"networks,omitempty"`
	// Connected lists the network of each channel the workspace has
	// connected. Suggestions name only these networks; when it is nil they
	// name none.
	Connected []network.Kind `json:"connected,omitempty"`
	// MessageLang is the language of the evidence and suggestions ("en",
	// "fr", "de": the reader's interface); empty means the draft's language.
	MessageLang string `json:"message_lang,omitempty"`
}

// RuleReport is the verdict for one rule.
type RuleReport struct {
	Rule       string   `json:"rule"`
	Score      int      `json:"score"`
	Evidence   []string `json:"evidence"`
	Suggestion string   `json:"suggestion"`
}

// Report is the coach's verdict on a draft: an overall 0–100 score (the mean
// of the five rule scores, weights equal until they are learned per channel)
// and the five rule reports in a fixed order.
type Report struct {
	Score int          `json:"score"`
	Lang  string       `json:"lang"`
	Rules []RuleReport `json:"rules"`
}

// Analyze scores a draft against the five rules.
func Analyze(d Draft) Report {
	lang := sentiment.DetectLanguage(d.Text, d.Lang)
	msgLang := lang
	if msgLang == sentiment.LangOther {
		msgLang = sentiment.LangEnglish // suggestions need a language; English is the lingua franca
	}
	textLang := msgLang
	if _, ok := messages[d.MessageLang]; ok {
		msgLang = d.MessageLang
	}
	c := &check{d: d, lang: lang, msgLang: msgLang, m: messages[msgLang], p: patternsFor(textLang), lower: strings.ToLower(d.Text)}
	rules := []RuleReport{
		c.enthusiasm(),
		c.easyToShare(),
		c.reward(),
		c.shareActively(),
		c.inviteSharing(),
	}
	total := 0
	for i := range rules {
		rules[i].Score = max(0, min(100, rules[i].Score))
		if rules[i].Evidence == nil {
			rules[i].Evidence = []string{}
		}
		total += rules[i].Score
	}
	return Report{Score: int(math.Round(float64(total) / float64(len(rules)))), Lang: lang, Rules: rules}
}

// check carries one draft through the rules.
type check struct {
	d       Draft
	lang    string
	msgLang string
	m       catalog
	p       *patterns
	lower   string
}

// enthusiasm scores emotional charge: sentiment magnitude, high-arousal words,
// positive emoji and a measured use of "!" (Berger & Milkman 2012).
func (c *check) enthusiasm() RuleReport {
	r := RuleReport{Rule: RuleEnthusiasm}
	res := sentiment.Analyze(c.d.Text, c.lang)
	mag := math.Abs(res.Compound)
	switch {
	case mag >= 0.3:
		r.Score += 40
	case mag >= 0.05:
		r.Score += 20
	}
	r.Evidence = append(r.Evidence, c.m.f(msgSentiment, res.Compound, labelNames[c.msgLang][string(res.Label)]))
	if words := c.p.arousal.findAll(c.lower); len(words) > 0 {
		r.Score += 30
		r.Evidence = append(r.Evidence, c.m.f(msgArousal, strings.Join(words, ", ")))
	}
	var positive []string
	for _, e := range sentiment.Emoji(c.d.Text) {
		if e.Score > 0.3 {
			positive = append(positive, e.Emoji)
		}
	}
	if len(positive) > 0 {
		r.Score += 15
		r.Evidence = append(r.Evidence, c.m.f(msgEmoji, strings.Join(positive, " ")))
	}
	ex := strings.Count(c.d.Text, "!")
	switch {
	case ex >= 1 && ex <= 3:
		r.Score += 15
		r.Evidence = append(r.Evidence, c.m.f(msgExclaim, ex))
	case ex > 3:
		r.Evidence = append(r.Evidence, c.m.f(msgExclaimMany, ex))
	}
	switch {
	case res.Compound <= -0.3:
		r.Suggestion = c.m.s(sugNegativeTone)
	case ex > 3:
		r.Suggestion = c.m.s(sugTooManyExclaims)
	case r.Score >= 85:
		r.Suggestion = c.m.s(sugEnthusiasmKeep)
	case mag < 0.05 && len(positive) == 0:
		r.Suggestion = c.m.s(sugNoAffect)
	default:
		r.Suggestion = c.m.s(sugMoreEnthusiasm)
	}
	return r
}

// easyToShare scores how little effort sharing takes: a visual, a simple
// message (readability, short sentences, one link, a few hashtags) and a
// length that fits the networks.
func (c *check) easyToShare() RuleReport {
	r := RuleReport{Rule: RuleEasyToShare}
	var fixes []string
	if c.d.Media > 0 {
		r.Score += 35
		r.Evidence = append(r.Evidence, c.m.f(msgMedia, c.d.Media))
	} else {
		r.Evidence = append(r.Evidence, c.m.s(msgNoMedia))
		if names := c.connectedNames(func(l network.Limits) bool { return l.MediaRequired || l.ImageRequired || l.VideoRequired }); names != "" {
			fixes = append(fixes, c.m.f(sugAddVisualFor, names))
		} else {
			fixes = append(fixes, c.m.s(sugAddVisual))
		}
		for _, k := range c.d.Networks {
			if l, ok := network.LimitsFor(k); ok && (l.MediaRequired || l.ImageRequired || l.VideoRequired) {
				r.Evidence = append(r.Evidence, c.m.f(msgMediaRequired, l.Name))
			}
		}
	}
	rd := readability(c.d.Text, c.lang)
	if rd.words > 0 {
		r.Evidence = append(r.Evidence, c.m.f(msgReadability, rd.formula, rd.score, rd.pass))
		switch {
		case rd.score >= rd.pass:
			r.Score += 25
		case rd.score >= rd.pass-20:
			r.Score += 12
			fixes = append(fixes, c.m.s(sugSimplify))
		default:
			fixes = append(fixes, c.m.s(sugSimplify))
		}
		if rd.asl <= 20 {
			r.Score += 10
		} else {
			r.Evidence = append(r.Evidence, c.m.f(msgLongSentences, rd.asl))
			fixes = append(fixes, c.m.s(sugShortSentences))
		}
	}
	links := len(linkRe.FindAllString(c.d.Text, -1))
	if links <= 1 {
		r.Score += 10
	} else {
		r.Evidence = append(r.Evidence, c.m.f(msgLinks, links))
		fixes = append(fixes, c.m.s(sugOneLink))
	}
	tags := len(hashtagRe.FindAllString(c.d.Text, -1))
	switch {
	case tags >= 1 && tags <= 5:
		r.Score += 10
		r.Evidence = append(r.Evidence, c.m.f(msgHashtags, tags))
	case tags > 5:
		r.Evidence = append(r.Evidence, c.m.f(msgHashtags, tags))
		fixes = append(fixes, c.m.s(sugFewerHashtags))
	default:
		fixes = append(fixes, c.m.s(sugAddHashtag))
	}
	if fit, ev := c.lengthFit(); fit {
		r.Score += 10
	} else {
		r.Evidence = append(r.Evidence, ev...)
		fixes = append(fixes, c.m.s(sugShorten))
	}
	r.Suggestion = c.pick(fixes, sugShareKeep)
	return r
}

// lengthFit checks the text against each planned network's limit, or against
// the 280 characters every network accepts when none is named, and the first
// line against the ~125 characters Instagram shows before "more".
func (c *check) lengthFit() (bool, []string) {
	n := len([]rune(c.d.Text))
	var ev []string
	fit := true
	if len(c.d.Networks) == 0 {
		if n > 280 {
			fit = false
			ev = append(ev, c.m.f(msgLengthAll, n))
		}
	}
	for _, k := range c.d.Networks {
		l, ok := network.LimitsFor(k)
		if !ok || l.MaxText == 0 {
			continue
		}
		// Runes approximate each network's own unit closely enough for advice;
		// the composer validates exact lengths before publishing.
		if n > l.MaxText {
			fit = false
			ev = append(ev, c.m.f(msgLengthNetwork, l.Name, l.MaxText, n))
		}
	}
	first, _, _ := strings.Cut(strings.TrimSpace(c.d.Text), "\n")
	if fl := len([]rune(first)); fl > 125 {
		fit = false
		ev = append(ev, c.m.f(msgHook, fl))
	}
	return fit, ev
}

// reward scores reasons for the audience to act: discounts, codes, exclusive
// or early access, giveaways. A contest needs a link to its terms.
func (c *check) reward() RuleReport {
	r := RuleReport{Rule: RuleReward}
	found := c.p.reward.findAll(c.lower)
	found = append(found, codeRe.FindAllString(c.d.Text, -1)...)
	for _, p := range percentRe.FindAllString(c.d.Text, -1) {
		found = append(found, strings.TrimSpace(p))
	}
	found = dedupe(found)
	switch {
	case len(found) >= 2:
		r.Score = 100
	case len(found) == 1:
		r.Score = 70
	}
	if len(found) > 0 {
		r.Evidence = append(r.Evidence, c.m.f(msgReward, strings.Join(found, ", ")))
	}
	contest := c.p.contest.findAll(c.lower)
	if len(contest) > 0 {
		r.Evidence = append(r.Evidence, c.m.f(msgContest, strings.Join(contest, ", ")))
		if !linkRe.MatchString(c.d.Text) && len(c.p.terms.findAll(c.lower)) == 0 {
			r.Score = min(r.Score, 60)
			r.Suggestion = c.m.s(sugContestTerms)
			return r
		}
	}
	switch {
	case len(found) == 0:
		r.Suggestion = c.m.s(sugAddReward)
	case r.Score < 100:
		r.Suggestion = c.m.s(sugStrongerReward)
	default:
		r.Suggestion = c.m.s(sugRewardKeep)
	}
	return r
}

// shareActively scores distribution: how many channels the piece is planned
// for, and partners or multipliers mentioned.
func (c *check) shareActively() RuleReport {
	r := RuleReport{Rule: RuleShareActively}
	ch := max(c.d.Channels, len(c.d.Networks))
	switch {
	case ch >= 4:
		r.Score = 90
	case ch == 3:
		r.Score = 80
	case ch == 2:
		r.Score = 60
	case ch == 1:
		r.Score = 25
	}
	r.Evidence = append(r.Evidence, c.m.f(msgChannels, ch))
	handles := mentions(c.d.Text)
	if len(handles) > 0 {
		r.Score += 20
		r.Evidence = append(r.Evidence, c.m.f(msgMentions, strings.Join(handles, " ")))
	}
	planned := map[network.Kind]bool{}
	for _, k := range c.d.Networks {
		planned[k] = true
	}
	others := c.connectedNames(func(l network.Limits) bool { return !planned[l.Network] })
	switch {
	case ch < 2 && others != "":
		r.Suggestion = c.m.f(sugMoreChannelsOf, others)
	case ch < 2 && (c.d.Connected == nil || len(c.d.Connected) > ch):
		r.Suggestion = c.m.s(sugMoreChannels)
	case len(handles) == 0:
		r.Suggestion = c.m.s(sugMentionPartner)
	default:
		r.Suggestion = c.m.s(sugActiveKeep)
	}
	return r
}

// inviteSharing scores explicit, natural invitations to share, tag, save or
// comment; engagement bait ("tag a friend", "share if") is flagged because
// platforms demote it.
func (c *check) inviteSharing() RuleReport {
	r := RuleReport{Rule: RuleInviteSharing}
	var fixes []string
	cta := c.p.share.findAll(c.lower)
	if len(cta) > 0 {
		r.Score += 60
		r.Evidence = append(r.Evidence, c.m.f(msgCTA, strings.Join(cta, ", ")))
	} else {
		fixes = append(fixes, c.m.s(sugAddCTA))
	}
	if bait := c.p.bait.findAll(c.lower); len(bait) > 0 {
		r.Score -= 20
		r.Evidence = append(r.Evidence, c.m.f(msgBait, strings.Join(bait, ", ")))
		fixes = append([]string{c.m.s(sugNoBait)}, fixes...)
	}
	if strings.Contains(c.d.Text, "?") {
		r.Score += 20
		r.Evidence = append(r.Evidence, c.m.s(msgQuestion))
	} else {
		fixes = append(fixes, c.m.s(sugAskQuestion))
	}
	if tags := hashtagRe.FindAllString(c.d.Text, -1); len(tags) > 0 {
		r.Score += 10
	}
	if utmRe.MatchString(c.d.Text) {
		r.Score += 10
		r.Evidence = append(r.Evidence, c.m.s(msgUTM))
	} else if linkRe.MatchString(c.d.Text) {
		fixes = append(fixes, c.m.s(sugUTM))
	}
	r.Suggestion = c.pick(fixes, sugInviteKeep)
	return r
}

// connectedNames lists the display names of the workspace's connected
// networks for which keep is true ("Instagram, Threads and TikTok"), or ""
// when there are none: the coach recommends no network the workspace has
// not connected.
func (c *check) connectedNames(keep func(network.Limits) bool) string {
	var names []string
	seen := map[network.Kind]bool{}
	for _, k := range c.d.Connected {
		l, ok := network.LimitsFor(k)
		if !ok || seen[k] || !keep(l) {
			continue
		}
		seen[k] = true
		names = append(names, l.Name)
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " " + c.m.s(msgAnd) + " " + names[len(names)-1]
}

// pick returns the first fix, or the "keep it up" message when nothing needs fixing.
func (c *check) pick(fixes []string, keep msgKey) string {
	if len(fixes) == 0 {
		return c.m.s(keep)
	}
	return fixes[0]
}

// dedupe keeps the first occurrence of each string, case-insensitively.
func dedupe(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := in[:0]
	for _, s := range in {
		k := strings.ToLower(s)
		if !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}
