package telegram

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/telegram/telegramtest"
)

var allowPrivate = true

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type bundle struct {
	srv  *telegramtest.Server
	env  network.Env
	conn *Connector
	clk  *clock
}

func testEnv(clk *clock) network.Env {
	return network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate, Timeout: 5 * time.Second}), Now: clk.Now}
}

func setup(t *testing.T, o telegramtest.Options, input map[string]string) bundle {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	o.Now = clk.Now
	srv := telegramtest.New(t, o)
	env := testEnv(clk)
	in := map[string]string{"bot_token": srv.Token(), "chat": "@relaischannel", "api_url": srv.URL}
	for k, v := range input {
		in[k] = v
	}
	_, stored, err := Provider{}.Connect(context.Background(), env, in)
	require.NoError(t, err)
	c, err := Provider{}.Open(env, stored)
	require.NoError(t, err)
	return bundle{srv: srv, env: env, conn: c.(*Connector), clk: clk}
}

func requireClass(t *testing.T, err error, class network.Class) *network.Error {
	t.Helper()
	require.Error(t, err)
	var ne *network.Error
	require.ErrorAs(t, err, &ne)
	require.Equal(t, class, ne.Class, err.Error())
	return ne
}

func jpeg(name string) network.Media {
	return network.Media{MIME: "image/jpeg", Data: []byte("\xff\xd8\xff\xe0 fake jpeg " + name), AltText: name}
}

func TestProviderRegistered(t *testing.T) {
	t.Parallel()
	p, err := network.ProviderFor(network.Telegram)
	require.NoError(t, err)
	require.Equal(t, network.Telegram, p.Kind())
}

func TestConnect(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Now()}
	srv := telegramtest.New(t, telegramtest.Options{Now: clk.Now})
	env := testEnv(clk)
	acct, stored, err := Provider{}.Connect(context.Background(), env, map[string]string{"bot_token": srv.Token(), "chat": "https://t.me/relaischannel", "api_url": srv.URL + "/"})
	require.NoError(t, err)
	require.Equal(t, network.Account{RemoteID: strconv.FormatInt(srv.ChannelID(), 10), Handle: "@relaischannel", DisplayName: "Relais News", URL: "https://t.me/relaischannel"}, acct)
	require.Equal(t, strconv.FormatInt(srv.GroupID(), 10), stored.Settings["discussion_id"])
	require.Equal(t, srv.Token(), stored.Secrets["bot_token"])
	require.NotContains(t, stored.Settings, "bot_token")
	require.Nil(t, stored.Limits, "Telegram's limits are the shipped defaults")
	require.Equal(t, 1, srv.Count("getMe"))
	require.Equal(t, 1, srv.Count("getChatMember"))

	c, err := Provider{}.Open(env, stored)
	require.NoError(t, err)
	got, err := c.Identify(context.Background())
	require.NoError(t, err)
	require.Equal(t, acct, got)
}

func TestConnectRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		input map[string]string
		bot   string
		post  bool
		err   string
		class network.Class
	}{
		{"malformed token", map[string]string{"bot_token": "nope"}, "administrator", true, "bot_token must look like", ""},
		{"bad chat", map[string]string{"chat": "channel"}, "administrator", true, "chat must be @channelname", ""},
		{"bad format", map[string]string{"format": "bbcode"}, "administrator", true, "format must be plain or markdown", ""},
		{"unknown token", map[string]string{"bot_token": "123456:" + strings.Repeat("Z", 35)}, "administrator", true, "Unauthorized", network.AuthReconnect},
		{"unknown channel", map[string]string{"chat": "@elsewhere"}, "administrator", true, "Bad Request: chat not found", network.AuthReconnect},
		{"bot is a member", nil, "member", false, "the bot @relais_test_bot must be an administrator of @relaischannel with the right to post messages (it is member)", network.AuthReconnect},
		{"admin without post right", nil, "administrator", false, "must be an administrator of @relaischannel with the right to post messages (it is administrator)", network.AuthReconnect},
		{"bot left", nil, "left", false, "(it is left)", network.AuthReconnect},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := &clock{t: time.Now()}
			srv := telegramtest.New(t, telegramtest.Options{Now: clk.Now})
			srv.SetBot(tc.bot, tc.post)
			in := map[string]string{"bot_token": srv.Token(), "chat": "@relaischannel", "api_url": srv.URL}
			for k, v := range tc.input {
				in[k] = v
			}
			_, _, err := Provider{}.Connect(context.Background(), testEnv(clk), in)
			require.ErrorContains(t, err, tc.err)
			if tc.class != "" {
				requireClass(t, err, tc.class)
			}
		})
	}
}

func TestPublishShapes(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 300) // 1,500 UTF-16 units: too long for a caption
	cases := []struct {
		name    string
		part    network.Part
		methods []string
		// texts are the channel messages' texts or captions, in order.
		texts []string
		kinds []string
	}{
		{"text", network.Part{Text: "hello"}, []string{"sendMessage"}, []string{"hello"}, []string{"text"}},
		{"text and link", network.Part{Text: "read", Link: "https://example.com"}, []string{"sendMessage"}, []string{"read\n\nhttps://example.com"}, []string{"text"}},
		{"photo with caption", network.Part{Text: "look", Media: []network.Media{jpeg("a")}}, []string{"sendPhoto"}, []string{"look"}, []string{"photo"}},
		{"video by URL", network.Part{Text: "watch", Media: []network.Media{{MIME: "video/mp4", URL: "https://cdn.example/v.mp4"}}}, []string{"sendVideo"}, []string{"watch"}, []string{"video"}},
		{"album with caption", network.Part{Text: "three", Media: []network.Media{jpeg("a"), jpeg("b"), {MIME: "video/mp4", Data: []byte("mp4")}}}, []string{"sendMediaGroup"}, []string{"three", "", ""}, []string{"photo", "photo", "video"}},
		{"long text and photo", network.Part{Text: long, Media: []network.Media{jpeg("a")}}, []string{"sendPhoto", "sendMessage"}, []string{"", long}, []string{"photo", "text"}},
		{"long text and album", network.Part{Text: long, Media: []network.Media{jpeg("a"), jpeg("b")}}, []string{"sendMediaGroup", "sendMessage"}, []string{"", "", long}, []string{"photo", "photo", "text"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, telegramtest.Options{}, nil)
			res, err := b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{tc.part}, Options: map[string]string{"silent": "true"}})
			require.NoError(t, err)
			var methods []string
			for _, r := range b.srv.Requests() {
				if strings.HasPrefix(r.Method, "send") {
					methods = append(methods, r.Method)
				}
			}
			require.Equal(t, tc.methods, methods)
			msgs := b.srv.Messages()
			var texts, kinds, ids []string
			for _, m := range msgs {
				texts = append(texts, m.Text)
				kinds = append(kinds, m.Kind)
				ids = append(ids, strconv.Itoa(m.ID))
				require.True(t, m.Silent)
			}
			require.Equal(t, tc.texts, texts)
			require.Equal(t, tc.kinds, kinds)
			require.Len(t, res.Parts, 1)
			require.Equal(t, strings.Join(ids, ","), res.Parts[0].ID)
			require.Equal(t, "https://t.me/relaischannel/"+ids[0], res.Parts[0].URL)
		})
	}
}

func TestPublishMarkdownEntitiesInUTF16(t *testing.T) {
	t.Parallel()
	b := setup(t, telegramtest.Options{}, map[string]string{"format": "markdown"})
	_, err := b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "😀 **grand** 𝄞 [site](https://example.com) `x`"}}})
	require.NoError(t, err)
	m := b.srv.Messages()[0]
	require.Equal(t, "😀 grand 𝄞 site x", m.Text)
	require.Equal(t, []telegramtest.Entity{
		{Type: "bold", Offset: 3, Length: 5},
		{Type: "text_link", Offset: 12, Length: 4, URL: "https://example.com"},
		{Type: "code", Offset: 17, Length: 1},
	}, m.Entities)

	// A caption carries the same entities.
	_, err = b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "🎉 __yes__", Media: []network.Media{jpeg("a"), jpeg("b")}}}})
	require.NoError(t, err)
	require.Equal(t, []telegramtest.Entity{{Type: "italic", Offset: 3, Length: 3}}, b.srv.Messages()[1].Entities)

	// Plain format sends the asterisks as they are.
	_, err = b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "**kept**"}}, Options: map[string]string{"format": "plain"}})
	require.NoError(t, err)
	require.Equal(t, "**kept**", b.srv.Messages()[3].Text)
}

func TestPublishRejectsLocally(t *testing.T) {
	t.Parallel()
	b := setup(t, telegramtest.Options{}, nil)
	var eleven []network.Media
	for i := range 11 {
		eleven = append(eleven, jpeg(strconv.Itoa(i)))
	}
	cases := []struct {
		name  string
		req   network.PublishRequest
		class network.Class
	}{
		{"no parts", network.PublishRequest{}, network.InvalidContent},
		{"eleven media", network.PublishRequest{Parts: []network.Part{{Text: "x", Media: eleven}}}, network.InvalidContent},
		{"empty text", network.PublishRequest{Parts: []network.Part{{Text: " "}}}, network.InvalidContent},
		{"first comment", network.PublishRequest{Parts: []network.Part{{Text: "x"}}, FirstComment: "y"}, network.InvalidContent},
		{"media without bytes", network.PublishRequest{Parts: []network.Part{{Text: "x", Media: []network.Media{{MIME: "image/png"}}}}}, network.Permanent},
	}
	for _, tc := range cases {
		_, err := b.conn.Publish(context.Background(), tc.req)
		requireClass(t, err, tc.class)
	}
	require.Zero(t, b.srv.Count("sendMessage")+b.srv.Count("sendMediaGroup")+b.srv.Count("sendPhoto"))
}

func TestThreadPartialFailureAndResume(t *testing.T) {
	t.Parallel()
	b := setup(t, telegramtest.Options{}, nil)
	ctx := context.Background()
	req := network.PublishRequest{Parts: []network.Part{{Text: "one"}, {Text: "two", Media: []network.Media{jpeg("a")}}, {Text: "three"}}}
	b.srv.Inject(telegramtest.Fault{Method: "sendPhoto", Kind: telegramtest.ServerError})
	res, err := b.conn.Publish(ctx, req)
	requireClass(t, err, network.Retryable)
	require.ErrorContains(t, err, "part 2 of 3")
	require.Len(t, res.Parts, 1)

	req.Done = res.Parts
	res, err = b.conn.Publish(ctx, req)
	require.NoError(t, err)
	require.Len(t, res.Parts, 3)
	msgs := b.srv.Messages()
	require.Len(t, msgs, 3, "no part is sent twice")
	require.Equal(t, msgs[0].ID, msgs[1].ReplyTo)
	require.Equal(t, msgs[1].ID, msgs[2].ReplyTo)
}

func TestErrorClasses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		fault   telegramtest.FaultKind
		text    string
		class   network.Class
		status  int
		message string
	}{
		{"400", telegramtest.BadRequest, "x", network.InvalidContent, 400, "Bad Request: injected failure"},
		{"too long after emoji", 0, strings.Repeat("😀", 2048) + "!", network.InvalidContent, 400, "Bad Request: message is too long"},
		{"401", telegramtest.Unauthorized, "x", network.AuthReconnect, 401, "Unauthorized"},
		{"403", telegramtest.Forbidden, "x", network.AuthReconnect, 403, "Forbidden: bot was kicked from the channel chat"},
		{"429", telegramtest.TooManyRequests, "x", network.Retryable, 429, "Too Many Requests: retry after 7"},
		{"500", telegramtest.ServerError, "x", network.Retryable, 500, "Internal Server Error"},
		{"dropped after commit", telegramtest.CommitThenDrop, "x", network.Unknown, 0, ""},
		{"500 after commit", telegramtest.CommitThen500, "x", network.Retryable, 500, "Internal Server Error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, telegramtest.Options{}, nil)
			// A fresh client, so a dropped request is not replayed on a new connection by the transport.
			b.conn.api.env.HTTP = network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allowPrivate})
			if tc.fault != 0 {
				b.srv.Inject(telegramtest.Fault{Method: "sendMessage", Kind: tc.fault})
			}
			_, err := b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: tc.text}}})
			ne := requireClass(t, err, tc.class)
			require.Equal(t, tc.status, ne.Status)
			require.Equal(t, tc.message, ne.Message)
			require.NotContains(t, err.Error(), b.srv.Token(), "the token never reaches an error message")
			if tc.status == 429 {
				require.Equal(t, b.clk.Now().Add(7*time.Second), ne.RetryAfter)
				require.ErrorIs(t, err, network.ErrRateLimited)
			}
		})
	}
}

func TestTimeoutIsUnknownWithoutToken(t *testing.T) {
	t.Parallel()
	b := setup(t, telegramtest.Options{}, nil)
	b.srv.Inject(telegramtest.Fault{Method: "sendMessage", Kind: telegramtest.Timeout})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "slow"}}})
	requireClass(t, err, network.Unknown)
	require.NotContains(t, err.Error(), b.srv.Token())
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestEdit(t *testing.T) {
	t.Parallel()
	b := setup(t, telegramtest.Options{}, nil)
	ctx := context.Background()
	long := strings.Repeat("z", 1100)
	posts := map[string]network.Part{
		"text":       {Text: "t1"},
		"photo":      {Text: "c1", Media: []network.Media{jpeg("a")}},
		"album":      {Text: "c1", Media: []network.Media{jpeg("a"), jpeg("b")}},
		"long+photo": {Text: long, Media: []network.Media{jpeg("a")}},
	}
	for name, part := range posts {
		res, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{part}})
		require.NoError(t, err, name)
		id := res.Parts[0].ID
		require.NoError(t, b.conn.Edit(ctx, id, network.Part{Text: "edited " + name}), name)
		require.NoError(t, b.conn.Edit(ctx, id, network.Part{Text: "edited " + name}), "an unchanged text is not an error")
		ids, _ := parseIDs(id)
		holder := ids[0]
		if name == "text" || name == "long+photo" {
			holder = ids[len(ids)-1]
		}
		m, _ := b.srv.Message(holder)
		require.Equal(t, "edited "+name, m.Text, name)
		require.False(t, m.EditDate.IsZero())
	}
	err := b.conn.Edit(ctx, "999", network.Part{Text: "x"})
	ne := requireClass(t, err, network.Permanent)
	require.Equal(t, "Bad Request: message to edit not found", ne.Message)
}

func TestDeleteAndMetrics(t *testing.T) {
	t.Parallel()
	b := setup(t, telegramtest.Options{Subscribers: 321}, nil)
	ctx := context.Background()
	res, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "album", Media: []network.Media{jpeg("a"), jpeg("b")}}}})
	require.NoError(t, err)
	single, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "single"}}})
	require.NoError(t, err)
	old, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "old"}}})
	require.NoError(t, err)

	m, err := b.conn.PostMetrics(ctx, []string{res.Parts[0].ID})
	require.NoError(t, err)
	require.Equal(t, network.PostMetrics{Likes: -1, Reposts: -1, Replies: -1, Quotes: -1, Views: -1}, m[res.Parts[0].ID])
	n, err := b.conn.Followers(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 321, n)

	require.NoError(t, b.conn.Delete(ctx, res.Parts[0].ID))
	require.NoError(t, b.conn.Delete(ctx, single.Parts[0].ID))
	require.NoError(t, b.conn.Delete(ctx, single.Parts[0].ID), "already deleted")
	require.Equal(t, 1, b.srv.Count("deleteMessages"))
	require.Len(t, b.srv.Messages(), 1)

	b.clk.Add(49 * time.Hour)
	err = b.conn.Delete(ctx, old.Parts[0].ID)
	ne := requireClass(t, err, network.Permanent)
	require.Equal(t, "Bad Request: message can't be deleted", ne.Message)
	require.Error(t, b.conn.Delete(ctx, "x,y"))
}

func TestDiscussionMentionsAndReply(t *testing.T) {
	t.Parallel()
	b := setup(t, telegramtest.Options{}, nil)
	ctx := context.Background()
	res, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "post"}}})
	require.NoError(t, err)
	post, _ := strconv.Atoi(res.Parts[0].ID)
	group := strconv.FormatInt(b.srv.GroupID(), 10)

	c1 := b.srv.AddComment(post, "bob", "first!")
	c2 := b.srv.AddCommentReply(c1, "carol", "second")
	got, cursor, err := b.conn.Mentions(ctx, "")
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, group+":"+strconv.Itoa(c1), got[0].RemoteID)
	require.Equal(t, res.Parts[0].ID, got[0].ParentID, "a comment on the post has the post as parent")
	require.Equal(t, res.Parts[0].ID, got[0].RootID)
	require.Equal(t, "bob", got[0].AuthorName)
	require.Equal(t, "first!", got[0].Text)
	require.Equal(t, "https://t.me/relaischannel/"+res.Parts[0].ID+"?comment="+strconv.Itoa(c1), got[0].URL)
	require.Equal(t, group+":"+strconv.Itoa(c2), got[1].RemoteID)
	require.Equal(t, got[0].RemoteID, got[1].ParentID)
	require.Equal(t, res.Parts[0].ID, got[1].RootID, "the thread's root is learnt from the automatic forward")

	rp, err := b.conn.Reply(ctx, got[1].RemoteID, "thanks")
	require.NoError(t, err)
	gid, _ := strconv.Atoi(strings.SplitN(rp.ID, ":", 2)[1])
	m, ok := b.srv.GroupMessage(gid)
	require.True(t, ok)
	require.Equal(t, c2, m.ReplyTo)
	_, err = b.conn.Reply(ctx, res.Parts[0].ID, "to the thread")
	require.NoError(t, err)

	// Bots get no updates for their own messages: nothing new until someone writes.
	got, cursor2, err := b.conn.Mentions(ctx, cursor)
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, cursor, cursor2)
	c3 := b.srv.AddComment(post, "dan", "third")
	got, cursor3, err := b.conn.Mentions(ctx, cursor2)
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, group+":"+strconv.Itoa(c3), got[0].RemoteID)
	require.NotEqual(t, cursor2, cursor3)

	_, err = b.conn.Reply(ctx, "12345", "unknown post")
	requireClass(t, err, network.Permanent)
}

func TestNoDiscussionGroup(t *testing.T) {
	t.Parallel()
	b := setup(t, telegramtest.Options{NoDiscussion: true, Channel: "-"}, map[string]string{"chat": "-1001234567890"})
	got, cursor, err := b.conn.Mentions(context.Background(), "5")
	require.NoError(t, err)
	require.Empty(t, got)
	require.Equal(t, "5", cursor)
	require.Zero(t, b.srv.Count("getUpdates"))
	res, err := b.conn.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "private"}}})
	require.NoError(t, err)
	require.Equal(t, "https://t.me/c/1234567890/1", res.Parts[0].URL)
}

func TestParseMarkdown(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, text string
		ents     []Entity
	}{
		{"plain", "plain", nil},
		{"**b** and __i__", "b and i", []Entity{{Type: "bold", Offset: 0, Length: 1}, {Type: "italic", Offset: 6, Length: 1}}},
		{"👩‍👩‍👧 ~~s~~", "👩‍👩‍👧 s", []Entity{{Type: "strikethrough", Offset: 9, Length: 1}}},
		{"unclosed **bold", "unclosed **bold", nil},
		{"snake_case_name", "snake_case_name", nil},
		{"[x](javascript:alert(1))", "[x](javascript:alert(1))", nil},
		{"||secret|| `c`", "secret c", []Entity{{Type: "spoiler", Offset: 0, Length: 6}, {Type: "code", Offset: 7, Length: 1}}},
		{"é[lien](https://a.b/c)", "élien", []Entity{{Type: "text_link", Offset: 1, Length: 4, URL: "https://a.b/c"}}},
	}
	for _, tc := range cases {
		text, ents := ParseMarkdown(tc.in)
		require.Equal(t, tc.text, text, tc.in)
		require.Equal(t, tc.ents, ents, tc.in)
	}
}

func TestMentionsPagesAndCheck(t *testing.T) {
	t.Parallel()
	b := setup(t, telegramtest.Options{}, nil)
	ctx := context.Background()
	res, err := b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "popular"}}})
	require.NoError(t, err)
	post, _ := strconv.Atoi(res.Parts[0].ID)
	for i := range 150 {
		b.srv.AddComment(post, "fan"+strconv.Itoa(i), "comment "+strconv.Itoa(i))
	}
	got, _, err := b.conn.Mentions(ctx, "")
	require.NoError(t, err)
	require.Len(t, got, 150, "two getUpdates pages")
	require.Equal(t, "comment 149", got[149].Text)
	require.Equal(t, 2, b.srv.Count("getUpdates"))

	require.NoError(t, b.conn.Check(ctx))
	b.srv.SetBot("administrator", false)
	err = b.conn.Check(ctx)
	requireClass(t, err, network.AuthReconnect)
	_, err = b.conn.Publish(ctx, network.PublishRequest{Parts: []network.Part{{Text: "no rights"}}})
	ne := requireClass(t, err, network.AuthReconnect)
	require.Equal(t, "Bad Request: need administrator rights in the channel chat", ne.Message)
}

func TestFieldsAndCapabilities(t *testing.T) {
	t.Parallel()
	f := Provider{}.Fields()
	require.Equal(t, []string{"bot_token", "chat", "format", "api_url"}, []string{f[0].Name, f[1].Name, f[2].Name, f[3].Name})
	require.True(t, f[0].Secret)
	require.True(t, f[1].Required)

	b := setup(t, telegramtest.Options{}, nil)
	require.Equal(t, network.Telegram, b.conn.Kind())
	caps := network.CapabilitiesOf(b.conn, network.DefaultLimits[network.Telegram])
	require.Equal(t, network.Capabilities{Edit: true, Metrics: true, Reply: true, Mentions: true}, caps)
}
