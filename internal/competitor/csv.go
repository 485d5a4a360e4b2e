package competitor

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// WriteCSV writes the report's ranking table, one row per account.
func WriteCSV(w io.Writer, r PanelReport) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"rank", "brand", "network", "handle", "followers", "growth", "growth_rate", "posts_week",
		"engagement_per_post", "top_post_url", "top_post_engagement", "formats", "hashtags", "mentions", "share_of_voice"})
	for _, row := range r.Rows {
		var formats []string
		for f, n := range row.Formats {
			formats = append(formats, fmt.Sprintf("%s=%d", f, n))
		}
		slices.Sort(formats)
		_ = cw.Write([]string{strconv.Itoa(row.Rank), csvSafe(row.Brand), row.Network, csvSafe(row.Handle), strconv.FormatInt(row.Followers, 10),
			strconv.FormatInt(row.Growth, 10), strconv.FormatFloat(row.GrowthRate, 'f', 4, 64), strconv.FormatInt(row.PostsWeek, 10),
			strconv.FormatFloat(row.EngagementPost, 'f', 2, 64), row.TopPostURL, strconv.FormatInt(row.TopPostEng, 10),
			strings.Join(formats, " "), strings.Join(row.Hashtags, " "), strconv.FormatInt(row.Mentions, 10),
			strconv.FormatFloat(row.ShareOfVoice, 'f', 4, 64)})
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
