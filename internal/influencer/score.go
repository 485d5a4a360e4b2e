// Package influencer owns the influencer directory's logic: the vetting
// score over a metric history and comments, CSV import of influencer lists,
// the campaign pipeline's stages, and results (CPE, CPC, EMV, ROI). It is a
// pure domain package: no HTTP types, no storage.
package influencer

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/relais/relais/internal/sentiment"
)

// Snapshot is one reading of an account's counts (a daily collection); a
// count the network does not give is -1.
type Snapshot struct {
	At        time.Time `json:"at"`
	Followers int64     `json:"followers"`
	Following int64     `json:"following"`
	Posts     int64     `json:"posts"`
}

// Post is one public post of the account with its counts (-1: unknown).
type Post struct {
	ID       string    `json:"id"`
	At       time.Time `json:"at"`
	Likes    int64     `json:"likes"`
	Comments int64     `json:"comments"`
	Shares   int64     `json:"shares"`
	Text     string    `json:"text"`
}

// Comment is one comment under a post of the account.
type Comment struct {
	PostID string    `json:"post_id"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
	At     time.Time `json:"at"`
}

// History is what the score reads: snapshots (any order), recent posts and
// a sample of their comments, the account's bio, and the workspace's target
// languages and brand-safety terms.
type History struct {
	Snapshots []Snapshot
	Posts     []Post
	Comments  []Comment
	Bio       string
	// TargetLanguages are the languages the campaign's audience speaks
	// ("en", "fr", "de"); none: audience fit is unknown.
	TargetLanguages []string
	// BrandSafetyTerms are words or phrases the brand will not be next to.
	BrandSafetyTerms []string
}

// Component status values.
const (
	StatusOK      = "ok"
	StatusFlag    = "flag"
	StatusUnknown = "unknown"
)

// Component is one signal of the score: its weight (points), its status,
// the severity in [0.5, 1] when flagged, and a reason with its numbers.
type Component struct {
	Key      string  `json:"key"`
	Points   float64 `json:"points"`
	Status   string  `json:"status"`
	Severity float64 `json:"severity"`
	Reason   string  `json:"reason"`
	// Value is the measured number the reason quotes (NaN-free; 0 when unknown).
	Value float64 `json:"value"`
}

// Score is the vetting result: 0–100 (100: no signal fired), whether some
// components were unknown (Partial), and every component with its reason.
// Known is false when no component could be computed: there is no score.
type Score struct {
	Score      int         `json:"score"`
	Known      bool        `json:"known"`
	Partial    bool        `json:"partial"`
	Tier       string      `json:"tier"`
	Followers  int64       `json:"followers"`
	ER         float64     `json:"engagement_rate"`
	Components []Component `json:"components"`
}

// Tier is a follower-count band (Later × Fohr) with the default peer band of
// the engagement rate by followers (ERF, %): below P10 hints at bought
// followers, above P99 with few comments at bought likes.
type Tier struct {
	Name     string
	Min      int64
	P10, P99 float64
}

// Tiers are the default bands; see docs/influencers.md for their sources.
var Tiers = []Tier{
	{"nano", 1_000, 1.0, 20},
	{"micro", 10_000, 0.7, 12},
	{"mid", 100_000, 0.5, 8},
	{"macro", 500_000, 0.4, 6},
	{"mega", 1_000_000, 0.3, 5},
}

// TierOf returns the tier of a follower count ("" below 1,000).
func TierOf(followers int64) (Tier, bool) {
	var t Tier
	ok := false
	for _, c := range Tiers {
		if followers >= c.Min {
			t, ok = c, true
		}
	}
	return t, ok
}

// Points per component (methods §5).
const (
	pointsTierER       = 20
	pointsLikeComment  = 15
	pointsConsistency  = 10
	pointsGrowth       = 20
	pointsChurn        = 10
	pointsComments     = 15
	pointsPod          = 10
	pointsAudienceFit  = 10
	pointsBrandSafety  = 15
	minPostsForER      = 3
	minPostsForCV      = 5
	minSnapshots       = 7
	minComments        = 20
	genericShareFlag   = 0.40
	podJaccardFlag     = 0.5
	audienceFitFlag    = 0.5
	growthZ            = 3.0
	growthMinShare     = 0.01
	spikeRatio         = 10.0
	likesPerCommentMax = 200.0
	likesPerCommentMin = 2.0
)

// Compute scores a history. It is a pure function: the same history always
// gives the same score. Components without enough data are "unknown" and
// left out of the score, which is then marked partial.
func Compute(h History) Score {
	snaps := slices.Clone(h.Snapshots)
	slices.SortFunc(snaps, func(a, b Snapshot) int { return a.At.Compare(b.At) })
	posts := slices.Clone(h.Posts)
	slices.SortFunc(posts, func(a, b Post) int { return a.At.Compare(b.At) })
	var s Score
	s.Followers = -1
	for i := len(snaps) - 1; i >= 0; i-- {
		if snaps[i].Followers >= 0 {
			s.Followers = snaps[i].Followers
			break
		}
	}
	if t, ok := TierOf(s.Followers); ok {
		s.Tier = t.Name
	}
	er, erOK := medianER(posts, snaps)
	if erOK {
		s.ER = round2(er)
	}
	s.Components = []Component{
		tierER(s.Followers, er, erOK, posts),
		likeComment(posts),
		consistency(posts),
		growth(snaps),
		churn(snaps),
		commentQuality(h.Comments),
		pod(h.Comments),
		audienceFit(h.Comments, h.TargetLanguages),
		brandSafety(h.Bio, posts, h.BrandSafetyTerms),
	}
	var known, risk float64
	for _, c := range s.Components {
		if c.Status == StatusUnknown {
			s.Partial = true
			continue
		}
		known += c.Points
		if c.Status == StatusFlag {
			risk += c.Points * c.Severity
		}
	}
	if known > 0 {
		s.Known = true
		s.Score = int(math.Round(100 * (1 - risk/known)))
	}
	return s
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// severity maps how far a value is past its threshold (0: at it, 1: far) to [0.5, 1].
func severity(past float64) float64 {
	return 0.5 + 0.5*math.Max(0, math.Min(1, past))
}

func unknown(key string, points float64, why string) Component {
	return Component{Key: key, Points: points, Status: StatusUnknown, Reason: why}
}

func engagement(p Post) int64 {
	var e int64
	for _, v := range []int64{p.Likes, p.Comments, p.Shares} {
		if v > 0 {
			e += v
		}
	}
	return e
}

// followersAt is the follower count of the last snapshot at or before t
// (the first one when all are later); -1 when none is known.
func followersAt(snaps []Snapshot, t time.Time) int64 {
	f := int64(-1)
	for _, sn := range snaps {
		if sn.Followers < 0 {
			continue
		}
		if f < 0 || !sn.At.After(t) {
			f = sn.Followers
		}
		if sn.At.After(t) {
			break
		}
	}
	return f
}

// medianER is the median over posts of E / F × 100 (methods §2, ERF).
func medianER(posts []Post, snaps []Snapshot) (float64, bool) {
	var ers []float64
	for _, p := range posts {
		if p.Likes < 0 {
			continue
		}
		f := followersAt(snaps, p.At)
		if f <= 0 {
			continue
		}
		ers = append(ers, float64(engagement(p))/float64(f)*100)
	}
	if len(ers) < minPostsForER {
		return 0, false
	}
	return median(ers), true
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func mad(v []float64, med float64) float64 {
	d := make([]float64, len(v))
	for i, x := range v {
		d[i] = math.Abs(x - med)
	}
	return median(d)
}

func tierER(followers int64, er float64, ok bool, posts []Post) Component {
	const key = "tier_er"
	t, tierOK := TierOf(followers)
	switch {
	case followers < 0:
		return unknown(key, pointsTierER, "no follower count collected")
	case !tierOK:
		return unknown(key, pointsTierER, fmt.Sprintf("%d followers is below the smallest tier (1,000): no peer band", followers))
	case !ok:
		return unknown(key, pointsTierER, fmt.Sprintf("fewer than %d posts with counts", minPostsForER))
	}
	c := Component{Key: key, Points: pointsTierER, Status: StatusOK, Value: round2(er)}
	var likes, comments int64
	for _, p := range posts {
		likes += max(p.Likes, 0)
		comments += max(p.Comments, 0)
	}
	switch {
	case er < t.P10:
		c.Status, c.Severity = StatusFlag, severity((t.P10-er)/t.P10)
		c.Reason = fmt.Sprintf("engagement rate %.2f%% is below the %s tier's 10th percentile (%.2f%%): followers may be bought or inactive", er, t.Name, t.P10)
	case er > t.P99 && comments*100 < likes:
		c.Status, c.Severity = StatusFlag, severity((er-t.P99)/t.P99)
		c.Reason = fmt.Sprintf("engagement rate %.2f%% is above the %s tier's 99th percentile (%.2f%%) with under 1 comment per 100 likes: likes may be bought", er, t.Name, t.P99)
	default:
		c.Reason = fmt.Sprintf("engagement rate %.2f%% is within the %s tier's band (%.2f%%–%.2f%%)", er, t.Name, t.P10, t.P99)
	}
	return c
}

func likeComment(posts []Post) Component {
	const key = "like_comment_ratio"
	var likes, comments int64
	n := 0
	for _, p := range posts {
		if p.Likes < 0 || p.Comments < 0 {
			continue
		}
		likes += p.Likes
		comments += p.Comments
		n++
	}
	if n < minPostsForER || likes == 0 {
		return unknown(key, pointsLikeComment, fmt.Sprintf("fewer than %d posts with like and comment counts", minPostsForER))
	}
	if comments == 0 {
		return Component{Key: key, Points: pointsLikeComment, Status: StatusFlag, Severity: 1, Value: float64(likes),
			Reason: fmt.Sprintf("%d likes and no comment over %d posts", likes, n)}
	}
	r := float64(likes) / float64(comments)
	c := Component{Key: key, Points: pointsLikeComment, Status: StatusOK, Value: round2(r)}
	switch {
	case r > likesPerCommentMax:
		c.Status, c.Severity = StatusFlag, severity((r-likesPerCommentMax)/likesPerCommentMax)
		c.Reason = fmt.Sprintf("%.0f likes per comment over %d posts (more than %.0f): likes may be bought", r, n, likesPerCommentMax)
	case r < likesPerCommentMin:
		c.Status, c.Severity = StatusFlag, severity((likesPerCommentMin-r)/likesPerCommentMin)
		c.Reason = fmt.Sprintf("%.1f likes per comment over %d posts (fewer than %.0f): comments may come from a pod", r, n, likesPerCommentMin)
	default:
		c.Reason = fmt.Sprintf("%.1f likes per comment over %d posts", r, n)
	}
	return c
}

// consistency flags unnaturally even like counts (CV < 0.1, repeated
// counts) and a flat history followed by a spike (the last posts' engagement
// over 10× the earlier median).
func consistency(posts []Post) Component {
	const key = "engagement_consistency"
	var es []float64
	for _, p := range posts {
		if p.Likes >= 0 {
			es = append(es, float64(engagement(p)))
		}
	}
	if len(es) < minPostsForCV {
		return unknown(key, pointsConsistency, fmt.Sprintf("fewer than %d posts with counts", minPostsForCV))
	}
	mean, sd := meanSD(es)
	cv := 0.0
	if mean > 0 {
		cv = sd / mean
	}
	seen := map[float64]int{}
	repeated := 0
	for _, e := range es {
		seen[e]++
		if seen[e] == 2 {
			repeated += 2
		} else if seen[e] > 2 {
			repeated++
		}
	}
	repShare := float64(repeated) / float64(len(es))
	c := Component{Key: key, Points: pointsConsistency, Status: StatusOK, Value: round2(cv)}
	// Flat then spike: the earlier posts are flat (CV < 0.3) and a later
	// post has over 10× their median.
	k := len(es) * 2 / 3
	early := es[:k]
	em := median(early)
	_, esd := meanSD(early)
	peak := slices.Max(es[k:])
	switch {
	case em > 0 && esd/em < 0.3 && peak > spikeRatio*em:
		c.Status, c.Severity = StatusFlag, severity((peak/em-spikeRatio)/(3*spikeRatio))
		c.Reason = fmt.Sprintf("engagement was flat (median %.0f over %d posts) then jumped to %.0f (%.0f×): engagement may be bought", em, len(early), peak, peak/em)
	case mean > 0 && cv < 0.1:
		c.Status, c.Severity = StatusFlag, severity((0.1-cv)/0.1)
		c.Reason = fmt.Sprintf("engagement per post varies unnaturally little (coefficient of variation %.2f, under 0.10)", cv)
	case repShare > 0.3:
		c.Status, c.Severity = StatusFlag, severity((repShare-0.3)/0.7)
		c.Reason = fmt.Sprintf("%.0f%% of posts share an identical engagement count", repShare*100)
	default:
		c.Reason = fmt.Sprintf("engagement per post varies normally (coefficient of variation %.2f over %d posts)", cv, len(es))
	}
	return c
}

func meanSD(v []float64) (float64, float64) {
	var s float64
	for _, x := range v {
		s += x
	}
	m := s / float64(len(v))
	var q float64
	for _, x := range v {
		q += (x - m) * (x - m)
	}
	return m, math.Sqrt(q / float64(len(v)))
}

// growth flags daily follower changes beyond 3 robust standard deviations
// (median/MAD of the daily deltas) that are also over 1% of the followers.
func growth(snaps []Snapshot) Component {
	const key = "growth_anomaly"
	var pts []Snapshot
	for _, s := range snaps {
		if s.Followers >= 0 {
			pts = append(pts, s)
		}
	}
	if len(pts) < minSnapshots {
		return unknown(key, pointsGrowth, fmt.Sprintf("fewer than %d follower snapshots (have %d)", minSnapshots, len(pts)))
	}
	deltas := make([]float64, 0, len(pts)-1)
	for i := 1; i < len(pts); i++ {
		days := math.Max(1, pts[i].At.Sub(pts[i-1].At).Hours()/24)
		deltas = append(deltas, float64(pts[i].Followers-pts[i-1].Followers)/days)
	}
	med := median(deltas)
	sigma := 1.4826 * mad(deltas, med)
	worst, worstZ := -1, 0.0
	for i, d := range deltas {
		dev := math.Abs(d - med)
		base := float64(max(pts[i].Followers, 1))
		if dev < growthMinShare*base {
			continue
		}
		z := math.Inf(1)
		if sigma > 0 {
			z = dev / sigma
		}
		if z > growthZ && (worst < 0 || dev > math.Abs(deltas[worst]-med)) {
			worst, worstZ = i, z
		}
	}
	c := Component{Key: key, Points: pointsGrowth, Status: StatusOK, Value: round2(med)}
	if worst < 0 {
		c.Reason = fmt.Sprintf("daily follower change steady (median %+.0f a day over %d snapshots)", med, len(pts))
		return c
	}
	d := deltas[worst]
	c.Status, c.Value = StatusFlag, round2(d)
	c.Severity = severity((math.Min(worstZ, 20) - growthZ) / 7)
	day := pts[worst+1].At.UTC().Format("2006-01-02")
	if d > 0 {
		round := ""
		if int64(math.Abs(d))%1000 == 0 {
			round = ", a round number"
		}
		c.Reason = fmt.Sprintf("followers jumped by %+.0f on %s (typical %+.0f a day%s): followers may be bought", d, day, med, round)
	} else {
		c.Reason = fmt.Sprintf("followers dropped by %.0f on %s (typical %+.0f a day): a purge of fake followers or a lost audience", -d, day, med)
	}
	return c
}

// churn flags following counts that rise and fall in waves (mass
// follow/unfollow): at least two reversals of moves over 10% of following.
func churn(snaps []Snapshot) Component {
	const key = "following_churn"
	var pts []Snapshot
	for _, s := range snaps {
		if s.Following >= 0 {
			pts = append(pts, s)
		}
	}
	if len(pts) < minSnapshots {
		return unknown(key, pointsChurn, fmt.Sprintf("fewer than %d following snapshots (have %d)", minSnapshots, len(pts)))
	}
	reversals, last := 0, 0
	for i := 1; i < len(pts); i++ {
		d := pts[i].Following - pts[i-1].Following
		if float64(abs(d)) < 0.1*float64(max(pts[i-1].Following, 10)) {
			continue
		}
		sign := 1
		if d < 0 {
			sign = -1
		}
		if last != 0 && sign != last {
			reversals++
		}
		last = sign
	}
	c := Component{Key: key, Points: pointsChurn, Status: StatusOK, Value: float64(reversals)}
	if reversals >= 2 {
		c.Status, c.Severity = StatusFlag, severity(float64(reversals-2)/4)
		c.Reason = fmt.Sprintf("following count rose and fell by over 10%% %d times: mass follow/unfollow", reversals)
	} else {
		c.Reason = fmt.Sprintf("following count has no follow/unfollow waves (%d reversals)", reversals)
	}
	return c
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// genericComments are short praise with no content, in EN/FR/DE.
var genericComments = map[string]bool{
	"nice": true, "nice pic": true, "nice post": true, "love it": true, "love this": true, "great": true, "great post": true,
	"amazing": true, "awesome": true, "cool": true, "wow": true, "beautiful": true, "so cute": true, "super": true, "top": true,
	"magnifique": true, "trop beau": true, "j'adore": true, "génial": true, "bravo": true, "sublime": true, "trop bien": true,
	"mega": true, "toll": true, "schön": true, "wunderschön": true, "klasse": true, "geil": true, "hammer": true, "mega schön": true,
	"follow me": true, "follow back": true, "check my page": true, "dm me": true, "first": true,
}

// NormalizeComment lowercases a comment and drops emoji, punctuation,
// mentions and extra spaces: what is left decides whether it is generic.
func NormalizeComment(text string) string {
	var b strings.Builder
	space := false
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if strings.HasPrefix(w, "@") {
			continue
		}
		for _, r := range w {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' {
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				space = false
				b.WriteRune(r)
			}
		}
		space = true
	}
	return b.String()
}

// GenericComment reports whether a comment is emoji-only or generic praise.
func GenericComment(text string) bool {
	n := NormalizeComment(text)
	return n == "" || genericComments[n]
}

func commentQuality(comments []Comment) Component {
	const key = "comment_quality"
	if len(comments) < minComments {
		return unknown(key, pointsComments, fmt.Sprintf("fewer than %d comments collected (have %d)", minComments, len(comments)))
	}
	generic, dup := 0, 0
	seen := map[string]int{}
	for _, c := range comments {
		if GenericComment(c.Text) {
			generic++
			continue
		}
		n := NormalizeComment(c.Text)
		seen[n]++
		if seen[n] > 1 {
			dup++
		}
	}
	share := float64(generic+dup) / float64(len(comments))
	c := Component{Key: key, Points: pointsComments, Status: StatusOK, Value: round2(share * 100)}
	if share > genericShareFlag {
		c.Status, c.Severity = StatusFlag, severity((share-genericShareFlag)/(1-genericShareFlag))
		c.Reason = fmt.Sprintf("%.0f%% of %d comments are emoji-only, generic or repeated (%d generic, %d repeats; flag over %.0f%%)",
			share*100, len(comments), generic, dup, genericShareFlag*100)
	} else {
		c.Reason = fmt.Sprintf("%.0f%% of %d comments are emoji-only, generic or repeated", share*100, len(comments))
	}
	return c
}

// pod flags the same commenters on every post: mean pairwise Jaccard
// overlap of the commenter sets of posts over 0.5.
func pod(comments []Comment) Component {
	const key = "pod_signature"
	sets := map[string]map[string]bool{}
	for _, c := range comments {
		if c.Author == "" || c.PostID == "" {
			continue
		}
		if sets[c.PostID] == nil {
			sets[c.PostID] = map[string]bool{}
		}
		sets[c.PostID][c.Author] = true
	}
	var ids []string
	for id, s := range sets {
		if len(s) >= 3 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	if len(ids) < 3 {
		return unknown(key, pointsPod, "fewer than 3 posts with 3 or more known commenters")
	}
	var sum float64
	pairs := 0
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			a, b := sets[ids[i]], sets[ids[j]]
			inter := 0
			for k := range a {
				if b[k] {
					inter++
				}
			}
			sum += float64(inter) / float64(len(a)+len(b)-inter)
			pairs++
		}
	}
	j := sum / float64(pairs)
	c := Component{Key: key, Points: pointsPod, Status: StatusOK, Value: round2(j)}
	if j > podJaccardFlag {
		c.Status, c.Severity = StatusFlag, severity((j-podJaccardFlag)/(1-podJaccardFlag))
		c.Reason = fmt.Sprintf("the same people comment on every post (mean commenter overlap %.2f over %d posts, flag over %.2f): an engagement pod", j, len(ids), podJaccardFlag)
	} else {
		c.Reason = fmt.Sprintf("commenters vary between posts (mean overlap %.2f over %d posts)", j, len(ids))
	}
	return c
}

// audienceFit estimates the audience's language from its comments (the
// only audience data public APIs give) against the target languages.
func audienceFit(comments []Comment, targets []string) Component {
	const key = "audience_language_fit"
	if len(targets) == 0 {
		return unknown(key, pointsAudienceFit, "no target language set for the workspace")
	}
	detected, in := 0, 0
	for _, c := range comments {
		l := sentiment.DetectLanguage(c.Text, "")
		if l == "" || l == "other" {
			continue
		}
		detected++
		if slices.Contains(targets, l) {
			in++
		}
	}
	if detected < minComments/2 {
		return unknown(key, pointsAudienceFit, fmt.Sprintf("fewer than %d comments in a recognised language (have %d)", minComments/2, detected))
	}
	share := float64(in) / float64(detected)
	c := Component{Key: key, Points: pointsAudienceFit, Status: StatusOK, Value: round2(share * 100)}
	langs := strings.Join(targets, ", ")
	if share < audienceFitFlag {
		c.Status, c.Severity = StatusFlag, severity((audienceFitFlag-share)/audienceFitFlag)
		c.Reason = fmt.Sprintf("only %.0f%% of %d comments are in the target languages (%s)", share*100, detected, langs)
	} else {
		c.Reason = fmt.Sprintf("%.0f%% of %d comments are in the target languages (%s)", share*100, detected, langs)
	}
	return c
}

func brandSafety(bio string, posts []Post, terms []string) Component {
	const key = "brand_safety"
	if len(terms) == 0 {
		return unknown(key, pointsBrandSafety, "no brand-safety terms set for the workspace")
	}
	texts := []string{bio}
	for _, p := range posts {
		texts = append(texts, p.Text)
	}
	if strings.TrimSpace(strings.Join(texts, "")) == "" {
		return unknown(key, pointsBrandSafety, "no bio or post text collected")
	}
	hits := map[string]int{}
	for _, t := range texts {
		n := " " + NormalizeComment(t) + " "
		for _, term := range terms {
			tn := NormalizeComment(term)
			if tn != "" && strings.Contains(n, " "+tn+" ") {
				hits[tn]++
			}
		}
	}
	c := Component{Key: key, Points: pointsBrandSafety, Status: StatusOK, Value: float64(len(hits))}
	if len(hits) == 0 {
		c.Reason = fmt.Sprintf("none of %d brand-safety terms found in the bio and %d posts", len(terms), len(posts))
		return c
	}
	var found []string
	total := 0
	for t, n := range hits {
		found = append(found, fmt.Sprintf("%q ×%d", t, n))
		total += n
	}
	slices.Sort(found)
	c.Status, c.Severity = StatusFlag, severity(float64(total-1)/5)
	c.Reason = "brand-safety terms found: " + strings.Join(found, ", ")
	return c
}
