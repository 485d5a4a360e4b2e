package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/relais/relais/internal/network"
)

// Connector posts to one channel as its bot.
type Connector struct {
	api      api
	chatID   int64
	username string
	title    string
	botID    int64
	botName  string
	// groupID is the linked discussion group, 0 without one.
	groupID  int64
	markdown bool

	// mu guards botID, botName (learnt by Check when not stored) and copies.
	mu sync.Mutex
	// copies maps channel posts to their automatic forwards in the
	// discussion group, learnt from updates, so replies can find their root.
	copies map[int]int
}

var (
	_ network.Connector     = (*Connector)(nil)
	_ network.Editor        = (*Connector)(nil)
	_ network.MetricsReader = (*Connector)(nil)
	_ network.Replier       = (*Connector)(nil)
	_ network.MentionReader = (*Connector)(nil)
	_ network.HealthChecker = (*Connector)(nil)
)

type tgMessage struct {
	MessageID          int        `json:"message_id"`
	Date               int64      `json:"date"`
	Chat               tgChat     `json:"chat"`
	From               *tgUser    `json:"from"`
	Text               string     `json:"text"`
	Caption            string     `json:"caption"`
	MessageThreadID    int        `json:"message_thread_id"`
	IsAutomaticForward bool       `json:"is_automatic_forward"`
	ForwardFromMsgID   int        `json:"forward_from_message_id"`
	ReplyToMessage     *tgMessage `json:"reply_to_message"`
	ForwardOrigin      *struct {
		Type      string `json:"type"`
		MessageID int    `json:"message_id"`
	} `json:"forward_origin"`
}

// channelPost is the channel message an automatic forward copies (0 if m is not one).
func (m *tgMessage) channelPost() int {
	if m == nil || !m.IsAutomaticForward {
		return 0
	}
	if m.ForwardOrigin != nil && m.ForwardOrigin.MessageID != 0 {
		return m.ForwardOrigin.MessageID
	}
	return m.ForwardFromMsgID
}

// Kind names the network.
func (c *Connector) Kind() network.Kind { return network.Telegram }

func (c *Connector) account() network.Account {
	a := network.Account{RemoteID: strconv.FormatInt(c.chatID, 10), DisplayName: c.title, Handle: c.title}
	if c.username != "" {
		a.Handle, a.URL = "@"+c.username, "https://t.me/"+c.username
	}
	return a
}

// Identify reads the channel (getChat), which also checks the bot token.
func (c *Connector) Identify(ctx context.Context) (network.Account, error) {
	var ch tgChat
	if err := c.api.call(ctx, "getChat", map[string]any{"chat_id": c.chatID}, nil, &ch); err != nil {
		return network.Account{}, fmt.Errorf("telegram: identify: %w", err)
	}
	// A fresh value, not the stored one: the channel may have been renamed.
	fresh := Connector{chatID: ch.ID, username: ch.Username, title: ch.Title}
	return fresh.account(), nil
}

// Check verifies the bot is still an administrator of the channel allowed to post.
func (c *Connector) Check(ctx context.Context) error {
	c.mu.Lock()
	botID, botName := c.botID, c.botName
	c.mu.Unlock()
	if botID == 0 {
		var me tgUser
		if err := c.api.call(ctx, "getMe", map[string]any{}, nil, &me); err != nil {
			return fmt.Errorf("telegram: check bot token: %w", err)
		}
		botID, botName = me.ID, me.Username
		c.mu.Lock()
		c.botID, c.botName = botID, botName
		c.mu.Unlock()
	}
	var m tgMember
	if err := c.api.call(ctx, "getChatMember", map[string]any{"chat_id": c.chatID, "user_id": botID}, nil, &m); err != nil {
		return fmt.Errorf("telegram: check bot rights: %w", err)
	}
	if m.Status == "creator" || (m.Status == "administrator" && m.CanPostMessages) {
		return nil
	}
	return &network.Error{Class: network.AuthReconnect, Network: network.Telegram,
		Message: fmt.Sprintf("the bot @%s must be an administrator of %s with the right to post messages (it is %s)", botName, c.account().Handle, m.Status)}
}

// Publish sends each part as one message, a photo or video with caption, or
// an album (2–10 items); a text too long for a caption (1,024 UTF-16 units)
// follows the media as its own message. Parts after the first reply to the
// previous one. RemotePost.ID lists a part's message ids separated by commas.
// The Bot API has no idempotency key: a retry after an Unknown failure may
// post twice.
func (c *Connector) Publish(ctx context.Context, req network.PublishRequest) (network.PublishResult, error) {
	res := network.PublishResult{Parts: append([]network.RemotePost(nil), req.Done...)}
	switch {
	case len(req.Parts) == 0:
		return res, &network.Error{Class: network.InvalidContent, Network: network.Telegram, Message: "a post needs at least one part"}
	case len(req.Done) > len(req.Parts):
		return res, &network.Error{Class: network.Permanent, Network: network.Telegram, Message: fmt.Sprintf("%d parts recorded as done, but the post has only %d", len(req.Done), len(req.Parts))}
	case strings.TrimSpace(req.FirstComment) != "":
		return res, &network.Error{Class: network.InvalidContent, Network: network.Telegram, Message: "Telegram channels have no first comment"}
	}
	o := sendOptions{markdown: c.markdown}
	if f := req.Options["format"]; f != "" {
		o.markdown = f == "markdown"
	}
	o.silent, _ = strconv.ParseBool(req.Options["silent"])
	if n := len(req.Done); n > 0 {
		ids, err := parseIDs(req.Done[n-1].ID)
		if err != nil {
			return res, err
		}
		o.replyTo = ids[0]
	}
	for i := len(req.Done); i < len(req.Parts); i++ {
		ids, err := c.sendPart(ctx, req.Parts[i], o)
		if err != nil {
			return res, fmt.Errorf("telegram: publish part %d of %d: %w", i+1, len(req.Parts), err)
		}
		res.Parts = append(res.Parts, network.RemotePost{ID: joinIDs(ids), URL: c.postURL(ids[0])})
		o.replyTo = ids[0]
	}
	return res, nil
}

type sendOptions struct {
	markdown, silent bool
	replyTo          int
}

func (c *Connector) text(s string, markdown bool) (string, []Entity) {
	if markdown {
		return ParseMarkdown(s)
	}
	return s, nil
}

func (o sendOptions) base(chat int64) map[string]any {
	p := map[string]any{"chat_id": chat}
	if o.silent {
		p["disable_notification"] = true
	}
	if o.replyTo != 0 {
		p["reply_parameters"] = map[string]any{"message_id": o.replyTo, "allow_sending_without_reply": true}
	}
	return p
}

// sendPart sends one part and returns the ids of the messages it became.
func (c *Connector) sendPart(ctx context.Context, p network.Part, o sendOptions) ([]int, error) {
	body := network.TextAsSent(network.Telegram, p)
	text, ents := c.text(body, o.markdown)
	switch n := len(p.Media); {
	case n > 10:
		return nil, &network.Error{Class: network.InvalidContent, Network: network.Telegram, Message: fmt.Sprintf("Telegram allows 10 attachments per message; this part has %d", n)}
	case n == 0:
		if strings.TrimSpace(text) == "" {
			return nil, &network.Error{Class: network.InvalidContent, Network: network.Telegram, Message: "the text is empty"}
		}
		id, err := c.sendText(ctx, text, ents, o)
		return []int{id}, err
	}
	caption, capEnts := text, ents
	separate := UTF16Len(text) > 1024
	if separate {
		caption, capEnts = "", nil
	}
	var ids []int
	var err error
	if len(p.Media) == 1 {
		var id int
		id, err = c.sendMedia(ctx, p.Media[0], caption, capEnts, o)
		ids = []int{id}
	} else {
		ids, err = c.sendAlbum(ctx, p.Media, caption, capEnts, o)
	}
	if err != nil {
		return nil, err
	}
	if separate {
		id, err := c.sendText(ctx, text, ents, o)
		if err != nil {
			// The media are out; report them so the error is not mistaken for "nothing posted".
			return nil, fmt.Errorf("text after media (messages %s already sent): %w", joinIDs(ids), err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func (c *Connector) sendText(ctx context.Context, text string, ents []Entity, o sendOptions) (int, error) {
	params := o.base(c.chatID)
	params["text"] = text
	if len(ents) > 0 {
		params["entities"] = ents
	}
	var m tgMessage
	if err := c.api.call(ctx, "sendMessage", params, nil, &m); err != nil {
		return 0, err
	}
	return m.MessageID, nil
}

// mediaKind is the Bot API's media type for a MIME type.
func mediaKind(mime string) string {
	switch {
	case strings.HasPrefix(mime, "image/") && mime != "image/gif":
		return "photo"
	case strings.HasPrefix(mime, "video/"):
		return "video"
	}
	return "document"
}

func fileName(m network.Media, i int) string {
	ext := map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif", "video/mp4": ".mp4", "video/quicktime": ".mov"}[m.MIME]
	return "file" + strconv.Itoa(i) + ext
}

func (c *Connector) sendMedia(ctx context.Context, m network.Media, caption string, ents []Entity, o sendOptions) (int, error) {
	kind := mediaKind(m.MIME)
	params := o.base(c.chatID)
	if caption != "" {
		params["caption"] = caption
	}
	if len(ents) > 0 {
		params["caption_entities"] = ents
	}
	var files []upload
	if len(m.Data) > 0 {
		files = []upload{{field: kind, name: fileName(m, 0), mime: m.MIME, data: m.Data}}
	} else if m.URL != "" {
		params[kind] = m.URL
	} else {
		return 0, &network.Error{Class: network.Permanent, Network: network.Telegram, Message: "the attachment has neither data nor a URL"}
	}
	method := map[string]string{"photo": "sendPhoto", "video": "sendVideo", "document": "sendDocument"}[kind]
	var msg tgMessage
	if err := c.api.call(ctx, method, params, files, &msg); err != nil {
		return 0, err
	}
	return msg.MessageID, nil
}

func (c *Connector) sendAlbum(ctx context.Context, media []network.Media, caption string, ents []Entity, o sendOptions) ([]int, error) {
	params := o.base(c.chatID)
	var items []map[string]any
	var files []upload
	for i, m := range media {
		kind := mediaKind(m.MIME)
		item := map[string]any{"type": kind}
		switch {
		case len(m.Data) > 0:
			name := "file" + strconv.Itoa(i)
			files = append(files, upload{field: name, name: fileName(m, i), mime: m.MIME, data: m.Data})
			item["media"] = "attach://" + name
		case m.URL != "":
			item["media"] = m.URL
		default:
			return nil, &network.Error{Class: network.Permanent, Network: network.Telegram, Message: fmt.Sprintf("attachment %d has neither data nor a URL", i+1)}
		}
		// The album's caption is the first item's caption.
		if i == 0 && caption != "" {
			item["caption"] = caption
			if len(ents) > 0 {
				item["caption_entities"] = ents
			}
		}
		items = append(items, item)
	}
	params["media"] = items
	var msgs []tgMessage
	if err := c.api.call(ctx, "sendMediaGroup", params, files, &msgs); err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return nil, &network.Error{Class: network.Unknown, Network: network.Telegram, Message: "sendMediaGroup returned no messages"}
	}
	ids := make([]int, len(msgs))
	for i, m := range msgs {
		ids[i] = m.MessageID
	}
	return ids, nil
}

func (c *Connector) postURL(id int) string {
	if c.username != "" {
		return fmt.Sprintf("https://t.me/%s/%d", c.username, id)
	}
	return fmt.Sprintf("https://t.me/c/%s/%d", strings.TrimPrefix(strconv.FormatInt(c.chatID, 10), "-100"), id)
}

func joinIDs(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.Itoa(id)
	}
	return strings.Join(s, ",")
}

func parseIDs(remoteID string) ([]int, error) {
	var ids []int
	for _, p := range strings.Split(remoteID, ",") {
		id, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || id <= 0 {
			return nil, &network.Error{Class: network.Permanent, Network: network.Telegram, Message: fmt.Sprintf("%q is not a list of message ids", remoteID)}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func isDesc(err error, fragment string) bool {
	var ne *network.Error
	return errors.As(err, &ne) && strings.Contains(strings.ToLower(ne.Message), fragment)
}

// Edit changes a post's text: the text message when the part has one, else
// the caption of its first media. Only text and captions change; the media
// stay as they are. An unchanged text is not an error.
func (c *Connector) Edit(ctx context.Context, remoteID string, part network.Part) error {
	ids, err := parseIDs(remoteID)
	if err != nil {
		return err
	}
	body := network.TextAsSent(network.Telegram, part)
	text, ents := c.text(body, c.markdown)
	params := map[string]any{"chat_id": c.chatID, "message_id": ids[len(ids)-1], "text": text}
	if len(ents) > 0 {
		params["entities"] = ents
	}
	err = c.api.call(ctx, "editMessageText", params, nil, nil)
	if isDesc(err, "there is no text in the message to edit") {
		params = map[string]any{"chat_id": c.chatID, "message_id": ids[0], "caption": text}
		if len(ents) > 0 {
			params["caption_entities"] = ents
		}
		err = c.api.call(ctx, "editMessageCaption", params, nil, nil)
	}
	if err != nil && !isDesc(err, "message is not modified") {
		return fmt.Errorf("telegram: edit %s: %w", remoteID, err)
	}
	return nil
}

// Delete removes all messages of a post; messages already gone count as deleted.
func (c *Connector) Delete(ctx context.Context, remoteID string) error {
	ids, err := parseIDs(remoteID)
	if err != nil {
		return err
	}
	if len(ids) == 1 {
		err = c.api.call(ctx, "deleteMessage", map[string]any{"chat_id": c.chatID, "message_id": ids[0]}, nil, nil)
		if isDesc(err, "message to delete not found") {
			return nil
		}
	} else {
		err = c.api.call(ctx, "deleteMessages", map[string]any{"chat_id": c.chatID, "message_ids": ids}, nil, nil)
	}
	if err != nil {
		return fmt.Errorf("telegram: delete %s: %w", remoteID, err)
	}
	return nil
}

// PostMetrics reports every count as unknown (-1): the Bot API has no view,
// reaction or forward counts for channel posts.
func (c *Connector) PostMetrics(_ context.Context, remoteIDs []string) (map[string]network.PostMetrics, error) {
	out := make(map[string]network.PostMetrics, len(remoteIDs))
	for _, id := range remoteIDs {
		out[id] = network.PostMetrics{Likes: -1, Reposts: -1, Replies: -1, Quotes: -1, Views: -1}
	}
	return out, nil
}

// Followers reads the channel's subscriber count.
func (c *Connector) Followers(ctx context.Context) (int64, error) {
	var n int64
	if err := c.api.call(ctx, "getChatMemberCount", map[string]any{"chat_id": c.chatID}, nil, &n); err != nil {
		return 0, fmt.Errorf("telegram: subscribers: %w", err)
	}
	return n, nil
}

// updatePages bounds how many getUpdates pages one Mentions call reads.
const updatePages = 10

// Mentions reads new replies in the linked discussion group through
// getUpdates; the cursor is the next update offset, which also confirms the
// updates read before it. Comment ids are "<group id>:<message id>"; a
// comment's parent is the channel post id when it answers the post itself.
// Reading a second page confirms the first, so on an error the comments
// read so far come back with the cursor after them: keep both.
func (c *Connector) Mentions(ctx context.Context, cursor string) ([]network.Comment, string, error) {
	if c.groupID == 0 {
		return nil, cursor, nil
	}
	offset, _ := strconv.Atoi(cursor)
	var out []network.Comment
	for page := 0; page < updatePages; page++ {
		var ups []struct {
			UpdateID int        `json:"update_id"`
			Message  *tgMessage `json:"message"`
		}
		params := map[string]any{"offset": offset, "limit": 100, "timeout": 0, "allowed_updates": []string{"message"}}
		if err := c.api.call(ctx, "getUpdates", params, nil, &ups); err != nil {
			return out, strconv.Itoa(offset), fmt.Errorf("telegram: read discussion: %w", err)
		}
		for _, u := range ups {
			offset = u.UpdateID + 1
			if cm, ok := c.comment(u.Message); ok {
				out = append(out, cm)
			}
		}
		if len(ups) < 100 {
			break
		}
	}
	next := ""
	if offset != 0 {
		next = strconv.Itoa(offset)
	}
	return out, next, nil
}

// comment turns a discussion-group message into a Comment, learning the
// automatic forwards of channel posts on the way.
func (c *Connector) comment(m *tgMessage) (network.Comment, bool) {
	if m == nil || m.Chat.ID != c.groupID {
		return network.Comment{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.copies == nil {
		c.copies = map[int]int{}
	}
	if post := m.channelPost(); post != 0 {
		c.copies[post] = m.MessageID
		return network.Comment{}, false
	}
	// Bots get no updates for their own messages; this guards against a webhook relay that sends them.
	if m.From != nil && m.From.ID == c.botID {
		return network.Comment{}, false
	}
	group := strconv.FormatInt(c.groupID, 10)
	cm := network.Comment{
		RemoteID: group + ":" + strconv.Itoa(m.MessageID), Text: m.Text,
		CreatedAt: time.Unix(m.Date, 0).UTC(),
	}
	if cm.Text == "" {
		cm.Text = m.Caption
	}
	if m.From != nil {
		cm.AuthorID = strconv.FormatInt(m.From.ID, 10)
		cm.AuthorName = strings.TrimSpace(m.From.FirstName + " " + m.From.LastName)
		if cm.AuthorName == "" {
			cm.AuthorName = "@" + m.From.Username
		}
	}
	root := 0
	if post := m.ReplyToMessage.channelPost(); post != 0 {
		root = post
		c.copies[post] = m.ReplyToMessage.MessageID
		cm.ParentID = strconv.Itoa(post)
	} else if m.ReplyToMessage != nil {
		cm.ParentID = group + ":" + strconv.Itoa(m.ReplyToMessage.MessageID)
	}
	if root == 0 && m.MessageThreadID != 0 {
		for post, cp := range c.copies {
			if cp == m.MessageThreadID {
				root = post
			}
		}
		if root == 0 {
			cm.RootID = group + ":" + strconv.Itoa(m.MessageThreadID)
		}
	}
	if root != 0 {
		cm.RootID = strconv.Itoa(root)
		if c.username != "" {
			cm.URL = fmt.Sprintf("https://t.me/%s/%d?comment=%d", c.username, root, m.MessageID)
		}
	}
	return cm, cm.ParentID != ""
}

// Reply answers a comment in the discussion group ("<group id>:<message id>"),
// or the discussion thread of a channel post (its id) once that thread has
// been seen in the updates.
func (c *Connector) Reply(ctx context.Context, parentRemoteID, text string) (network.RemotePost, error) {
	chat, msg := c.groupID, 0
	if g, m, ok := strings.Cut(parentRemoteID, ":"); ok {
		chat, _ = strconv.ParseInt(g, 10, 64)
		msg, _ = strconv.Atoi(m)
	} else if post, err := strconv.Atoi(parentRemoteID); err == nil {
		c.mu.Lock()
		msg = c.copies[post]
		c.mu.Unlock()
	}
	if chat == 0 || msg == 0 {
		return network.RemotePost{}, &network.Error{Class: network.Permanent, Network: network.Telegram, Message: fmt.Sprintf("cannot reply to %q: not a comment of the discussion group", parentRemoteID)}
	}
	body, ents := c.text(text, c.markdown)
	params := map[string]any{"chat_id": chat, "text": body, "reply_parameters": map[string]any{"message_id": msg}}
	if len(ents) > 0 {
		params["entities"] = ents
	}
	var m tgMessage
	if err := c.api.call(ctx, "sendMessage", params, nil, &m); err != nil {
		return network.RemotePost{}, fmt.Errorf("telegram: reply to %s: %w", parentRemoteID, err)
	}
	return network.RemotePost{ID: strconv.FormatInt(chat, 10) + ":" + strconv.Itoa(m.MessageID)}, nil
}
