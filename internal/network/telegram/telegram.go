// Package telegram publishes to a Telegram channel through a bot that is an
// administrator of it (Bot API): text, photos, videos, albums, captions with
// UTF-16 entities, edits and deletes, subscriber counts, and the replies in
// the channel's linked discussion group for the inbox.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/valid"
)

func init() { network.Register(Provider{}) }

// Provider connects a channel with a bot token from @BotFather.
type Provider struct{}

var _ network.Provider = Provider{}

// Kind names the network.
func (Provider) Kind() network.Kind { return network.Telegram }

// Fields lists the connect form.
// Formats are the text formats a Telegram channel can use, the default first.
var Formats = []string{"plain", "markdown"}

func (Provider) Fields() []network.Field {
	return []network.Field{
		{Name: "bot_token", Label: "Bot token", Secret: true, Required: true, Help: "From @BotFather; add the bot to the channel as an administrator who can post"},
		{Name: "chat", Label: "Channel", Required: true, Help: "@channelname, or the -100… id of a private channel"},
		{Name: "format", Label: "Text format", Type: network.FieldChoice, Options: Formats,
			Help: "Markdown turns **bold**, __italic__, `code` and [text](https://…) into formatting"},
		{Name: "api_url", Label: "Bot API server", Type: network.FieldURL, Help: "Only for a self-hosted Bot API server; leave empty for api.telegram.org"},
	}
}

var (
	tokenPattern = regexp.MustCompile(`^[0-9]{5,}:[A-Za-z0-9_-]{30,}$`)
	chatPattern  = regexp.MustCompile(`^(@[A-Za-z][A-Za-z0-9_]{3,31}|-100[0-9]{5,})$`)
)

type tgUser struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Username  string `json:"username"`
}

type tgChat struct {
	ID           int64  `json:"id"`
	Type         string `json:"type"`
	Title        string `json:"title"`
	Username     string `json:"username"`
	LinkedChatID int64  `json:"linked_chat_id"`
}

type tgMember struct {
	Status          string `json:"status"`
	CanPostMessages bool   `json:"can_post_messages"`
}

// Connect checks the token (getMe), the channel (getChat) and that the bot
// is an administrator allowed to post (getChatMember).
func (Provider) Connect(ctx context.Context, env network.Env, input map[string]string) (network.Account, network.Stored, error) {
	tok := strings.TrimSpace(input["bot_token"])
	if !tokenPattern.MatchString(tok) {
		return network.Account{}, network.Stored{}, errors.New("telegram: bot_token must look like 123456789:AA… (from @BotFather)")
	}
	chat := strings.TrimSpace(input["chat"])
	if strings.HasPrefix(chat, "https://t.me/") {
		chat = "@" + strings.TrimPrefix(chat, "https://t.me/")
	}
	if !chatPattern.MatchString(chat) {
		return network.Account{}, network.Stored{}, errors.New("telegram: chat must be @channelname or a -100… channel id")
	}
	format := strings.ToLower(strings.TrimSpace(input["format"]))
	if format != "" && !slices.Contains(Formats, format) {
		return network.Account{}, network.Stored{}, valid.Errorf("format", "choice", "Text format must be plain or markdown, not %q", format)
	}
	base, err := apiURL(input["api_url"])
	if err != nil {
		return network.Account{}, network.Stored{}, err
	}
	a := api{env: env, base: base, token: tok}
	var me tgUser
	if err := a.call(ctx, "getMe", map[string]any{}, nil, &me); err != nil {
		return network.Account{}, network.Stored{}, fmt.Errorf("telegram: check bot token: %w", err)
	}
	var ch tgChat
	if err := a.call(ctx, "getChat", map[string]any{"chat_id": chat}, nil, &ch); err != nil {
		return network.Account{}, network.Stored{}, fmt.Errorf("telegram: find channel %s: %w", chat, err)
	}
	if ch.Type != "channel" {
		return network.Account{}, network.Stored{}, fmt.Errorf("telegram: %s is a %s, not a channel", chat, ch.Type)
	}
	c := &Connector{api: a, chatID: ch.ID, username: ch.Username, title: ch.Title, botID: me.ID, botName: me.Username}
	if err := c.Check(ctx); err != nil {
		return network.Account{}, network.Stored{}, err
	}
	settings := map[string]string{
		"chat": strconv.FormatInt(ch.ID, 10), "username": ch.Username, "title": ch.Title,
		"bot_id": strconv.FormatInt(me.ID, 10), "bot_username": me.Username, "format": format,
	}
	if ch.LinkedChatID != 0 {
		settings["discussion_id"] = strconv.FormatInt(ch.LinkedChatID, 10)
	}
	if base != DefaultAPIURL {
		settings["api_url"] = base
	}
	return c.account(), network.Stored{Settings: settings, Secrets: map[string]string{"bot_token": tok}}, nil
}

// Open builds a connector from what Connect stored.
func (Provider) Open(env network.Env, s network.Stored) (network.Connector, error) {
	// One client for the connector's life, so connections are reused.
	env.HTTP = env.Client()
	tok := s.Secrets["bot_token"]
	if tok == "" {
		return nil, errors.New("telegram: stored channel has no bot_token")
	}
	chatID, err := strconv.ParseInt(s.Settings["chat"], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("telegram: stored chat id %q: %w", s.Settings["chat"], err)
	}
	base, err := apiURL(s.Settings["api_url"])
	if err != nil {
		return nil, err
	}
	botID, _ := strconv.ParseInt(s.Settings["bot_id"], 10, 64)
	group, _ := strconv.ParseInt(s.Settings["discussion_id"], 10, 64)
	return &Connector{
		api: api{env: env, base: base, token: tok}, chatID: chatID, username: s.Settings["username"],
		title: s.Settings["title"], botID: botID, botName: s.Settings["bot_username"], groupID: group,
		markdown: s.Settings["format"] == "markdown", copies: map[int]int{},
	}, nil
}

func apiURL(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if s == "" {
		return DefaultAPIURL, nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("telegram: api_url %q is not a server address", s)
	}
	return s, nil
}
