package client

import (
	"context"
	"net/http"
)

// LabelUse is a label of the workspace with the number of posts that carry it.
type LabelUse struct {
	Key   string `json:"key"`
	Value string `json:"value"`
	Posts int    `json:"posts"`
}

// Labels lists the labels the workspace's posts carry, by key and the most
// used first (the composer's suggestions).
func (c *Client) Labels(ctx context.Context) ([]LabelUse, error) {
	var out struct {
		Labels []LabelUse `json:"labels"`
	}
	err := c.Do(ctx, http.MethodGet, "/labels", nil, &out)
	return out.Labels, err
}
