package meta

import (
	"context"

	"github.com/relais/relais/internal/network"
)

var _ network.ProfileReader = (*Instagram)(nil)

// PublicProfile reads another professional account through business
// discovery: its counts and its 12 latest media with like and comment
// counts. Discovery gives no comment texts, shares or views: those stay
// unknown (-1, no replies).
func (g *Instagram) PublicProfile(ctx context.Context, handle string, posts int) (network.PublicProfile, error) {
	p, err := g.BusinessDiscovery(ctx, handle)
	if err != nil {
		return network.PublicProfile{}, err
	}
	out := network.PublicProfile{ID: p.ID, Handle: p.Username, Name: p.Name, Bio: p.Biography, AvatarURL: p.PictureURL,
		URL: "https://www.instagram.com/" + p.Username + "/", Followers: p.FollowersCount, Following: p.FollowsCount, Posts: p.MediaCount}
	for i, m := range p.Media {
		if i >= posts {
			break
		}
		out.Recent = append(out.Recent, network.PublicPost{ID: m.ID, URL: m.Permalink, Text: m.Caption, At: m.Timestamp.UTC(),
			Likes: m.LikeCount, Comments: m.CommentsCount, Shares: -1, Views: -1})
	}
	return out, nil
}
