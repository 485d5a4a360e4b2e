package x

import (
	"time"

	"github.com/relais/relais/internal/network"
)

// PostOptions are the X choices a post can make beyond its text, link and
// media, read by Publish from PublishRequest.Options on the first part: a
// FieldChoice's first option is its default. The composer shows them
// (registered in init).
func PostOptions() []network.Field {
	return []network.Field{
		{Name: "quote_tweet_id", Label: "Quote post", Help: "The address or id of the post to quote"},
		{Name: "poll_options", Label: "Poll", Help: "2 to 4 choices of at most 25 characters, separated by |; a poll cannot go with media"},
		{Name: "poll_duration_minutes", Label: "Poll length", Type: network.FieldChoice, Options: []string{"1440", "60", "360", "4320", "10080"}},
		{Name: "reply_settings", Label: "Who can reply", Type: network.FieldChoice, Options: []string{"everyone", "following", "mentionedUsers", "subscribers", "verified"}},
	}
}

// TokenExpiry is when the access token expires if nothing can renew it (a
// pasted token without a refresh token, or no client id to renew with);
// zero when it is renewed by itself.
func (c *Connector) TokenExpiry() time.Time {
	_, exp, rt := c.api.current()
	if rt != "" && c.api.app.ClientID != "" {
		return time.Time{}
	}
	return exp
}
