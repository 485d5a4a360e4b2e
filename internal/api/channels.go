package api

import (
	"context"
	"time"

	"github.com/relais/relais/internal/channel"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
)

// Channel is a connected account.
type Channel struct {
	ID           int64             `json:"id"`
	Network      string            `json:"network"`
	RemoteID     string            `json:"remote_id"`
	Handle       string            `json:"handle"`
	DisplayName  string            `json:"display_name,omitempty"`
	URL          string            `json:"url,omitempty"`
	Settings     map[string]string `json:"settings"`
	Status       string            `json:"status" enum:"ok,expiring,needs_reconnect"`
	StatusReason string            `json:"status_reason,omitempty"`
	Limits       network.Limits    `json:"limits"`
	// Feeds are a website channel's public RSS, Atom and JSON Feed addresses.
	Feeds *channel.FeedURLs `json:"feeds,omitempty"`
	// PostOptions are the choices a post can make on this channel (a
	// Pinterest channel's boards, a TikTok creator's privacy levels), sent
	// back as a variant's options.
	PostOptions []network.Field `json:"post_options,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	CheckedAt   *time.Time      `json:"checked_at,omitempty"`
}

func (h *Handler) toChannel(c store.Channel) Channel {
	s := c.Settings
	if s == nil {
		s = map[string]string{}
	}
	return Channel{ID: c.ID, Network: c.Network, RemoteID: c.RemoteID, Handle: c.Handle, DisplayName: c.DisplayName, URL: c.URL,
		Settings: s, Status: string(c.Status), StatusReason: c.StatusReason, Limits: h.d.Channels.Limits(c), Feeds: h.d.Channels.Feeds(c), CreatedAt: c.CreatedAt, CheckedAt: c.CheckedAt,
		PostOptions: network.PostOptionsForChannel(network.Kind(c.Network), c.Settings)}
}

// NetworksOutput lists connectable networks.
type NetworksOutput struct {
	Body struct {
		Networks []channel.KindInfo `json:"networks"`
	}
}

func (h *Handler) listNetworks(ctx context.Context, _ *struct{}) (*NetworksOutput, error) {
	out := &NetworksOutput{}
	out.Body.Networks = h.d.Channels.Kinds()
	if out.Body.Networks == nil {
		out.Body.Networks = []channel.KindInfo{}
	}
	return out, nil
}

// ChannelsOutput lists channels.
type ChannelsOutput struct {
	Body struct {
		Channels []Channel `json:"channels"`
	}
}

func (h *Handler) listChannels(ctx context.Context, _ *struct{}) (*ChannelsOutput, error) {
	list, err := h.d.Store.Channels(ctx, principal(ctx).Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ChannelsOutput{}
	out.Body.Channels = []Channel{}
	for _, c := range list {
		out.Body.Channels = append(out.Body.Channels, h.toChannel(c))
	}
	return out, nil
}

// ConnectChannelInput connects a channel with the network's fields (see /networks).
type ConnectChannelInput struct {
	Body struct {
		Network string            `json:"network" maxLength:"32" doc:"The network kind, e.g. bluesky, mastodon, telegram, website, webhook"`
		Input   map[string]string `json:"input" doc:"The connect fields of the network (see GET /networks)"`
	}
}

// ChannelOutput is one channel.
type ChannelOutput struct{ Body Channel }

// ConnectedChannel is a channel just connected, with the secrets shown once.
type ConnectedChannel struct {
	Channel
	Secrets map[string]string `json:"secrets,omitempty" doc:"Secrets shown once, only in this answer: a webhook channel's signing secret (whsec_…) under \"secret\""`
}

// ConnectedOutput is a channel just connected; never cached, as it may carry a secret.
type ConnectedOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         ConnectedChannel
}

func (h *Handler) connectChannel(ctx context.Context, in *ConnectChannelInput) (*ConnectedOutput, error) {
	c, err := h.d.Channels.Connect(ctx, principal(ctx), network.Kind(in.Body.Network), in.Body.Input)
	if err != nil {
		return nil, h.fail(err)
	}
	shown, err := h.d.Channels.SecretsToShow(c)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ConnectedOutput{CacheControl: "no-store", Body: ConnectedChannel{Channel: h.toChannel(c)}}
	for _, s := range shown {
		if out.Body.Secrets == nil {
			out.Body.Secrets = map[string]string{}
		}
		out.Body.Secrets[s.Field] = s.Value
	}
	return out, nil
}

func (h *Handler) getChannel(ctx context.Context, in *IDInput) (*ChannelOutput, error) {
	c, err := h.d.Store.Channel(ctx, principal(ctx).Workspace.ID, in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &ChannelOutput{Body: h.toChannel(c)}, nil
}

// CheckOutput is a checked channel (200, not 201).
type CheckOutput struct {
	Status int
	Body   Channel
}

func (h *Handler) checkChannel(ctx context.Context, in *IDInput) (*CheckOutput, error) {
	c, err := h.d.Channels.Check(ctx, principal(ctx), in.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &CheckOutput{Status: 200, Body: h.toChannel(c)}, nil
}

func (h *Handler) removeChannel(ctx context.Context, in *IDInput) (*struct{}, error) {
	if err := h.d.Channels.Remove(ctx, principal(ctx), in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// Notification is an in-app notification.
type Notification struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Message   string     `json:"message"`
	Link      string     `json:"link,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// NotificationsOutput lists notifications.
type NotificationsOutput struct {
	Body struct {
		Notifications []Notification `json:"notifications"`
	}
}

// LimitInput bounds a list.
type LimitInput struct {
	Limit int `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

func (h *Handler) listNotifications(ctx context.Context, in *LimitInput) (*NotificationsOutput, error) {
	p := principal(ctx)
	list, err := h.d.Store.Notifications(ctx, p.Workspace.ID, p.User.ID, in.Limit)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &NotificationsOutput{}
	out.Body.Notifications = []Notification{}
	for _, n := range list {
		out.Body.Notifications = append(out.Body.Notifications, Notification{ID: n.ID, Kind: n.Kind, Message: n.Message, Link: n.Link, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt})
	}
	return out, nil
}

// ReadOutput answers 204.
type ReadOutput struct {
	Status int
}

func (h *Handler) readNotification(ctx context.Context, in *IDInput) (*ReadOutput, error) {
	if err := h.d.Store.MarkNotificationRead(ctx, principal(ctx).Workspace.ID, in.ID, time.Now()); err != nil {
		return nil, h.fail(err)
	}
	return &ReadOutput{Status: 204}, nil
}
