// Package client is a Go client of the relais REST API (/api/v1). The relais
// CLI and the API tests use it; so can anyone automating relais.
//
//	c := client.New("https://relais.example.com", os.Getenv("RELAIS_TOKEN"))
//	chans, err := c.Channels(ctx)
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client calls one relais instance with one API token.
type Client struct {
	BaseURL string
	Token   string
	HTTP    *http.Client
}

// New returns a client for baseURL authenticating with token.
func New(baseURL, token string) *Client {
	return &Client{BaseURL: strings.TrimRight(baseURL, "/"), Token: token, HTTP: &http.Client{Timeout: 60 * time.Second}}
}

// Error is an API error: {"error":{"code","message","field"}} with its status.
type Error struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("relais API: %d %s (field %s): %s", e.Status, e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("relais API: %d %s: %s", e.Status, e.Code, e.Message)
}

// Do sends a request to path (under /api/v1) with an optional JSON body and
// decodes a JSON answer into out (when not nil).
func (c *Client) Do(ctx context.Context, method, path string, body, out any) error {
	resp, err := c.send(ctx, method, path, body)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("relais API: decode %s %s: %w", method, path, err)
		}
	}
	return nil
}

// send makes the request and returns a successful response, whose body the
// caller closes; an error answer comes back as *Error.
func (c *Client) send(ctx context.Context, method, path string, body any) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.BaseURL+"/api/v1"+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("relais API: %w", err)
	}
	if resp.StatusCode < 300 {
		return resp, nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	var env struct {
		Error Error `json:"error"`
	}
	if json.Unmarshal(b, &env) != nil || env.Error.Message == "" {
		env.Error.Message = strings.TrimSpace(string(b))
	}
	env.Error.Status = resp.StatusCode
	return nil, &env.Error
}

// User is a user.
type User struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Lang  string `json:"lang,omitempty"`
}

// Workspace is a workspace.
type Workspace struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	Slug             string `json:"slug"`
	Timezone         string `json:"timezone"`
	ApprovalRequired bool   `json:"approval_required"`
	// ApprovalPolicy is who needs approval before publishing: nobody, editors or everyone.
	ApprovalPolicy string `json:"approval_policy"`
	// SelfApproval says whether authors may approve their own posts.
	SelfApproval bool `json:"self_approval"`
	// MaxPublishAttempts bounds the calls made for one publication before it fails.
	MaxPublishAttempts int       `json:"max_publish_attempts"`
	CreatedAt          time.Time `json:"created_at"`
}

// Me is the caller.
type Me struct {
	User      User      `json:"user"`
	Workspace Workspace `json:"workspace"`
	Role      string    `json:"role"`
}

// Me returns the caller, its workspace and role.
func (c *Client) Me(ctx context.Context) (Me, error) {
	var out Me
	err := c.Do(ctx, http.MethodGet, "/me", nil, &out)
	return out, err
}

// WorkspaceUpdate changes settings; nil fields keep their value.
type WorkspaceUpdate struct {
	Name             *string `json:"name,omitempty"`
	Slug             *string `json:"slug,omitempty"`
	Timezone         *string `json:"timezone,omitempty"`
	ApprovalRequired *bool   `json:"approval_required,omitempty"`
	// ApprovalPolicy sets who needs approval: nobody, editors or everyone.
	ApprovalPolicy *string `json:"approval_policy,omitempty"`
	// SelfApproval sets whether authors may approve their own posts.
	SelfApproval *bool `json:"self_approval,omitempty"`
	// MaxPublishAttempts bounds the calls per publication (1–20).
	MaxPublishAttempts *int `json:"max_publish_attempts,omitempty"`
}

// UpdateWorkspace changes the token's workspace.
func (c *Client) UpdateWorkspace(ctx context.Context, u WorkspaceUpdate) (Workspace, error) {
	var out Workspace
	err := c.Do(ctx, http.MethodPatch, "/workspace", u, &out)
	return out, err
}

// Member is a workspace member.
type Member struct {
	UserID int64  `json:"user_id"`
	Email  string `json:"email"`
	Name   string `json:"name"`
	Role   string `json:"role"`
}

// Members lists the members.
func (c *Client) Members(ctx context.Context) ([]Member, error) {
	var out struct {
		Members []Member `json:"members"`
	}
	err := c.Do(ctx, http.MethodGet, "/members", nil, &out)
	return out.Members, err
}

// SetMemberRole changes a member's role.
func (c *Client) SetMemberRole(ctx context.Context, userID int64, role string) error {
	return c.Do(ctx, http.MethodPatch, fmt.Sprintf("/members/%d", userID), map[string]string{"role": role}, nil)
}

// Invitation is an invitation; URL is set only when it is created.
type Invitation struct {
	ID        int64     `json:"id"`
	Email     string    `json:"email,omitempty"`
	Role      string    `json:"role"`
	ExpiresAt time.Time `json:"expires_at"`
	URL       string    `json:"url,omitempty"`
}

// Invite creates an invitation link.
func (c *Client) Invite(ctx context.Context, email, role string) (Invitation, error) {
	var out Invitation
	err := c.Do(ctx, http.MethodPost, "/invitations", map[string]string{"email": email, "role": role}, &out)
	return out, err
}

// Token is an API token; Token is set only when it is created.
type Token struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Prefix string `json:"prefix"`
	Token  string `json:"token,omitempty"`
}

// CreateToken creates an API token in the token's workspace.
func (c *Client) CreateToken(ctx context.Context, name string) (Token, error) {
	var out Token
	err := c.Do(ctx, http.MethodPost, "/tokens", map[string]string{"name": name}, &out)
	return out, err
}

// Channel is a connected channel.
type Channel struct {
	ID           int64             `json:"id"`
	Network      string            `json:"network"`
	RemoteID     string            `json:"remote_id"`
	Handle       string            `json:"handle"`
	DisplayName  string            `json:"display_name,omitempty"`
	URL          string            `json:"url,omitempty"`
	Settings     map[string]string `json:"settings"`
	Status       string            `json:"status"`
	StatusReason string            `json:"status_reason,omitempty"`
	Limits       json.RawMessage   `json:"limits"`
	// Feeds are a website channel's public feed addresses (nil for other networks).
	Feeds *ChannelFeeds `json:"feeds,omitempty"`
	// Secrets are shown once, by ConnectChannel only: a webhook channel's
	// signing secret under "secret".
	Secrets map[string]string `json:"secrets,omitempty"`
}

// ChannelFeeds are the RSS, Atom and JSON Feed addresses of a website channel.
type ChannelFeeds struct {
	RSS  string `json:"rss"`
	Atom string `json:"atom"`
	JSON string `json:"json"`
}

// Channels lists the connected channels.
func (c *Client) Channels(ctx context.Context) ([]Channel, error) {
	var out struct {
		Channels []Channel `json:"channels"`
	}
	err := c.Do(ctx, http.MethodGet, "/channels", nil, &out)
	return out.Channels, err
}

// ConnectChannel connects a channel of a network with its connect fields.
func (c *Client) ConnectChannel(ctx context.Context, network string, input map[string]string) (Channel, error) {
	var out Channel
	err := c.Do(ctx, http.MethodPost, "/channels", map[string]any{"network": network, "input": input}, &out)
	return out, err
}

// CheckChannel checks a channel's credentials.
func (c *Client) CheckChannel(ctx context.Context, id int64) (Channel, error) {
	var out Channel
	err := c.Do(ctx, http.MethodPost, fmt.Sprintf("/channels/%d/check", id), nil, &out)
	return out, err
}

// RemoveChannel removes a channel.
func (c *Client) RemoveChannel(ctx context.Context, id int64) error {
	return c.Do(ctx, http.MethodDelete, fmt.Sprintf("/channels/%d", id), nil, nil)
}

// Notification is an in-app notification.
type Notification struct {
	ID        int64     `json:"id"`
	Kind      string    `json:"kind"`
	Message   string    `json:"message"`
	Link      string    `json:"link,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Notifications lists recent notifications.
func (c *Client) Notifications(ctx context.Context, limit int) ([]Notification, error) {
	var out struct {
		Notifications []Notification `json:"notifications"`
	}
	err := c.Do(ctx, http.MethodGet, "/notifications?limit="+url.QueryEscape(fmt.Sprint(limit)), nil, &out)
	return out.Notifications, err
}
