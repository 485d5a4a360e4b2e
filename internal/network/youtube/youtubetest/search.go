package youtubetest

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// search serves search.list for videos (type=video) the way YouTube reads q:
// terms separated by spaces must all appear, "|" separates alternatives
// (NOT: -term), a "quoted phrase" is one term; matched in the title and
// the description, case-insensitively. order=date sorts newest first;
// publishedAfter, maxResults (0–50) and pageToken page as YouTube does. It
// searches the other channels' videos (the account's own uploads are not
// public in the fake).
func (s *Server) search(w http.ResponseWriter, q url.Values) {
	if !strings.Contains(q.Get("part"), "snippet") {
		googleError(w, 400, "invalidPart", "youtube.part", "The part parameter must be snippet")
		return
	}
	if t := q.Get("type"); t != "" && t != "video" {
		googleError(w, 400, "invalidSearchFilter", "youtube.parameter", "Only type=video is served by the fake")
		return
	}
	max := 5
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 50 {
			googleError(w, 400, "invalidValue", "youtube.parameter", "Invalid value for maxResults: between 0 and 50")
			return
		}
		max = n
	}
	var after time.Time
	if v := q.Get("publishedAfter"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			googleError(w, 400, "invalidPublishedAfterTime", "youtube.parameter", "Invalid value for publishedAfter")
			return
		}
		after = t
	}
	alts := searchAlternatives(q.Get("q"))
	type hit struct {
		c *OtherChannel
		v OtherVideo
	}
	s.mu.Lock()
	var hits []hit
	for _, c := range s.others {
		for _, v := range c.Videos {
			if !v.PublishedAt.After(after) {
				continue
			}
			if matchAlternatives(alts, strings.ToLower(v.Title+"\n"+v.Description)) {
				hits = append(hits, hit{c, v})
			}
		}
	}
	s.mu.Unlock()
	if q.Get("order") == "date" {
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].v.PublishedAt.After(hits[j].v.PublishedAt) })
	}
	offset := 0
	if tok := q.Get("pageToken"); tok != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(tok, "S"))
		if err != nil {
			googleError(w, 400, "invalidPageToken", "youtube.parameter", "The request specifies an invalid page token.")
			return
		}
		offset = n
	}
	page := hits[min(offset, len(hits)):min(offset+max, len(hits))]
	items := []any{}
	for _, h := range page {
		items = append(items, map[string]any{"kind": "youtube#searchResult",
			"id": map[string]string{"kind": "youtube#video", "videoId": h.v.ID},
			"snippet": map[string]any{"publishedAt": h.v.PublishedAt.UTC().Format(time.RFC3339), "channelId": h.c.ID,
				"title": h.v.Title, "description": h.v.Description, "channelTitle": h.c.Title, "liveBroadcastContent": "none"}})
	}
	resp := map[string]any{"kind": "youtube#searchListResponse", "pageInfo": map[string]int{"totalResults": len(hits), "resultsPerPage": max}, "items": items}
	if offset+max < len(hits) {
		resp["nextPageToken"] = "S" + strconv.Itoa(offset+max)
	}
	writeJSON(w, 200, resp)
}

// searchAlternatives splits q on "|" into alternatives, each a list of
// terms (a leading '-' negates one).
func searchAlternatives(q string) [][]string {
	var out [][]string
	for _, alt := range strings.Split(strings.ToLower(q), "|") {
		var terms []string
		for alt = strings.TrimSpace(alt); alt != ""; alt = strings.TrimSpace(alt) {
			neg := strings.HasPrefix(alt, "-")
			body := strings.TrimPrefix(alt, "-")
			var term string
			if strings.HasPrefix(body, `"`) {
				end := strings.Index(body[1:], `"`)
				if end < 0 {
					term, alt = body[1:], ""
				} else {
					term, alt = body[1:end+1], body[end+2:]
				}
			} else {
				f := strings.Fields(body)
				term, alt = f[0], strings.TrimPrefix(body, f[0])
			}
			if neg {
				term = "-" + term
			}
			terms = append(terms, term)
		}
		if len(terms) > 0 {
			out = append(out, terms)
		}
	}
	return out
}

func matchAlternatives(alts [][]string, text string) bool {
	if len(alts) == 0 {
		return true
	}
	for _, terms := range alts {
		ok := true
		for _, t := range terms {
			if neg := strings.HasPrefix(t, "-"); neg == strings.Contains(text, strings.TrimPrefix(t, "-")) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
