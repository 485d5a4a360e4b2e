package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/sentiment"
	"github.com/relais/relais/internal/store"
)

// threadPart is how a variant stores the thread parts after the first.
type threadPart struct {
	Text  string          `json:"text"`
	Link  string          `json:"link,omitempty"`
	Media json.RawMessage `json:"media,omitempty"`
}

// BuildRequest turns a claimed job into the connector request: the variant's
// text (or the post's) as the first part, the variant's thread parts after
// it, the first comment, options, the idempotency key, and the parts already
// out from an earlier attempt.
func BuildRequest(ctx context.Context, j store.PublishJob, media MediaLoader) (network.PublishRequest, error) {
	req := network.PublishRequest{IdempotencyKey: j.IdempotencyKey, CreatedAt: j.CreatedAt, FirstComment: j.Variant.FirstComment}
	first := network.Part{Text: j.Variant.Text, Link: j.Variant.Link}
	if first.Text == "" {
		first.Text = j.PostText
	}
	if first.Link == "" {
		first.Link = j.PostLink
	}
	var err error
	if first.Media, err = loadMedia(ctx, j.WorkspaceID, j.Variant.Media, media); err != nil {
		return req, err
	}
	req.Parts = []network.Part{first}
	if len(j.Variant.Parts) > 0 && string(j.Variant.Parts) != "null" {
		var parts []threadPart
		if err := json.Unmarshal(j.Variant.Parts, &parts); err != nil {
			return req, fmt.Errorf("publish: variant %d thread parts: %w", j.VariantID, err)
		}
		for _, p := range parts {
			m, err := loadMedia(ctx, j.WorkspaceID, p.Media, media)
			if err != nil {
				return req, err
			}
			req.Parts = append(req.Parts, network.Part{Text: p.Text, Link: p.Link, Media: m})
		}
	}
	if len(j.Variant.Options) > 0 && string(j.Variant.Options) != "null" {
		var raw map[string]any
		if err := json.Unmarshal(j.Variant.Options, &raw); err != nil {
			return req, fmt.Errorf("publish: variant %d options: %w", j.VariantID, err)
		}
		req.Options = make(map[string]string, len(raw))
		for k, v := range raw {
			switch x := v.(type) {
			case string:
				req.Options[k] = x
			case bool:
				req.Options[k] = strconv.FormatBool(x)
			case float64:
				req.Options[k] = strconv.FormatFloat(x, 'f', -1, 64)
			case nil:
			default:
				b, _ := json.Marshal(x)
				req.Options[k] = string(b)
			}
		}
		req.Language = req.Options["language"]
	}
	req.Language = Language(req.Language, first.Text)
	if req.Done, err = decodeDone(j.DoneParts); err != nil {
		return req, fmt.Errorf("publish: publication %d parts done: %w", j.ID, err)
	}
	return req, nil
}

// Language is the language sent with a post: the composer's choice, else
// the language detected from the text (English, French or German), else
// none, so that the network does not tag the post with a wrong language.
func Language(chosen, text string) string {
	if chosen != "" && chosen != "auto" {
		return chosen
	}
	switch l := sentiment.DetectLanguage(text, ""); l {
	case sentiment.LangEnglish, sentiment.LangFrench, sentiment.LangGerman:
		return l
	}
	return ""
}

func loadMedia(ctx context.Context, workspaceID int64, raw json.RawMessage, loader MediaLoader) ([]network.Media, error) {
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "[]" {
		return nil, nil
	}
	if loader != nil {
		m, err := loader.LoadMedia(ctx, workspaceID, raw)
		if err != nil {
			return nil, fmt.Errorf("publish: load media: %w", err)
		}
		return m, nil
	}
	var m []network.Media
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("publish: media: %w", err)
	}
	return m, nil
}

func decodeDone(raw json.RawMessage) ([]network.RemotePost, error) {
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "[]" {
		return nil, nil
	}
	var done []network.RemotePost
	err := json.Unmarshal(raw, &done)
	return done, err
}

// mergeDone returns every part known to be out: connectors may return the
// earlier parts with the new ones (Bluesky does) or only the new ones.
func mergeDone(done, got []network.RemotePost) []network.RemotePost {
	if len(got) == 0 {
		return done
	}
	if len(done) > 0 && len(got) >= len(done) && got[0].ID == done[0].ID {
		return got
	}
	return append(append([]network.RemotePost{}, done...), got...)
}
