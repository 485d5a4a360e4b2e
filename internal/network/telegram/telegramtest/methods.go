package telegramtest

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Bot API limits the fake enforces (https://core.telegram.org/bots/api).
const (
	maxText       = 4096
	maxCaption    = 1024
	maxPhotoBytes = 10 << 20
	maxFileBytes  = 50 << 20
)

func (s *Server) methods() map[string]handler {
	return map[string]handler{
		"getMe":              s.getMe,
		"getChat":            s.getChat,
		"getChatMember":      s.getChatMember,
		"getChatMemberCount": s.getChatMemberCount,
		"sendMessage":        s.sendMessage,
		"sendPhoto":          s.sendFile("photo", maxPhotoBytes),
		"sendVideo":          s.sendFile("video", maxFileBytes),
		"sendDocument":       s.sendFile("document", maxFileBytes),
		"sendMediaGroup":     s.sendMediaGroup,
		"editMessageText":    s.editMessageText,
		"editMessageCaption": s.editMessageCaption,
		"deleteMessage":      s.deleteMessage,
		"deleteMessages":     s.deleteMessages,
		"getUpdates":         s.getUpdates,
	}
}

func (s *Server) botJSON() map[string]any {
	return map[string]any{"id": s.botID, "is_bot": true, "first_name": "Relais Test", "username": s.botName}
}

func (s *Server) getMe(url.Values, map[string][]byte) (any, *apiErr) {
	b := s.botJSON()
	b["can_join_groups"], b["can_read_all_group_messages"], b["supports_inline_queries"] = true, false, false
	b["can_connect_to_business"], b["has_main_web_app"] = false, false
	return b, nil
}

func (s *Server) chat(id string) (*chat, *apiErr) {
	id = strings.TrimSpace(id)
	switch {
	case id == "":
		return nil, bad("chat_id is empty")
	case s.channel.Username != "" && strings.EqualFold(id, "@"+s.channel.Username):
		return s.channel, nil
	case id == strconv.FormatInt(s.channel.ID, 10):
		return s.channel, nil
	case s.group != nil && id == strconv.FormatInt(s.group.ID, 10):
		return s.group, nil
	}
	return nil, bad("chat not found")
}

func chatJSON(c *chat) map[string]any {
	m := map[string]any{"id": c.ID, "type": c.Type, "title": c.Title}
	if c.Username != "" {
		m["username"] = c.Username
	}
	return m
}

func (s *Server) getChat(p url.Values, _ map[string][]byte) (any, *apiErr) {
	c, e := s.chat(p.Get("chat_id"))
	if e != nil {
		return nil, e
	}
	m := chatJSON(c)
	m["accent_color_id"], m["max_reaction_count"] = 0, 11
	m["accepted_gift_types"] = map[string]bool{"unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false, "premium_subscription": false}
	if c == s.channel && s.group != nil {
		m["linked_chat_id"] = s.group.ID
	}
	if c == s.group {
		m["linked_chat_id"] = s.channel.ID
	}
	return m, nil
}

func (s *Server) getChatMember(p url.Values, _ map[string][]byte) (any, *apiErr) {
	c, e := s.chat(p.Get("chat_id"))
	if e != nil {
		return nil, e
	}
	if p.Get("user_id") != strconv.FormatInt(s.botID, 10) || c != s.channel {
		return nil, bad("user not found")
	}
	m := map[string]any{"user": s.botJSON(), "status": s.botStatus}
	if s.botStatus == "administrator" {
		for k, v := range map[string]bool{
			"can_be_edited": false, "is_anonymous": false, "can_manage_chat": true, "can_delete_messages": true,
			"can_manage_video_chats": false, "can_restrict_members": true, "can_promote_members": false,
			"can_change_info": true, "can_invite_users": true, "can_post_messages": s.canPost,
			"can_edit_messages": true, "can_post_stories": false, "can_edit_stories": false, "can_delete_stories": false,
		} {
			m[k] = v
		}
	}
	return m, nil
}

func (s *Server) getChatMemberCount(p url.Values, _ map[string][]byte) (any, *apiErr) {
	if _, e := s.chat(p.Get("chat_id")); e != nil {
		return nil, e
	}
	return s.opts.Subscribers, nil
}

// postable resolves the target chat and checks the bot may post there.
func (s *Server) postable(p url.Values) (*chat, *apiErr) {
	c, e := s.chat(p.Get("chat_id"))
	if e != nil {
		return nil, e
	}
	if c == s.channel {
		// Bots join channels only as administrators; anything else is "not a member".
		switch {
		case s.botStatus != "administrator" && s.botStatus != "creator":
			return nil, &apiErr{http.StatusForbidden, "Forbidden: bot is not a member of the channel chat"}
		case !s.canPost:
			return nil, bad("need administrator rights in the channel chat")
		}
	}
	return c, nil
}

// replyTarget reads reply_parameters (or the older reply_to_message_id).
func (s *Server) replyTarget(c *chat, p url.Values) (int, *apiErr) {
	id := 0
	if rp := p.Get("reply_parameters"); rp != "" {
		var r struct {
			MessageID int `json:"message_id"`
		}
		if err := json.Unmarshal([]byte(rp), &r); err != nil {
			return 0, bad("can't parse reply parameters JSON object")
		}
		id = r.MessageID
	} else if v := p.Get("reply_to_message_id"); v != "" {
		id, _ = atoi(v)
	}
	if id == 0 {
		return 0, nil
	}
	if m, ok := c.messages[id]; !ok || m.Deleted {
		return 0, bad("message to be replied not found")
	}
	return id, nil
}

// formatted returns the text after entity parsing and its entities,
// validated in UTF-16 code units against the limit.
func formatted(text, parseMode, entities string, limit int, tooLong string) (string, []Entity, *apiErr) {
	var ents []Entity
	switch {
	case entities != "":
		if err := json.Unmarshal([]byte(entities), &ents); err != nil {
			return "", nil, bad("can't parse entities JSON object")
		}
	case parseMode == "":
	case strings.EqualFold(parseMode, "HTML"):
		var e *apiErr
		text, ents, e = parseHTML(text)
		if e != nil {
			return "", nil, e
		}
	default:
		// The fake implements the HTML parse mode only; relais sends entities.
		return "", nil, bad("unsupported parse_mode")
	}
	u := utf16.Encode([]rune(text))
	if len(u) > limit {
		return "", nil, bad(tooLong)
	}
	for _, e := range ents {
		if e := validEntity(e, u); e != nil {
			return "", nil, e
		}
	}
	return text, ents, nil
}

var entityTypes = []string{"mention", "hashtag", "cashtag", "bot_command", "url", "email", "phone_number", "bold", "italic",
	"underline", "strikethrough", "spoiler", "blockquote", "expandable_blockquote", "code", "pre", "text_link", "text_mention", "custom_emoji"}

// validEntity checks one entity against the UTF-16 text. The live API
// silently drops or trims some bad entities; the fake refuses them so that
// offset bugs fail tests.
func validEntity(e Entity, u []uint16) *apiErr {
	isLow := func(i int) bool { return i < len(u) && u[i] >= 0xDC00 && u[i] <= 0xDFFF }
	switch {
	case !slices.Contains(entityTypes, e.Type):
		return bad(fmt.Sprintf("can't parse entities: unsupported entity type %q", e.Type))
	case e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > len(u):
		return bad(fmt.Sprintf("can't parse entities: entity %s at offset %d with length %d is out of the text of %d UTF-16 code units", e.Type, e.Offset, e.Length, len(u)))
	case isLow(e.Offset) || isLow(e.Offset+e.Length):
		return bad(fmt.Sprintf("can't parse entities: entity %s at offset %d with length %d splits a UTF-16 surrogate pair", e.Type, e.Offset, e.Length))
	case e.Type == "text_link" && e.URL == "":
		return bad("can't parse entities: text_link entity needs a URL")
	}
	return nil
}

type openTag struct {
	tag string
	at  int
	url string
}

func lastTag(stack []openTag) string {
	if len(stack) == 0 {
		return ""
	}
	return stack[len(stack)-1].tag
}

var htmlTags = map[string]string{"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "code": "code", "pre": "pre", "a": "text_link",
	"tg-spoiler": "spoiler", "blockquote": "blockquote"}

// parseHTML implements the Bot API's HTML parse mode: the supported tags
// become entities, everything else is an error, entities are decoded.
func parseHTML(src string) (string, []Entity, *apiErr) {
	var out strings.Builder
	var stack []openTag
	var ents []Entity
	n16 := 0
	write := func(s string) {
		s = html.UnescapeString(s)
		out.WriteString(s)
		n16 += len(utf16.Encode([]rune(s)))
	}
	for i := 0; i < len(src); {
		lt := strings.IndexByte(src[i:], '<')
		if lt < 0 {
			write(src[i:])
			break
		}
		write(src[i : i+lt])
		start := i + lt
		gt := strings.IndexByte(src[start:], '>')
		if gt < 0 {
			return "", nil, bad(fmt.Sprintf("can't parse entities: Unclosed start tag at byte offset %d", start))
		}
		inner := src[start+1 : start+gt]
		i = start + gt + 1
		if name, ok := strings.CutPrefix(inner, "/"); ok {
			name = strings.ToLower(strings.TrimSpace(name))
			if len(stack) == 0 || stack[len(stack)-1].tag != name {
				return "", nil, bad(fmt.Sprintf("can't parse entities: Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", start, lastTag(stack), name))
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if n16 > o.at {
				ents = append(ents, Entity{Type: htmlTags[o.tag], Offset: o.at, Length: n16 - o.at, URL: o.url})
			}
			continue
		}
		fields := strings.Fields(inner)
		if len(fields) == 0 {
			return "", nil, bad(fmt.Sprintf("can't parse entities: Empty tag name at byte offset %d", start))
		}
		name := strings.ToLower(fields[0])
		if _, ok := htmlTags[name]; !ok {
			return "", nil, bad(fmt.Sprintf("can't parse entities: Unsupported start tag \"%s\" at byte offset %d", name, start))
		}
		o := openTag{tag: name, at: n16}
		if name == "a" {
			href := strings.TrimPrefix(strings.Join(fields[1:], " "), "href=")
			o.url = html.UnescapeString(strings.Trim(href, `"'`))
		}
		stack = append(stack, o)
	}
	if len(stack) > 0 {
		return "", nil, bad(fmt.Sprintf("can't parse entities: Can't find end tag corresponding to start tag \"%s\"", stack[len(stack)-1].tag))
	}
	return out.String(), ents, nil
}

func (s *Server) sendMessage(p url.Values, _ map[string][]byte) (any, *apiErr) {
	c, e := s.postable(p)
	if e != nil {
		return nil, e
	}
	if strings.TrimSpace(p.Get("text")) == "" {
		return nil, bad("message text is empty")
	}
	text, ents, e := formatted(p.Get("text"), p.Get("parse_mode"), p.Get("entities"), maxText, "message is too long")
	if e != nil {
		return nil, e
	}
	replyTo, e := s.replyTarget(c, p)
	if e != nil {
		return nil, e
	}
	m := &Message{Kind: "text", Text: text, Entities: ents, ReplyTo: replyTo, Silent: p.Get("disable_notification") == "true"}
	if c == s.group {
		m.From = s.botName
		if parent := c.messages[replyTo]; parent != nil {
			m.ThreadID = parent.ThreadID
		}
	}
	return s.messageJSON(s.add(c, m), true), nil
}

// sendFile serves sendPhoto, sendVideo and sendDocument.
func (s *Server) sendFile(kind string, maxBytes int) handler {
	return func(p url.Values, files map[string][]byte) (any, *apiErr) {
		c, e := s.postable(p)
		if e != nil {
			return nil, e
		}
		data, uploaded := files[kind]
		if !uploaded && p.Get(kind) == "" {
			return nil, bad(fmt.Sprintf("there is no %s in the request", kind))
		}
		if uploaded && len(data) == 0 {
			return nil, bad("file must be non-empty")
		}
		if len(data) > maxFileBytes {
			return nil, &apiErr{http.StatusRequestEntityTooLarge, "Request Entity Too Large"}
		}
		if len(data) > maxBytes {
			return nil, bad("file is too big")
		}
		caption, ents, e := formatted(p.Get("caption"), p.Get("parse_mode"), p.Get("caption_entities"), maxCaption, "message caption is too long")
		if e != nil {
			return nil, e
		}
		replyTo, e := s.replyTarget(c, p)
		if e != nil {
			return nil, e
		}
		m := s.add(c, &Message{Kind: kind, Text: caption, Entities: ents, ReplyTo: replyTo, Silent: p.Get("disable_notification") == "true"})
		return s.messageJSON(m, true), nil
	}
}

func (s *Server) sendMediaGroup(p url.Values, files map[string][]byte) (any, *apiErr) {
	c, e := s.postable(p)
	if e != nil {
		return nil, e
	}
	var items []struct {
		Type            string `json:"type"`
		Media           string `json:"media"`
		Caption         string `json:"caption"`
		ParseMode       string `json:"parse_mode"`
		CaptionEntities []any  `json:"caption_entities"`
	}
	if err := json.Unmarshal([]byte(p.Get("media")), &items); err != nil {
		return nil, bad("can't parse media JSON object")
	}
	// As the official server: no item is an error, one item is sent as a
	// plain message outside any album, more than 10 is refused.
	switch {
	case len(items) == 0:
		return nil, bad("there are no messages to send")
	case len(items) > 10:
		return nil, bad("too many messages to send as an album")
	}
	type parsed struct {
		kind, caption string
		ents          []Entity
	}
	var ps []parsed
	docs := 0
	for i, it := range items {
		switch it.Type {
		case "photo", "video", "audio":
		case "document":
			docs++
		default:
			return nil, bad(fmt.Sprintf("unsupported media type %q in the media group item %d", it.Type, i))
		}
		if name, ok := strings.CutPrefix(it.Media, "attach://"); ok {
			data, found := files[name]
			if !found || len(data) == 0 {
				return nil, bad(fmt.Sprintf("file for the media group item %d not found in the request", i))
			}
			if len(data) > maxFileBytes {
				return nil, &apiErr{http.StatusRequestEntityTooLarge, "Request Entity Too Large"}
			}
			if it.Type == "photo" && len(data) > maxPhotoBytes {
				return nil, bad("file is too big")
			}
		} else if it.Media == "" {
			return nil, bad(fmt.Sprintf("media for the media group item %d is empty", i))
		}
		ents := ""
		if it.CaptionEntities != nil {
			b, _ := json.Marshal(it.CaptionEntities)
			ents = string(b)
		}
		caption, es, e := formatted(it.Caption, it.ParseMode, ents, maxCaption, "message caption is too long")
		if e != nil {
			return nil, e
		}
		ps = append(ps, parsed{it.Type, caption, es})
	}
	if docs > 0 && docs < len(items) {
		return nil, bad("document can't be mixed with other media types")
	}
	replyTo, e := s.replyTarget(c, p)
	if e != nil {
		return nil, e
	}
	group := ""
	if len(ps) > 1 {
		s.mediaGroup++
		group = strconv.Itoa(13000000000000000 + s.mediaGroup)
	}
	var out []any
	for _, x := range ps {
		m := s.add(c, &Message{Kind: x.kind, Text: x.caption, Entities: x.ents, MediaGroupID: group, ReplyTo: replyTo, Silent: p.Get("disable_notification") == "true"})
		out = append(out, s.messageJSON(m, true))
	}
	return out, nil
}

func (s *Server) editable(p url.Values) (*Message, *apiErr) {
	c, e := s.postable(p)
	if e != nil {
		return nil, e
	}
	id, _ := atoi(p.Get("message_id"))
	m, ok := c.messages[id]
	if !ok || m.Deleted {
		return nil, bad("message to edit not found")
	}
	return m, nil
}

const notModified = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"

func (s *Server) editMessageText(p url.Values, _ map[string][]byte) (any, *apiErr) {
	m, e := s.editable(p)
	if e != nil {
		return nil, e
	}
	if m.Kind != "text" {
		return nil, bad("there is no text in the message to edit")
	}
	if strings.TrimSpace(p.Get("text")) == "" {
		return nil, bad("message text is empty")
	}
	text, ents, e := formatted(p.Get("text"), p.Get("parse_mode"), p.Get("entities"), maxText, "message is too long")
	if e != nil {
		return nil, e
	}
	if text == m.Text && sameEntities(ents, m.Entities) {
		return nil, bad(notModified)
	}
	m.Text, m.Entities, m.EditDate = text, ents, s.opts.Now().UTC()
	return s.messageJSON(m, true), nil
}

func (s *Server) editMessageCaption(p url.Values, _ map[string][]byte) (any, *apiErr) {
	m, e := s.editable(p)
	if e != nil {
		return nil, e
	}
	if m.Kind == "text" {
		return nil, bad("there is no caption in the message to edit")
	}
	caption, ents, e := formatted(p.Get("caption"), p.Get("parse_mode"), p.Get("caption_entities"), maxCaption, "message caption is too long")
	if e != nil {
		return nil, e
	}
	if caption == m.Text && sameEntities(ents, m.Entities) {
		return nil, bad(notModified)
	}
	m.Text, m.Entities, m.EditDate = caption, ents, s.opts.Now().UTC()
	return s.messageJSON(m, true), nil
}

func sameEntities(a, b []Entity) bool {
	return slices.Equal(a, b) || len(a) == 0 && len(b) == 0
}

// deletable reports why message id cannot be deleted ("" when it can).
func (s *Server) deletable(c *chat, id int) string {
	m, ok := c.messages[id]
	if !ok || m.Deleted {
		return "message to delete not found"
	}
	if s.opts.Now().Sub(m.Date) > 48*time.Hour {
		return "message can't be deleted"
	}
	return ""
}

func (s *Server) deleteMessage(p url.Values, _ map[string][]byte) (any, *apiErr) {
	c, e := s.postable(p)
	if e != nil {
		return nil, e
	}
	id, _ := atoi(p.Get("message_id"))
	if why := s.deletable(c, id); why != "" {
		return nil, bad(why)
	}
	c.messages[id].Deleted = true
	return true, nil
}

func (s *Server) deleteMessages(p url.Values, _ map[string][]byte) (any, *apiErr) {
	c, e := s.postable(p)
	if e != nil {
		return nil, e
	}
	var ids []int
	if err := json.Unmarshal([]byte(p.Get("message_ids")), &ids); err != nil {
		return nil, bad("can't parse message_ids JSON array")
	}
	if len(ids) < 1 || len(ids) > 100 {
		return nil, bad("too many messages to delete")
	}
	// Messages that cannot be found or deleted are skipped, as documented.
	for _, id := range ids {
		if s.deletable(c, id) == "" {
			c.messages[id].Deleted = true
		}
	}
	return true, nil
}

func (s *Server) getUpdates(p url.Values, _ map[string][]byte) (any, *apiErr) {
	offset, _ := atoi(p.Get("offset"))
	limit, ok := atoi(p.Get("limit"))
	if !ok || limit <= 0 || limit > 100 {
		limit = 100
	}
	if allowed := p.Get("allowed_updates"); allowed != "" && !strings.Contains(allowed, `"message"`) {
		return []any{}, nil
	}
	// An offset confirms (forgets) every update before it.
	kept := s.updates[:0]
	for _, u := range s.updates {
		if u.ID >= offset {
			kept = append(kept, u)
		}
	}
	s.updates = kept
	out := []any{}
	for _, u := range s.updates {
		if len(out) == limit {
			break
		}
		out = append(out, map[string]any{"update_id": u.ID, "message": s.messageJSON(u.Msg, true)})
	}
	return out, nil
}

func userID(name string) int64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return 100000000 + int64(h.Sum32()%900000000)
}

// messageJSON renders a Message; withReply includes reply_to_message one level deep, as the API does.
func (s *Server) messageJSON(m *Message, withReply bool) map[string]any {
	c := s.channel
	if s.group != nil && m.ChatID == s.group.ID {
		c = s.group
	}
	j := map[string]any{"message_id": m.ID, "chat": chatJSON(c), "date": m.Date.Unix()}
	switch {
	case c == s.channel:
		j["sender_chat"] = chatJSON(s.channel)
	case m.ForwardOf != 0:
		j["from"] = map[string]any{"id": 777000, "is_bot": false, "first_name": "Telegram"}
		j["sender_chat"] = chatJSON(s.channel)
		j["is_automatic_forward"] = true
		post := s.channel.messages[m.ForwardOf]
		j["forward_origin"] = map[string]any{"type": "channel", "chat": chatJSON(s.channel), "message_id": m.ForwardOf, "date": post.Date.Unix()}
		j["forward_from_chat"], j["forward_from_message_id"], j["forward_date"] = chatJSON(s.channel), m.ForwardOf, post.Date.Unix()
	case m.From == s.botName:
		j["from"] = s.botJSON()
	default:
		j["from"] = map[string]any{"id": userID(m.From), "is_bot": false, "first_name": m.From, "username": m.From, "language_code": "en"}
	}
	if m.ThreadID != 0 && m.ForwardOf == 0 {
		j["message_thread_id"] = m.ThreadID
	}
	if !m.EditDate.IsZero() {
		j["edit_date"] = m.EditDate.Unix()
	}
	if m.MediaGroupID != "" {
		j["media_group_id"] = m.MediaGroupID
	}
	textKey, entKey := "text", "entities"
	switch m.Kind {
	case "photo":
		textKey, entKey = "caption", "caption_entities"
		id := fmt.Sprintf("AgACAgQAAx0C%d", m.ID)
		j["photo"] = []map[string]any{
			{"file_id": id + "s", "file_unique_id": "AQADs" + strconv.Itoa(m.ID), "width": 90, "height": 60, "file_size": 1200},
			{"file_id": id + "m", "file_unique_id": "AQADm" + strconv.Itoa(m.ID), "width": 800, "height": 533, "file_size": 48000},
		}
	case "video", "document":
		textKey, entKey = "caption", "caption_entities"
		j[m.Kind] = map[string]any{"file_id": fmt.Sprintf("BAACAgQAAx0C%d", m.ID), "file_unique_id": "AgAD" + strconv.Itoa(m.ID), "file_size": 1000}
	}
	if m.Text != "" {
		j[textKey] = m.Text
	}
	if len(m.Entities) > 0 {
		j[entKey] = m.Entities
	}
	if withReply && m.ReplyTo != 0 {
		if parent, ok := c.messages[m.ReplyTo]; ok {
			j["reply_to_message"] = s.messageJSON(parent, false)
		}
	}
	return j
}
