package compose

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/publish"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// EventPostDeleted is the notification sent when a published post is
// deleted on its networks.
const EventPostDeleted = store.HookPostDeleted

// Connectors opens a channel's connector (channel.Service does).
type Connectors interface {
	Connector(ctx context.Context, workspaceID, channelID int64) (network.Connector, network.Limits, error)
}

// Outcomes of deleting one publication on its network.
const (
	// RemoteDeleted: the network deleted the post (or it was already gone).
	RemoteDeleted = "deleted"
	// RemoteFailed: the network refused or could not be reached; the
	// publication stays published and the post stays in relais.
	RemoteFailed = "delete_failed"
)

// RemoteOutcome is what happened to one publication when its post was
// deleted on the networks.
type RemoteOutcome struct {
	PublicationID int64  `json:"publication_id"`
	ChannelID     int64  `json:"channel_id"`
	Network       string `json:"network"`
	// Outcome is RemoteDeleted or RemoteFailed.
	Outcome string `json:"outcome" enum:"deleted,delete_failed"`
	// Message says why it failed ("" when deleted).
	Message string `json:"message,omitempty"`
}

// DeleteReport is the outcome of deleting a post.
type DeleteReport struct {
	// Removed is true when the post was removed from relais. With remote
	// deletion it is removed only when every network deleted its copy.
	Removed bool `json:"removed" doc:"The post was removed from relais; with remote deletion only when every network deleted its copy"`
	// Remote lists the published publications and what their network did
	// (remote deletion only).
	Remote []RemoteOutcome `json:"remote" doc:"What each network did with the post's published copy (remote=true only)"`
}

// Delete removes a post from relais; a published post stays on its networks.
func (s *Service) Delete(ctx context.Context, p auth.Principal, id int64) error {
	_, err := s.DeletePost(ctx, p, id, false)
	return err
}

// DeletePost deletes a post. Without remote it is removed from relais only
// (refused while it is being published). With remote, which needs the publish
// right, the copies of its published publications are first deleted on their
// networks through each connector: every call is written to the attempt log,
// the post's history gets one entry, and the post.deleted notification is
// sent. The post is then removed from relais when every network deleted its
// copy; otherwise it stays, with the log of what failed, so that the deletion
// can be tried again.
func (s *Service) DeletePost(ctx context.Context, p auth.Principal, id int64, remote bool) (DeleteReport, error) {
	if err := need(p, auth.ActCompose); err != nil {
		return DeleteReport{}, err
	}
	rep := DeleteReport{Remote: []RemoteOutcome{}}
	if remote {
		if err := need(p, auth.ActPublish); err != nil {
			return DeleteReport{}, err
		}
		post, err := s.Store.Post(ctx, p.Workspace.ID, id)
		if err != nil {
			return DeleteReport{}, err
		}
		pubs, err := s.Store.Publications(ctx, p.Workspace.ID, post.ID)
		if err != nil {
			return DeleteReport{}, err
		}
		for _, pub := range pubs {
			switch pub.State {
			case store.PubPublishing:
				return DeleteReport{}, valid.Errorf("state", "locked", "Post %d is being published; wait until it is out, then delete it", id)
			case store.PubPublished:
				rep.Remote = append(rep.Remote, s.deleteRemote(ctx, p, pub))
			}
		}
		if len(rep.Remote) > 0 {
			s.record(ctx, p, post.ID, "deleted_remote", remoteSummary(rep.Remote))
			s.notifyDeleted(ctx, p, post.ID, rep.Remote)
		}
		for _, o := range rep.Remote {
			if o.Outcome != RemoteDeleted {
				return rep, nil
			}
		}
	}
	err := s.Store.DeletePost(ctx, p.Workspace.ID, id)
	if errors.Is(err, store.ErrStale) {
		return rep, valid.Errorf("state", "locked", "Post %d is being published; wait until it is out, then delete it", id)
	}
	if err != nil {
		return rep, err
	}
	rep.Removed = true
	return rep, nil
}

// deleteRemote deletes one publication's copy on its network, part by part
// (last part first, so a thread never points at a deleted reply), and logs it.
func (s *Service) deleteRemote(ctx context.Context, p auth.Principal, pub store.Publication) RemoteOutcome {
	out := RemoteOutcome{PublicationID: pub.ID, ChannelID: pub.ChannelID, Network: pub.Network}
	started := s.now()
	err := s.callDelete(ctx, p.Workspace.ID, pub)
	a := store.Attempt{WorkspaceID: p.Workspace.ID, StartedAt: started, LatencyMS: s.now().Sub(started).Milliseconds()}
	if err == nil {
		out.Outcome, a.Outcome, a.Message = RemoteDeleted, RemoteDeleted, "Deleted on the network."
	} else {
		out.Outcome, out.Message = RemoteFailed, deleteMessage(err)
		a.Outcome, a.Message, a.Class = RemoteFailed, out.Message, string(network.ClassOf(err))
		var ne *network.Error
		if errors.As(err, &ne) {
			a.HTTPStatus = ne.Status
		}
	}
	if rerr := s.Store.RecordRemoteDelete(ctx, p.Workspace.ID, pub.ID, err == nil, a, s.now()); rerr != nil && err == nil {
		out.Outcome, out.Message = RemoteFailed, "deleted on the network, but relais could not record it: "+rerr.Error()
	}
	return out
}

func (s *Service) callDelete(ctx context.Context, workspaceID int64, pub store.Publication) error {
	if s.Connectors == nil {
		return errors.New("this relais cannot reach the networks")
	}
	c, _, err := s.Connectors.Connector(ctx, workspaceID, pub.ChannelID)
	if err != nil {
		return err
	}
	ids := remoteIDs(pub)
	if len(ids) == 0 {
		return errors.New("relais has no remote id for this publication")
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for i := len(ids) - 1; i >= 0; i-- {
		if err := c.Delete(ctx, ids[i]); err != nil && !errors.Is(err, network.ErrNotFound) {
			return err
		}
	}
	return nil
}

// remoteIDs are the ids of a publication's parts on its network. A webhook
// delivered every part at once, so its receiver gets one post.deleted.
func remoteIDs(pub store.Publication) []string {
	var parts []network.RemotePost
	_ = json.Unmarshal(pub.DoneParts, &parts)
	var ids []string
	for _, rp := range parts {
		if rp.ID != "" {
			ids = append(ids, rp.ID)
		}
	}
	if len(ids) == 0 || network.Kind(pub.Network) == network.Webhook {
		ids = nil
		if pub.RemoteID != "" {
			ids = []string{pub.RemoteID}
		}
	}
	return ids
}

// deleteMessage is the network's own message when it gave one.
func deleteMessage(err error) string {
	var ne *network.Error
	if errors.As(err, &ne) && ne.Message != "" {
		if ne.Status != 0 {
			return fmt.Sprintf("HTTP %d: %s", ne.Status, ne.Message)
		}
		return ne.Message
	}
	return err.Error()
}

// remoteSummary is the history detail: per network, what happened.
func remoteSummary(rs []RemoteOutcome) string {
	var parts []string
	for _, r := range rs {
		name := r.Network
		if l, ok := network.LimitsFor(network.Kind(r.Network)); ok {
			name = l.Name
		}
		if r.Outcome == RemoteDeleted {
			parts = append(parts, name+": deleted")
		} else {
			parts = append(parts, name+": failed ("+r.Message+")")
		}
	}
	return strings.Join(parts, "; ")
}

// notifyDeleted sends the post.deleted notification; its failure does not
// undo what the networks did.
func (s *Service) notifyDeleted(ctx context.Context, p auth.Principal, postID int64, rs []RemoteOutcome) {
	if s.Notifier == nil {
		return
	}
	networks := make([]string, 0, len(rs))
	for _, r := range rs {
		networks = append(networks, r.Network)
	}
	_ = s.Notifier.Notify(ctx, publish.Event{Kind: EventPostDeleted, WorkspaceID: p.Workspace.ID, PostID: postID,
		Network: strings.Join(networks, ","), Message: remoteSummary(rs)})
}
