package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/relais/relais/internal/network"
)

type instanceConfig struct {
	Statuses struct {
		MaxCharacters            int `json:"max_characters"`
		MaxMediaAttachments      int `json:"max_media_attachments"`
		CharactersReservedPerURL int `json:"characters_reserved_per_url"`
	} `json:"statuses"`
	MediaAttachments struct {
		ImageSizeLimit int64 `json:"image_size_limit"`
		VideoSizeLimit int64 `json:"video_size_limit"`
	} `json:"media_attachments"`
}

// fetchLimits reads the instance's limits from /api/v2/instance, falling back
// to /api/v1/instance (Mastodon before 4.0, Pleroma/Akkoma max_toot_chars)
// and then to the shipped defaults for anything the server does not say.
func fetchLimits(ctx context.Context, a api) (network.Limits, string, error) {
	l := network.DefaultLimits[network.Mastodon]
	var v2 struct {
		Domain        string         `json:"domain"`
		SourceURL     string         `json:"source_url"`
		Configuration instanceConfig `json:"configuration"`
	}
	_, _, err := a.call(ctx, http.MethodGet, "/api/v2/instance", nil, nil, nil, &v2)
	if err == nil {
		apply(&l, v2.Configuration, 0)
		if strings.Contains(strings.ToLower(v2.SourceURL), "gotosocial") {
			// GoToSocial advertises 25 characters per URL but its validator
			// counts the status and content warning as code points, as written.
			l.TextUnit, l.URLLength, l.MentionDomainFree = network.Runes, 0, false
		}
		return l, domainOr(v2.Domain, a.instance), nil
	}
	var ne *network.Error
	if !errors.As(err, &ne) || (ne.Status != http.StatusNotFound && ne.Status != http.StatusGone) {
		return l, "", err
	}
	var v1 struct {
		URI           string         `json:"uri"`
		MaxTootChars  int            `json:"max_toot_chars"`
		Configuration instanceConfig `json:"configuration"`
	}
	if _, _, err := a.call(ctx, http.MethodGet, "/api/v1/instance", nil, nil, nil, &v1); err != nil {
		return l, "", err
	}
	apply(&l, v1.Configuration, v1.MaxTootChars)
	return l, domainOr(v1.URI, a.instance), nil
}

func apply(l *network.Limits, c instanceConfig, maxTootChars int) {
	if n := c.Statuses.MaxCharacters; n > 0 {
		l.MaxText = n
	} else if maxTootChars > 0 {
		l.MaxText = maxTootChars
	}
	if n := c.Statuses.MaxMediaAttachments; n > 0 {
		l.MaxMedia = n
	}
	if n := c.Statuses.CharactersReservedPerURL; n > 0 {
		l.URLLength = n
	}
	if n := c.MediaAttachments.ImageSizeLimit; n > 0 {
		l.MaxImageBytes = n
	}
	if n := c.MediaAttachments.VideoSizeLimit; n > 0 {
		l.MaxVideoBytes = n
	}
}

// domainOr returns the instance's account domain ("uri" in v1 may be a full URL).
func domainOr(domain, instance string) string {
	if u, err := url.Parse(domain); err == nil && u.Host != "" {
		return u.Host
	}
	if domain != "" {
		return domain
	}
	u, _ := url.Parse(instance)
	return u.Host
}
