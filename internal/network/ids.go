package network

import (
	"context"
	"fmt"
)

// NewerID orders numeric string ids that grow with time (Mastodon's and
// X's snowflakes): a longer id is newer, equal lengths compare as text.
func NewerID(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

// UploadEach uploads a part's attachments in order with upload and returns
// their remote ids; the error names which attachment failed.
func UploadEach(ctx context.Context, media []Media, upload func(context.Context, Media) (string, error)) ([]string, error) {
	var ids []string
	for i, m := range media {
		id, err := upload(ctx, m)
		if err != nil {
			return nil, fmt.Errorf("media %d of %d: %w", i+1, len(media), err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}
