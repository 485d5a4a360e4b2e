package influencer

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Pipeline stages of an influencer in a campaign, in order.
const (
	StageShortlisted = "shortlisted"
	StageContacted   = "contacted"
	StageNegotiating = "negotiating"
	StageContracted  = "contracted"
	StageLive        = "live"
	StageDelivered   = "delivered"
	StagePaid        = "paid"
	StageDeclined    = "declined"
)

// Stages lists the pipeline in order; declined can be reached from any
// stage before paid.
var Stages = []string{StageShortlisted, StageContacted, StageNegotiating, StageContracted, StageLive, StageDelivered, StagePaid, StageDeclined}

// CheckMove validates a pipeline move: forward any number of stages, back
// one stage (to undo a mistake), or to declined before paid; declined can
// return to shortlisted.
func CheckMove(from, to string) error {
	fi, ti := slices.Index(Stages, from), slices.Index(Stages, to)
	if ti < 0 {
		return fmt.Errorf("stage %q: must be one of %s", to, strings.Join(Stages, ", "))
	}
	switch {
	case from == to:
		return nil
	case from == StageDeclined:
		if to != StageShortlisted {
			return fmt.Errorf("stage: a declined influencer goes back to %s first", StageShortlisted)
		}
	case to == StageDeclined:
		if from == StagePaid {
			return fmt.Errorf("stage: a paid influencer cannot be declined")
		}
	case ti < fi-1:
		return fmt.Errorf("stage: from %s only one stage back (%s)", from, Stages[fi-1])
	}
	return nil
}

// Deliverable kinds.
var DeliverableKinds = []string{"post", "story", "video", "reel", "short", "live"}

// DeliverableStatuses in order: planned, draft submitted, approved,
// published (detected or attached), measured.
var DeliverableStatuses = []string{"planned", "draft", "approved", "published"}

// EMVRule values one network and action: CPM (per 1,000 impressions or
// views) or a unit value per action, in the workspace's currency.
type EMVRule struct {
	Network string  `json:"network"`
	Action  string  `json:"action"`
	Value   float64 `json:"value"`
}

// EMV actions.
var EMVActions = []string{"impressions", "views", "likes", "comments", "shares", "saves", "clicks"}

// DefaultEMV is the documented default table (docs/influencers.md): a CPM
// for impressions/views and a value per interaction, in currency units.
// They are placeholders to replace with the workspace's own media costs.
var DefaultEMV = []EMVRule{
	{"*", "impressions", 5.00}, // CPM
	{"*", "views", 5.00},       // CPM
	{"*", "likes", 0.05},
	{"*", "comments", 0.50},
	{"*", "shares", 1.00},
	{"*", "saves", 0.50},
	{"*", "clicks", 0.80},
	{"instagram", "impressions", 7.00},
	{"instagram", "views", 7.00},
	{"tiktok", "views", 4.00},
	{"youtube", "views", 10.00},
}

// CheckEMV validates an EMV table.
func CheckEMV(rules []EMVRule) error {
	if len(rules) > 200 {
		return fmt.Errorf("emv: at most 200 rules")
	}
	for i, r := range rules {
		if r.Network != "*" && !slices.Contains(Networks, r.Network) && r.Network != "mastodon" {
			return fmt.Errorf("emv[%d].network: %q must be * or one of %s", i, r.Network, strings.Join(Networks, ", "))
		}
		if !slices.Contains(EMVActions, r.Action) {
			return fmt.Errorf("emv[%d].action: %q must be one of %s", i, r.Action, strings.Join(EMVActions, ", "))
		}
		if r.Value < 0 || r.Value > 1e6 || math.IsNaN(r.Value) {
			return fmt.Errorf("emv[%d].value: must be between 0 and 1000000", i)
		}
	}
	return nil
}

// Counts are a deliverable's or an influencer's measured results (-1: unknown).
type Counts struct {
	Impressions int64 `json:"impressions"`
	Views       int64 `json:"views"`
	Reach       int64 `json:"reach"`
	Likes       int64 `json:"likes"`
	Comments    int64 `json:"comments"`
	Shares      int64 `json:"shares"`
	Saves       int64 `json:"saves"`
	Clicks      int64 `json:"clicks"`
	Conversions int64 `json:"conversions"`
}

// Add sums counts, an unknown (-1) side leaving the other as it is.
func (c Counts) Add(o Counts) Counts {
	add := func(a, b int64) int64 {
		switch {
		case a < 0:
			return b
		case b < 0:
			return a
		}
		return a + b
	}
	return Counts{add(c.Impressions, o.Impressions), add(c.Views, o.Views), add(c.Reach, o.Reach), add(c.Likes, o.Likes),
		add(c.Comments, o.Comments), add(c.Shares, o.Shares), add(c.Saves, o.Saves), add(c.Clicks, o.Clicks), add(c.Conversions, o.Conversions)}
}

// Unknown is counts with every value unknown.
var Unknown = Counts{-1, -1, -1, -1, -1, -1, -1, -1, -1}

// Interactions = likes + comments + shares + saves (methods §1's E).
func (c Counts) Interactions() int64 {
	var e int64
	for _, v := range []int64{c.Likes, c.Comments, c.Shares, c.Saves} {
		e += max(v, 0)
	}
	return e
}

// EMV computes the earned media value of counts on a network with a rule
// table: Σ over actions of (count × value), where impressions and views use
// the value as a CPM (count × value / 1000). A network's own rule wins over
// "*". Unknown counts add nothing.
func EMV(network string, c Counts, rules []EMVRule) float64 {
	val := func(action string) float64 {
		v, found := 0.0, false
		for _, r := range rules {
			if r.Action != action {
				continue
			}
			if r.Network == network {
				return r.Value
			}
			if r.Network == "*" && !found {
				v, found = r.Value, true
			}
		}
		return v
	}
	n := map[string]int64{"impressions": c.Impressions, "views": c.Views, "likes": c.Likes, "comments": c.Comments,
		"shares": c.Shares, "saves": c.Saves, "clicks": c.Clicks}
	var sum float64
	for _, a := range EMVActions {
		k := n[a]
		if k <= 0 {
			continue
		}
		if a == "impressions" || a == "views" {
			sum += float64(k) * val(a) / 1000
		} else {
			sum += float64(k) * val(a)
		}
	}
	return math.Round(sum*100) / 100
}

// Results are the money figures of an influencer or campaign: cost, revenue
// (conversions' value, entered or imported), EMV, and the ratios; a ratio
// with a zero or unknown denominator is nil ("unknown"), never 0.
type Results struct {
	Counts
	Interactions int64    `json:"interactions"`
	Cost         float64  `json:"cost"`
	Revenue      float64  `json:"revenue"`
	EMV          float64  `json:"emv"`
	CPE          *float64 `json:"cost_per_engagement"`
	CPC          *float64 `json:"cost_per_click"`
	ROI          *float64 `json:"roi"`
}

// Compute fills the ratios: CPE = cost / interactions, CPC = cost / clicks,
// ROI = (revenue − cost) / cost.
func (r Results) Compute() Results {
	r.Interactions = r.Counts.Interactions()
	ratio := func(a, b float64) *float64 {
		if b <= 0 {
			return nil
		}
		v := math.Round(a/b*10000) / 10000
		return &v
	}
	r.CPE = ratio(r.Cost, float64(r.Interactions))
	r.CPC = ratio(r.Cost, float64(r.Clicks))
	r.ROI = ratio(r.Revenue-r.Cost, r.Cost)
	return r
}
