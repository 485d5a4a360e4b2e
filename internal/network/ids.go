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

// CheckParts refuses a publish request without parts, or with more parts
// recorded as done than the post has, as network k's typed error.
func CheckParts(k Kind, req PublishRequest) error {
	if len(req.Parts) == 0 {
		return &Error{Class: InvalidContent, Network: k, Message: "a post needs at least one part"}
	}
	if len(req.Done) > len(req.Parts) {
		return &Error{Class: Permanent, Network: k, Message: fmt.Sprintf("%d parts recorded as done, but the post has only %d", len(req.Done), len(req.Parts))}
	}
	return nil
}
