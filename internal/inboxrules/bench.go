package inboxrules

import (
	"context"
	"strconv"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/store"
)

// BenchRules are twenty rules such as a brand's team writes: keyword queries
// with phrases and boolean logic in English, French and German, networks,
// languages, sentiments, themes, a time-of-day window, authors, and the
// actions that change the message (labels, priorities, assignment, spam and
// hiding, which the "answer, don't delete" policy turns into a review of
// criticism). Auto-replies and notifications, which call the network or
// write a row per message, and first-contact conditions, which read the
// author's history, are left out: they cost per matching message, not per rule.
func BenchRules(owner int64) []moderation.Rule {
	who := strconv.FormatInt(owner, 10)
	label := func(v string) moderation.Action { return moderation.Action{Kind: moderation.ActLabel, Value: v} }
	prio := func(v string) moderation.Action { return moderation.Action{Kind: moderation.ActPriority, Value: v} }
	assign := moderation.Action{Kind: moderation.ActAssign, Value: who}
	r := func(name string, c moderation.Conditions, acts ...moderation.Action) moderation.Rule {
		return moderation.Rule{Name: name, Enabled: true, Conditions: c, Actions: acts}
	}
	return []moderation.Rule{
		r("Spam links", moderation.Conditions{Keywords: `"free money" OR "click here" OR crypto OR casino`}, moderation.Action{Kind: moderation.ActSpam}),
		r("Refunds", moderation.Conditions{Keywords: `refund AND (late OR "three weeks" OR waiting) AND NOT thanks`}, label("refund"), prio("high"), assign),
		r("Remboursements", moderation.Conditions{Keywords: `remboursement OR rembourser`, Languages: []string{"fr"}}, label("refund"), assign),
		r("Rückerstattung", moderation.Conditions{Keywords: `rückerstattung OR erstattung OR geld`, Languages: []string{"de"}}, label("refund")),
		r("Lost parcels", moderation.Conditions{Keywords: `parcel OR colis OR paket OR delivery OR livraison`, Sentiments: []string{"negative"}}, label("delivery"), prio("urgent")),
		r("Delivery theme", moderation.Conditions{Themes: []string{"delivery"}}, label("shipping")),
		r("Sizes", moderation.Conditions{Keywords: `size OR small OR taille OR "trop petite" OR größe`}, label("size")),
		r("Price", moderation.Conditions{Keywords: `expensive OR cher OR teuer OR price OR prix`}, label("price")),
		r("Checkout", moderation.Conditions{Keywords: `checkout AND (crash* OR failed OR error)`}, label("website"), prio("high")),
		r("Stock questions", moderation.Conditions{Keywords: `"in stock" OR "back in stock" OR disponible OR verfügbar`}, label("stock")),
		r("Praise", moderation.Conditions{Sentiments: []string{"positive"}}, label("praise")),
		r("Praise in French", moderation.Conditions{Keywords: `merci OR adore OR génial`, Sentiments: []string{"positive"}, Languages: []string{"fr"}}, label("fan")),
		r("Night shift", moderation.Conditions{TimeFrom: "22:00", TimeTo: "06:00", Sentiments: []string{"negative"}}, label("night"), assign),
		r("Bluesky complaints", moderation.Conditions{Networks: []string{"bluesky"}, Sentiments: []string{"negative"}}, label("bluesky")),
		r("Telegram", moderation.Conditions{Networks: []string{"telegram"}}, label("telegram")),
		r("Service", moderation.Conditions{Keywords: `"customer service" OR "service client" OR kundenservice OR "nobody answers"`}, label("service"), prio("high")),
		r("Abuse", moderation.Conditions{Keywords: `idiot OR scam OR arnaque OR betrug`}, moderation.Action{Kind: moderation.ActHide}),
		r("Stores", moderation.Conditions{Keywords: `store OR magasin OR laden OR lyon`}, label("store")),
		r("VIP authors", moderation.Conditions{Authors: []string{"@user1", "@user2", "@user3", "@user42"}}, label("vip"), prio("urgent")),
		r("German complaints", moderation.Conditions{Languages: []string{"de"}, Sentiments: []string{"negative"}, Keywords: `NOT danke`}, label("de-complaint")),
	}
}

// BenchSetup stores BenchRules in the bench's workspace and returns the
// rules' hook for the ingest (inbox.BenchOptions.Setup).
func BenchSetup(ctx context.Context, st store.Store, ws store.Workspace, owner store.User, svc *inbox.Service) ([]inbox.Hook, int, error) {
	mod := &moderation.Service{Store: st}
	rules := BenchRules(owner.ID)
	for _, r := range rules {
		if _, err := mod.CreateRule(ctx, ws.ID, r); err != nil {
			return nil, 0, err
		}
	}
	return []inbox.Hook{&Hook{Store: st, Inbox: svc, Moderation: mod}}, len(rules), nil
}
