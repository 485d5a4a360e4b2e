package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/network/webhook"
	"github.com/relais/relais/internal/network/webhook/webhooktest"
)

func TestMain(m *testing.M) {
	// The receivers run on 127.0.0.1; set once here because t.Setenv and
	// t.Parallel do not mix.
	os.Setenv("RELAIS_ALLOW_PRIVATE_HOSTS", "true")
	os.Exit(m.Run())
}

const testSecret = "test-secret-0123456789"

func testEnv() network.Env {
	allow := true
	return network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 2 * time.Second})}
}

// connect connects a channel to a fresh receiver and forgets the ping.
func connect(t *testing.T) (*webhooktest.Receiver, network.Connector) {
	t.Helper()
	r := webhooktest.New(t, testSecret)
	_, stored, err := webhook.Provider{}.Connect(context.Background(), testEnv(),
		map[string]string{"url": r.URL() + "/hook?token=abc", "secret": testSecret, "label": "n8n"})
	require.NoError(t, err)
	c, err := webhook.Provider{}.Open(testEnv(), stored)
	require.NoError(t, err)
	require.Len(t, r.Deliveries(), 1)
	return r, c
}

func TestProviderIsRegistered(t *testing.T) {
	t.Parallel()
	p, err := network.ProviderFor(network.Webhook)
	require.NoError(t, err)
	require.Equal(t, network.Webhook, p.Kind())
	fields := map[string]network.Field{}
	for _, f := range p.Fields() {
		fields[f.Name] = f
	}
	require.True(t, fields["url"].Required)
	require.True(t, fields["url"].Secret)
	require.True(t, fields["secret"].Secret)
	require.False(t, fields["secret"].Required)
	require.Contains(t, fields, "label")
}

func TestConnectPingsAndGeneratesSecret(t *testing.T) {
	t.Parallel()
	// The secret is not known in advance, so the receiver answers from a script.
	r := webhooktest.New(t, "")
	r.Respond(webhooktest.Response{Status: 200, Body: `{"ok":true}`}, webhooktest.Response{Status: 200})
	acct, stored, err := webhook.Provider{}.Connect(context.Background(), testEnv(), map[string]string{"url": r.URL() + "/in", "label": "Zapier"})
	require.NoError(t, err)
	secret := stored.Secrets["secret"]
	require.Regexp(t, `^whsec_[A-Za-z0-9+/]{43}=$`, secret, "32 random bytes in the Standard Webhooks form")
	require.Equal(t, r.URL()+"/in", stored.Secrets["url"])
	require.Equal(t, strings.TrimPrefix(r.URL(), "http://"), stored.Settings["host"])
	require.NotContains(t, stored.Settings, "url", "the url may carry a token: it is a secret")
	require.Equal(t, "Zapier", acct.DisplayName)
	require.Regexp(t, `^[0-9a-f]{32}$`, acct.RemoteID)

	ds := r.Deliveries()
	require.Len(t, ds, 1)
	ping := ds[0]
	require.Equal(t, http.MethodPost, ping.Method)
	require.Equal(t, "ping", ping.Header.Get(webhook.HeaderEvent))
	require.Equal(t, "ping", ping.Event.Event)
	require.Equal(t, ping.Header.Get(webhook.HeaderID), ping.Event.ID)
	require.NoError(t, webhook.Verify(secret, ping.Header, ping.Body, 0, time.Now()))

	_, again, err := webhook.Provider{}.Connect(context.Background(), testEnv(), map[string]string{"url": r.URL() + "/in"})
	require.NoError(t, err)
	require.NotEqual(t, secret, again.Secrets["secret"])
}

func TestConnectRejects(t *testing.T) {
	t.Parallel()
	deny := false
	strict := webhook.Provider{AllowPrivate: &deny}
	r := webhooktest.New(t, testSecret)
	tests := []struct {
		name  string
		p     webhook.Provider
		input map[string]string
		want  string
	}{
		{"no url", webhook.Provider{}, map[string]string{}, "URL is required"},
		{"ftp", webhook.Provider{}, map[string]string{"url": "ftp://example.com/x"}, `URL must start with https:// or http://, not "ftp:"`},
		{"javascript", webhook.Provider{}, map[string]string{"url": "javascript:alert(1)"}, "must start with https://"},
		{"no host", webhook.Provider{}, map[string]string{"url": "https:///path"}, "has no host"},
		{"long url", webhook.Provider{}, map[string]string{"url": "https://example.com/" + strings.Repeat("a", 2048)}, "URL allows 2048 characters"},
		{"loopback", strict, map[string]string{"url": "http://127.0.0.1:8080/hook"}, `URL host "127.0.0.1" is or resolves to a private or loopback address`},
		{"ipv6 loopback", strict, map[string]string{"url": "http://[::1]/hook"}, `URL host "::1" is or resolves to a private or loopback address`},
		{"private", strict, map[string]string{"url": "https://10.1.2.3/hook"}, "RELAIS_ALLOW_PRIVATE_HOSTS=true"},
		{"metadata", strict, map[string]string{"url": "http://169.254.169.254/latest"}, "private or loopback"},
		{"localhost", strict, map[string]string{"url": "http://localhost:5678/webhook"}, `URL host "localhost" is or resolves to a private or loopback`},
		{"short secret", webhook.Provider{}, map[string]string{"url": r.URL(), "secret": "short"}, "Signing secret needs 16 to 512 characters; this one has 5"},
		{"long label", webhook.Provider{}, map[string]string{"url": r.URL(), "label": strings.Repeat("l", 101)}, "Label allows 100 characters; this one has 101"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := tt.p.Connect(context.Background(), testEnv(), tt.input)
			require.ErrorContains(t, err, tt.want)
		})
	}
	require.Empty(t, r.Deliveries(), "rejected forms send nothing")
}

func TestConnectRequires2xxPing(t *testing.T) {
	t.Parallel()
	for _, status := range []int{404, 500, 301} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			t.Parallel()
			r := webhooktest.New(t, testSecret)
			r.Respond(webhooktest.Response{Status: status, Header: map[string]string{"Location": "https://example.com/"}, Body: "no such hook"})
			_, _, err := webhook.Provider{}.Connect(context.Background(), testEnv(), map[string]string{"url": r.URL(), "secret": testSecret})
			require.ErrorContains(t, err, "webhook: the ping to 127.0.0.1")
			var ne *network.Error
			require.True(t, errors.As(err, &ne))
			require.Equal(t, status, ne.Status)
		})
	}
}

func TestPublishPayloadAndHeaders(t *testing.T) {
	t.Parallel()
	r, c := connect(t)
	created := time.Date(2026, 5, 4, 3, 2, 1, 0, time.FixedZone("X", 7200))
	req := network.PublishRequest{
		IdempotencyKey: "pub-7", CreatedAt: created, Language: "fr",
		Options: map[string]string{"visibility": "public"},
		Parts: []network.Part{{
			Text: "Bonjour & <b>salut</b> 👋\n]]>", Link: "https://brand.example/a",
			Media: []network.Media{{URL: "https://cdn.example/a.jpg?sig=1", MIME: "image/jpeg", AltText: "A cat", Width: 800, Height: 600, Data: []byte("not sent")}},
		}},
	}
	res, err := c.Publish(context.Background(), req)
	require.NoError(t, err)
	ds := r.Deliveries()
	require.Len(t, ds, 2)
	d := ds[1]
	require.NoError(t, d.VerifyErr)
	require.Equal(t, "application/json", d.Header.Get("Content-Type"))
	require.Equal(t, network.UserAgent, d.Header.Get("User-Agent"))
	require.Equal(t, "post.published", d.Header.Get(webhook.HeaderEvent))
	delivery := d.Header.Get(webhook.HeaderID)
	require.Equal(t, webhook.DeliveryID("pub-7"), delivery)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, delivery)
	ts, err := strconv.ParseInt(d.Header.Get(webhook.HeaderTimestamp), 10, 64)
	require.NoError(t, err)
	require.InDelta(t, time.Now().Unix(), ts, 5)

	var got map[string]any
	require.NoError(t, json.Unmarshal(d.Body, &got))
	want := map[string]any{
		"event": "post.published", "id": delivery, "idempotency_key": "pub-7", "created_at": "2026-05-04T01:02:01Z",
		"post": map[string]any{
			"text": "Bonjour & <b>salut</b> 👋\n]]>", "language": "fr", "options": map[string]any{"visibility": "public"},
			"parts": []any{map[string]any{
				"text": "Bonjour & <b>salut</b> 👋\n]]>", "link": "https://brand.example/a",
				"media": []any{map[string]any{"url": "https://cdn.example/a.jpg?sig=1", "mime": "image/jpeg", "alt_text": "A cat", "width": 800.0, "height": 600.0}},
			}},
		},
		"channel": map[string]any{"kind": "webhook", "id": d.Event.Channel.ID, "label": "n8n"},
	}
	require.Equal(t, want, got)
	require.Equal(t, []network.RemotePost{{ID: delivery}}, res.Parts, "a 204 answer leaves the delivery id as remote id")

	// A retry of the same publication carries the same delivery id.
	_, err = c.Publish(context.Background(), req)
	require.NoError(t, err)
	require.Equal(t, delivery, r.Deliveries()[2].Header.Get(webhook.HeaderID))
}

func TestPublishRemoteIDFromAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		want       network.RemotePost
	}{
		{"id string", `{"id":"rec_42","url":"https://blog.example/p/42"}`, network.RemotePost{ID: "rec_42", URL: "https://blog.example/p/42"}},
		{"id number", `{"id":42}`, network.RemotePost{ID: "42"}},
		{"url only", `{"url":"https://blog.example/p/9"}`, network.RemotePost{ID: "https://blog.example/p/9", URL: "https://blog.example/p/9"}},
		{"not a web url", `{"url":"javascript:x"}`, network.RemotePost{ID: webhook.DeliveryID("k")}},
		{"plain text", `Accepted`, network.RemotePost{ID: webhook.DeliveryID("k")}},
		{"json array", `[1,2]`, network.RemotePost{ID: webhook.DeliveryID("k")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, c := connect(t)
			r.Respond(webhooktest.Response{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: tt.body})
			res, err := c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "k", Parts: []network.Part{{Text: "x"}}})
			require.NoError(t, err)
			require.Equal(t, []network.RemotePost{tt.want}, res.Parts)
		})
	}
}

func TestPublishStatusClasses(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 400) // 800 bytes
	tests := []struct {
		status  int
		header  map[string]string
		body    string
		class   network.Class
		retryIn time.Duration
		message string
	}{
		{408, nil, "", network.Retryable, 0, ""},
		{425, nil, "", network.Retryable, 0, ""},
		{429, map[string]string{"Retry-After": "120"}, `{"message":"slow down"}`, network.Retryable, 120 * time.Second, "slow down"},
		{500, nil, "boom", network.Retryable, 0, "boom"},
		{502, nil, "", network.Retryable, 0, ""},
		{503, map[string]string{"Retry-After": "30"}, "", network.Retryable, 30 * time.Second, ""},
		{401, nil, `{"error":"bad token"}`, network.AuthReconnect, 0, "bad token"},
		{403, nil, "", network.AuthReconnect, 0, "check its credentials"},
		{400, nil, `{"message":"text is required"}`, network.InvalidContent, 0, "text is required"},
		{422, nil, long, network.InvalidContent, 0, long[:500]},
		{410, nil, "", network.Permanent, 0, "gone"},
		{404, nil, "Not Found", network.Permanent, 0, "Not Found"},
		{302, map[string]string{"Location": "https://new.example/hook"}, "", network.Permanent, 0, `redirects to "https://new.example/hook"`},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			t.Parallel()
			r, c := connect(t)
			r.Respond(webhooktest.Response{Status: tt.status, Header: tt.header, Body: tt.body})
			before := time.Now()
			res, err := c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "k", Parts: []network.Part{{Text: "x"}}})
			require.Empty(t, res.Parts)
			var ne *network.Error
			require.True(t, errors.As(err, &ne), "%v", err)
			require.Equal(t, tt.class, ne.Class)
			require.Equal(t, network.Webhook, ne.Network)
			require.Equal(t, tt.status, ne.Status)
			require.Contains(t, ne.Message, tt.message)
			require.LessOrEqual(t, len(ne.Message), 500)
			if tt.retryIn > 0 {
				require.WithinDuration(t, before.Add(tt.retryIn), ne.RetryAfter, 3*time.Second)
			} else {
				require.True(t, ne.RetryAfter.IsZero())
			}
			require.Len(t, r.Deliveries(), 2, "exactly one attempt per Publish")
		})
	}
}

func TestPublishTransportFailures(t *testing.T) {
	t.Parallel()
	t.Run("dropped connection", func(t *testing.T) {
		t.Parallel()
		r, c := connect(t)
		r.Respond(webhooktest.Response{Drop: true})
		_, err := c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "k", Parts: []network.Part{{Text: "x"}}})
		require.Equal(t, network.Unknown, network.ClassOf(err), "%v", err)
		require.Len(t, r.Deliveries(), 2, "the delivery arrived although the sender saw an error")
	})
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		r := webhooktest.New(t, testSecret)
		allow := true
		env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &allow, Timeout: 200 * time.Millisecond})}
		c, err := webhook.Provider{}.Open(env, network.Stored{Secrets: map[string]string{"url": r.URL(), "secret": testSecret}})
		require.NoError(t, err)
		r.Respond(webhooktest.Response{Status: 200, Delay: 2 * time.Second})
		_, err = c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "k", Parts: []network.Part{{Text: "x"}}})
		var ne *network.Error
		require.True(t, errors.As(err, &ne))
		require.Zero(t, ne.Status)
		require.Equal(t, network.Unknown, ne.Class)
	})
	t.Run("private address refused by the client", func(t *testing.T) {
		t.Parallel()
		r := webhooktest.New(t, testSecret)
		deny := false
		env := network.Env{HTTP: network.NewHTTPClient(network.HTTPOptions{AllowPrivate: &deny})}
		c, err := webhook.Provider{}.Open(env, network.Stored{Secrets: map[string]string{"url": r.URL(), "secret": testSecret}})
		require.NoError(t, err)
		_, err = c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "k", Parts: []network.Part{{Text: "x"}}})
		require.ErrorIs(t, err, network.ErrPrivateHost)
		require.Equal(t, network.Permanent, network.ClassOf(err))
		require.Empty(t, r.Deliveries())
	})
}

func TestPublishRejectsBeforeSending(t *testing.T) {
	t.Parallel()
	r, c := connect(t)
	_, err := c.Publish(context.Background(), network.PublishRequest{Parts: []network.Part{{Text: "x"}}})
	require.Equal(t, network.Permanent, network.ClassOf(err))
	_, err = c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "k"})
	require.Equal(t, network.InvalidContent, network.ClassOf(err))
	_, err = c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "k", Parts: []network.Part{{Text: "x", Media: []network.Media{{MIME: "image/png", Data: []byte{1}}}}}})
	require.Equal(t, network.InvalidContent, network.ClassOf(err))
	require.ErrorContains(t, err, "part 1, media 1 has no public URL")
	require.Len(t, r.Deliveries(), 1, "only the connect ping")
}

func TestPublishThreadAndDone(t *testing.T) {
	t.Parallel()
	r, c := connect(t)
	res, err := c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "t", Parts: []network.Part{{Text: "one"}, {Text: "two"}}})
	require.NoError(t, err)
	id := webhook.DeliveryID("t")
	require.Equal(t, []network.RemotePost{{ID: id}, {ID: id + "#2"}}, res.Parts)
	last := r.Deliveries()[1].Event
	require.Equal(t, "one", last.Post.Text)
	require.Len(t, last.Post.Parts, 2)
	require.Equal(t, "two", last.Post.Parts[1].Text)

	done, err := c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "t", Parts: []network.Part{{Text: "one"}}, Done: res.Parts[:1]})
	require.NoError(t, err)
	require.Equal(t, res.Parts[:1], done.Parts)
	require.Len(t, r.Deliveries(), 2, "nothing sent when already done")
}

func TestDeleteSendsEvent(t *testing.T) {
	t.Parallel()
	r, c := connect(t)
	require.NoError(t, c.Delete(context.Background(), "rec_42"))
	d := r.Deliveries()[1]
	require.NoError(t, d.VerifyErr)
	require.Equal(t, "post.deleted", d.Header.Get(webhook.HeaderEvent))
	require.Equal(t, "rec_42", d.Event.RemoteID)
	require.Nil(t, d.Event.Post)
	r.Respond(webhooktest.Response{Status: 410})
	require.Equal(t, network.Permanent, network.ClassOf(c.Delete(context.Background(), "rec_42")))
	require.Equal(t, d.Event.ID, r.Deliveries()[2].Event.ID, "a retried delete keeps its delivery id")
}

func TestIdentifyPings(t *testing.T) {
	t.Parallel()
	r, c := connect(t)
	acct, err := c.Identify(context.Background())
	require.NoError(t, err)
	require.Equal(t, "n8n", acct.Handle)
	require.Len(t, r.Deliveries(), 2)
	r.Respond(webhooktest.Response{Status: 401})
	_, err = c.Identify(context.Background())
	require.Equal(t, network.AuthReconnect, network.ClassOf(err))
}

func TestReceiverRejectsBadSignature(t *testing.T) {
	t.Parallel()
	r := webhooktest.New(t, "receiver-expects-this-one")
	_, _, err := webhook.Provider{}.Connect(context.Background(), testEnv(), map[string]string{"url": r.URL(), "secret": testSecret})
	require.Equal(t, network.AuthReconnect, network.ClassOf(err))
	require.ErrorIs(t, r.Deliveries()[0].VerifyErr, webhook.ErrBadSignature)
}

func TestDeliverRetries(t *testing.T) {
	t.Parallel()
	fast := func(int) time.Duration { return time.Millisecond }
	payload := map[string]any{"alert": "spike", "count": 3}
	t.Run("until success", func(t *testing.T) {
		t.Parallel()
		r := webhooktest.New(t, testSecret)
		r.Respond(webhooktest.Response{Status: 503}, webhooktest.Response{Drop: true}, webhooktest.Response{Status: 200})
		require.NoError(t, webhook.Deliver(context.Background(), testEnv().HTTP, r.URL(), testSecret, "alert.spike", "", payload, 5, fast))
		ds := r.Deliveries()
		require.Len(t, ds, 3)
		for _, d := range ds {
			require.NoError(t, d.VerifyErr)
			require.Equal(t, "alert.spike", d.Header.Get(webhook.HeaderEvent))
			require.Equal(t, ds[0].Header.Get(webhook.HeaderID), d.Header.Get(webhook.HeaderID))
			require.JSONEq(t, `{"alert":"spike","count":3}`, string(d.Body))
		}
	})
	t.Run("gives up after attempts", func(t *testing.T) {
		t.Parallel()
		r := webhooktest.New(t, testSecret)
		r.Respond(webhooktest.Response{Status: 500}, webhooktest.Response{Status: 500}, webhooktest.Response{Status: 500}, webhooktest.Response{Status: 200})
		err := webhook.Deliver(context.Background(), testEnv().HTTP, r.URL(), testSecret, "e", "", payload, 3, fast)
		require.ErrorContains(t, err, "gave up after 3 attempts")
		require.Equal(t, network.Retryable, network.ClassOf(err))
		require.Len(t, r.Deliveries(), 3)
	})
	t.Run("no retry of invalid content", func(t *testing.T) {
		t.Parallel()
		r := webhooktest.New(t, testSecret)
		r.Respond(webhooktest.Response{Status: 400, Body: "bad"})
		err := webhook.Deliver(context.Background(), testEnv().HTTP, r.URL(), testSecret, "e", "", payload, 5, fast)
		require.Equal(t, network.InvalidContent, network.ClassOf(err))
		require.Len(t, r.Deliveries(), 1)
	})
	t.Run("honours Retry-After", func(t *testing.T) {
		t.Parallel()
		r := webhooktest.New(t, testSecret)
		r.Respond(webhooktest.Response{Status: 429, Header: map[string]string{"Retry-After": "1"}}, webhooktest.Response{Status: 204})
		start := time.Now()
		require.NoError(t, webhook.Deliver(context.Background(), testEnv().HTTP, r.URL(), testSecret, "e", "", payload, 2, fast))
		require.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond)
		require.Len(t, r.Deliveries(), 2)
	})
	t.Run("stops when the context ends", func(t *testing.T) {
		t.Parallel()
		r := webhooktest.New(t, testSecret)
		r.Respond(webhooktest.Response{Status: 503})
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		err := webhook.Deliver(ctx, testEnv().HTTP, r.URL(), testSecret, "e", "", payload, 5, func(int) time.Duration { return time.Hour })
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Len(t, r.Deliveries(), 1)
	})
	t.Run("rejects bad urls", func(t *testing.T) {
		t.Parallel()
		err := webhook.Deliver(context.Background(), nil, "file:///etc/passwd", testSecret, "e", "", payload, 1, nil)
		require.ErrorContains(t, err, "must start with https://")
	})
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[48][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestDeliveryIDs(t *testing.T) {
	t.Parallel()
	require.Equal(t, webhook.DeliveryID("a"), webhook.DeliveryID("a"))
	require.NotEqual(t, webhook.DeliveryID("a"), webhook.DeliveryID("b"))
	require.Regexp(t, uuidPattern, webhook.DeliveryID("a"))
}

// TestDeliveriesVerifyWithStandardWebhooks sends every kind of delivery and
// checks it with the Standard Webhooks reference library, the verifier Svix
// and others use, for a generated secret, a secret stored before relais
// followed the specification (wrapped) and a typed one.
func TestDeliveriesVerifyWithStandardWebhooks(t *testing.T) {
	t.Parallel()
	generated, err := webhook.NewSecret()
	require.NoError(t, err)
	tests := []struct{ name, stored string }{
		{"generated", generated},
		{"stored before, 64 hex characters", strings.Repeat("3c", 32)},
		{"stored before, typed", testSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := webhooktest.New(t, tt.stored)
			c, err := webhook.Provider{}.Open(testEnv(), network.Stored{Settings: map[string]string{"label": "n8n"}, Secrets: map[string]string{"url": r.URL(), "secret": tt.stored}})
			require.NoError(t, err)
			_, err = c.Identify(context.Background())
			require.NoError(t, err)
			_, err = c.Publish(context.Background(), network.PublishRequest{IdempotencyKey: "pub-1", Parts: []network.Part{{Text: "hello"}}})
			require.NoError(t, err)
			require.NoError(t, c.Delete(context.Background(), "rec_1"))
			require.NoError(t, webhook.Deliver(context.Background(), testEnv().HTTP, r.URL(), tt.stored, "publish_failed", "n-1", map[string]string{"id": "n-1"}, 1, nil))

			wh, err := standardwebhooks.NewWebhook(webhook.StandardSecret(tt.stored))
			require.NoError(t, err)
			ds := r.Deliveries()
			require.Len(t, ds, 4)
			for _, d := range ds {
				require.NoError(t, wh.Verify(d.Body, d.Header), "event %s", d.Header.Get(webhook.HeaderEvent))
				require.NoError(t, d.VerifyErr)
				// Receivers written for the former scheme keep working.
				require.Equal(t, d.Header.Get(webhook.HeaderID), d.Header.Get(webhook.HeaderLegacyDelivery))
				require.Equal(t, d.Header.Get(webhook.HeaderTimestamp), d.Header.Get(webhook.HeaderLegacyTimestamp))
				require.Regexp(t, `^sha256=[0-9a-f]{64}$`, d.Header.Get(webhook.HeaderLegacySignature))
			}
		})
	}
}

func TestConnectKeepsTypedSecretInStandardForm(t *testing.T) {
	t.Parallel()
	r := webhooktest.New(t, testSecret)
	_, stored, err := webhook.Provider{}.Connect(context.Background(), testEnv(), map[string]string{"url": r.URL(), "secret": testSecret})
	require.NoError(t, err)
	require.Equal(t, webhook.StandardSecret(testSecret), stored.Secrets["secret"])
	require.NoError(t, r.Deliveries()[0].VerifyErr, "the same key as typed")

	std, err := webhook.NewSecret()
	require.NoError(t, err)
	r2 := webhooktest.New(t, std)
	_, stored, err = webhook.Provider{}.Connect(context.Background(), testEnv(), map[string]string{"url": r2.URL(), "secret": std})
	require.NoError(t, err)
	require.Equal(t, std, stored.Secrets["secret"], "a whsec_ secret is kept as it is")
}
