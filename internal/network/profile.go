package network

import (
	"context"
	"time"
)

// PublicProfile is another account's public profile and recent posts, read
// to vet an influencer. A count the network does not give is -1.
type PublicProfile struct {
	ID        string
	Handle    string
	Name      string
	Bio       string
	AvatarURL string
	URL       string
	Followers int64
	Following int64
	Posts     int64
	Recent    []PublicPost
}

// PublicPost is one recent post of a public profile with its counts (-1:
// unknown) and, where the network gives them, some of its replies.
type PublicPost struct {
	ID       string
	URL      string
	Text     string
	At       time.Time
	Likes    int64
	Comments int64
	Shares   int64
	Views    int64
	Replies  []Comment
}

// ProfileReader is implemented by connectors that can read another
// account's public profile and recent posts (Mastodon account lookup,
// Instagram business discovery, Bluesky profiles and author feeds). posts
// bounds the recent posts read.
type ProfileReader interface {
	PublicProfile(ctx context.Context, handle string, posts int) (PublicProfile, error)
}
