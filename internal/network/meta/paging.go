package meta

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/network"
)

// maxPages bounds how many pages one listing reads.
const maxPages = 20

// eachPage reads a Graph edge page by page (cursor "after") and hands each item to fn.
func eachPage[T any](ctx context.Context, c client, path string, q url.Values, fn func(T)) error {
	q2 := url.Values{}
	for k, v := range q {
		q2[k] = v
	}
	for i := 0; i < maxPages; i++ {
		items, next, err := onePage[T](ctx, c, path, q2)
		if err != nil {
			return err
		}
		for _, it := range items {
			fn(it)
		}
		if next == "" {
			return nil
		}
		q2.Set("after", next)
	}
	return nil
}

// insights reads metrics from an insights edge into name → value (the
// lifetime value, or the total_value of account metrics).
func insights(ctx context.Context, c client, path string, metrics []string, q url.Values) (map[string]int64, error) {
	if q == nil {
		q = url.Values{}
	}
	q.Set("metric", strings.Join(metrics, ","))
	var ans struct {
		Data []struct {
			Name   string `json:"name"`
			Values []struct {
				Value json.RawMessage `json:"value"`
			} `json:"values"`
			TotalValue *struct {
				Value json.RawMessage `json:"value"`
			} `json:"total_value"`
		} `json:"data"`
	}
	if err := c.get(ctx, path, q, &ans); err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for _, d := range ans.Data {
		var raw json.RawMessage
		switch {
		case d.TotalValue != nil:
			raw = d.TotalValue.Value
		case len(d.Values) > 0:
			raw = d.Values[len(d.Values)-1].Value
		}
		var n float64
		// Breakdown metrics answer an object; only numbers are kept.
		if json.Unmarshal(raw, &n) == nil {
			out[d.Name] = int64(n)
		}
	}
	return out, nil
}

// onePage reads one page of an edge and returns its items and the cursor
// of the next page ("" on the last).
func onePage[T any](ctx context.Context, c client, path string, q url.Values) ([]T, string, error) {
	var page struct {
		Data   []T `json:"data"`
		Paging struct {
			Cursors struct {
				After string `json:"after"`
			} `json:"cursors"`
			Next string `json:"next"`
		} `json:"paging"`
	}
	if err := c.get(ctx, path, q, &page); err != nil {
		return nil, "", err
	}
	if page.Paging.Next == "" {
		return page.Data, "", nil
	}
	return page.Data, page.Paging.Cursors.After, nil
}

// since reads an edge of posts that mention the account and keeps those
// newer than the cursor (a unix time); it returns them and the next cursor.
func since[T any](ctx context.Context, c client, path string, q url.Values, cursor string, comment func(T) network.Comment) ([]network.Comment, string, error) {
	from, _ := strconv.ParseInt(cursor, 10, 64)
	newest := from
	var out []network.Comment
	err := eachPage(ctx, c, path, q, func(it T) {
		cm := comment(it)
		if cm.CreatedAt.Unix() <= from {
			return
		}
		newest = max(newest, cm.CreatedAt.Unix())
		out = append(out, cm)
	})
	if err != nil {
		return out, cursor, fmt.Errorf("%s: mentions: %w", c.kind, err)
	}
	if newest > 0 {
		cursor = strconv.FormatInt(newest, 10)
	}
	return out, cursor, nil
}

// metricsOf reads each post's metrics with read, leaving out deleted posts.
func metricsOf(ctx context.Context, kind network.Kind, ids []string, read func(id string) (network.PostMetrics, error)) (map[string]network.PostMetrics, error) {
	out := make(map[string]network.PostMetrics, len(ids))
	for _, id := range ids {
		m, err := read(id)
		if errors.Is(err, network.ErrNotFound) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("%s: metrics of %s: %w", kind, id, err)
		}
		out[id] = m
	}
	return out, nil
}
