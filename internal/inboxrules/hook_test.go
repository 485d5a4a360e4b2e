package inboxrules_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/inbox"
	"github.com/relais/relais/internal/inboxrules"
	"github.com/relais/relais/internal/moderation"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

var ctx = context.Background()

// fakeConn records the replies and hides the rules ask for.
type fakeConn struct {
	mu      sync.Mutex
	replies []string
	hidden  []string
	hider   bool
}

func (c *fakeConn) Kind() network.Kind                                { return "fake" }
func (c *fakeConn) Identify(context.Context) (network.Account, error) { return network.Account{}, nil }
func (c *fakeConn) Publish(context.Context, network.PublishRequest) (network.PublishResult, error) {
	return network.PublishResult{}, nil
}
func (c *fakeConn) Delete(context.Context, string) error { return nil }
func (c *fakeConn) Reply(_ context.Context, parent, text string) (network.RemotePost, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.replies = append(c.replies, text)
	return network.RemotePost{ID: "r-" + parent, URL: "https://fake.example/r-" + parent}, nil
}

// hidingConn can also hide comments.
type hidingConn struct{ *fakeConn }

func (c hidingConn) HideComment(_ context.Context, id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hidden = append(c.hidden, id)
	return nil
}

type connectors struct{ c network.Connector }

func (f connectors) Connector(context.Context, int64, int64) (network.Connector, network.Limits, error) {
	return f.c, network.Limits{}, nil
}

type fixture struct {
	st   store.Store
	ws   store.Workspace
	user store.User
	ch   store.Channel
	mod  *moderation.Service
	svc  *inbox.Service
	conn *fakeConn
}

func setup(t *testing.T, canHide bool) fixture {
	st := storetest.Open(t, "sqlite")
	u := storetest.NewUser(t, st, "owner@rules.example")
	ws := storetest.NewWorkspace(t, st, "rules", u.ID)
	ch := storetest.NewChannel(t, st, ws.ID, "mastodon", "brand")
	conn := &fakeConn{}
	var c network.Connector = conn
	if canHide {
		c = hidingConn{conn}
	}
	mod := &moderation.Service{Store: st}
	svc := &inbox.Service{Store: st, Connectors: connectors{c}}
	svc.Hooks = []inbox.Hook{&inboxrules.Hook{Store: st, Inbox: svc, Moderation: mod}}
	return fixture{st: st, ws: ws, user: u, ch: ch, mod: mod, svc: svc, conn: conn}
}

func (f fixture) ingest(t *testing.T, remote, author, text string) store.Message {
	m := &inbox.Message{WorkspaceID: f.ws.ID, ChannelID: f.ch.ID, Network: "mastodon", RemoteID: remote, RootRemoteID: remote,
		Kind: store.KindReply, AuthorHandle: author, AuthorName: "Claire Dupont", Text: text, ReceivedAt: time.Now().UTC()}
	n, err := f.svc.Ingest(ctx, []*inbox.Message{m})
	require.NoError(t, err)
	require.Equal(t, 1, n)
	got, err := f.st.Message(ctx, f.ws.ID, m.ID)
	require.NoError(t, err)
	return got
}

func TestHookActions(t *testing.T) {
	t.Parallel()
	act := func(kind, value string) moderation.Action { return moderation.Action{Kind: kind, Value: value} }
	complaint := "My parcel never arrived, this is terrible"
	for _, tc := range []struct {
		name       string
		canHide    bool
		policyOff  bool
		rule       func(f fixture) moderation.Rule
		text       string
		wantState  store.MessageState
		wantLabels []string
		wantPrio   int
		assigned   bool
		wantHidden bool
		wantNotes  []string
		wantReply  string
	}{
		{name: "label, assign and priority stored with the message", text: complaint,
			rule: func(f fixture) moderation.Rule {
				return moderation.Rule{Name: "Parcels", Conditions: moderation.Conditions{Keywords: "parcel"},
					Actions: []moderation.Action{act("label", "Lost parcel"), act("assign", strconv.FormatInt(f.user.ID, 10)), act("priority", "high")}}
			},
			wantState: store.MessageOpen, wantLabels: []string{"lost-parcel"}, wantPrio: 2, assigned: true},
		{name: "no match changes nothing", text: "Lovely colours this season",
			rule: func(fixture) moderation.Rule {
				return moderation.Rule{Name: "Parcels", Conditions: moderation.Conditions{Keywords: "parcel"}, Actions: []moderation.Action{act("label", "x")}}
			},
			wantState: store.MessageOpen, wantLabels: []string{}},
		{name: "spam is closed and labelled", text: "Click here for free money",
			rule: func(fixture) moderation.Rule {
				return moderation.Rule{Name: "Spam", Conditions: moderation.Conditions{Keywords: `"free money"`}, Actions: []moderation.Action{act("spam", "")}}
			},
			wantState: store.MessageClosed, wantLabels: []string{"spam"}},
		{name: "hiding criticism becomes a review for a person", canHide: true, text: complaint,
			rule: func(fixture) moderation.Rule {
				return moderation.Rule{Name: "Hide complaints", Conditions: moderation.Conditions{Keywords: "parcel"}, Actions: []moderation.Action{act("hide", "")}}
			},
			wantState: store.MessageOpen, wantLabels: []string{"needs-review"}, wantPrio: 2,
			wantNotes: []string{`Rule "Hide complaints": criticism needs a person: the rule's hide became a flag for review (answer, don't delete)`}},
		{name: "hiding with the policy off goes through the inbox, logged", canHide: true, policyOff: true, text: complaint,
			rule: func(fixture) moderation.Rule {
				return moderation.Rule{Name: "Hide complaints", Conditions: moderation.Conditions{Keywords: "parcel"}, Actions: []moderation.Action{act("hide", "")}}
			},
			wantState: store.MessageOpen, wantLabels: []string{}, wantHidden: true},
		{name: "a network that cannot hide: a note says so", policyOff: true, text: complaint,
			rule: func(fixture) moderation.Rule {
				return moderation.Rule{Name: "Hide complaints", Conditions: moderation.Conditions{Keywords: "parcel"}, Actions: []moderation.Action{act("hide", "")}}
			},
			wantState: store.MessageOpen, wantLabels: []string{},
			wantNotes: []string{`Rule "Hide complaints" could not hide: inbox: the network does not allow this: mastodon cannot hide a comment; answer it instead`}},
		{name: "auto-reply with the placeholders filled", text: "Where is my refund?",
			rule: func(f fixture) moderation.Rule {
				sr, err := f.mod.CreateSavedReply(ctx, f.ws.ID, store.SavedReply{Name: "Refund", Lang: "en", Body: "Hello {first_name}, {channel} checks your refund."})
				require.NoError(t, err)
				return moderation.Rule{Name: "Refunds", Conditions: moderation.Conditions{Keywords: "refund"}, Actions: []moderation.Action{act("auto_reply", strconv.FormatInt(sr.ID, 10))}}
			},
			wantState: store.MessageOpen, wantLabels: []string{}, wantReply: "Hello Claire, @brand checks your refund."},
		{name: "a placeholder without a value: no reply, a note", text: "Where is my refund?",
			rule: func(f fixture) moderation.Rule {
				sr, err := f.mod.CreateSavedReply(ctx, f.ws.ID, store.SavedReply{Name: "Refund", Lang: "en", Body: "Track it here: {order_link}"})
				require.NoError(t, err)
				return moderation.Rule{Name: "Refunds", Conditions: moderation.Conditions{Keywords: "refund"}, Actions: []moderation.Action{act("auto_reply", strconv.FormatInt(sr.ID, 10))}}
			},
			wantState: store.MessageOpen, wantLabels: []string{},
			wantNotes: []string{`Rule "Refunds" could not auto-reply: saved reply "Refund": The reply needs a value for {order_link}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, tc.canHide)
			if tc.policyOff {
				_, err := f.mod.SaveSettings(ctx, f.ws.ID, store.RoleOwner, 60, false)
				require.NoError(t, err)
			}
			r := tc.rule(f)
			r.Enabled = true
			_, err := f.mod.CreateRule(ctx, f.ws.ID, r)
			require.NoError(t, err)
			m := f.ingest(t, "m1", "@claire@example.org", tc.text)
			require.Equal(t, tc.wantState, m.State)
			require.ElementsMatch(t, tc.wantLabels, m.Labels)
			require.Equal(t, tc.wantPrio, m.Priority)
			if tc.assigned {
				require.Equal(t, f.user.ID, m.AssigneeID)
			}
			require.Equal(t, tc.wantHidden, m.Hidden)
			notes, err := f.st.Notes(ctx, f.ws.ID, m.ID)
			require.NoError(t, err)
			var texts []string
			for _, n := range notes {
				texts = append(texts, n.Text)
			}
			require.Equal(t, tc.wantNotes, texts)
			if tc.wantHidden {
				log, err := f.st.ModerationLog(ctx, f.ws.ID, m.ID)
				require.NoError(t, err)
				require.Len(t, log, 1)
				require.Equal(t, `Moderation rule "Hide complaints" hides messages like this one`, log[0].Reason)
				require.Equal(t, []string{"m1"}, f.conn.hidden)
			}
			if tc.wantReply != "" {
				require.Equal(t, []string{tc.wantReply}, f.conn.replies)
				require.True(t, m.Answered)
				// The rules run again on the message: the reply is not sent twice.
				require.NoError(t, f.svc.Hooks[0].Received(ctx, m))
				require.Len(t, f.conn.replies, 1)
			} else {
				require.Empty(t, f.conn.replies)
			}
		})
	}
}

func TestFirstContact(t *testing.T) {
	t.Parallel()
	f := setup(t, false)
	first := true
	_, err := f.mod.CreateRule(ctx, f.ws.ID, moderation.Rule{Name: "Welcome", Enabled: true, Conditions: moderation.Conditions{FirstContact: &first},
		Actions: []moderation.Action{{Kind: moderation.ActLabel, Value: "new"}}})
	require.NoError(t, err)
	for _, tc := range []struct {
		remote, author string
		want           []string
	}{
		{"a1", "@ann", []string{"new"}},
		{"a2", "@ann", []string{}},
		{"b1", "@bob", []string{"new"}},
	} {
		m := f.ingest(t, tc.remote, tc.author, "Hello there")
		require.Equal(t, tc.want, m.Labels, tc.remote)
	}
}

func TestLabel(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Lost parcel":     "lost-parcel",
		"  VIP ":          "vip",
		"délai/livraison": "délailivraison",
		"a_b-c":           "a_b-c",
		"!!!":             "",
		"0123456789012345678901234567890123456789XYZ": "0123456789012345678901234567890123456789",
	} {
		require.Equal(t, want, inboxrules.Label(in), in)
	}
}

func TestBenchRulesApply(t *testing.T) {
	t.Parallel()
	f := setup(t, false)
	hooks, n, err := inboxrules.BenchSetup(ctx, f.st, f.ws, f.user, f.svc)
	require.NoError(t, err)
	require.Equal(t, 20, n)
	f.svc.Hooks = hooks
	m := f.ingest(t, "b1", "@user42", "Where is my refund? I sent the item back three weeks ago")
	require.Subset(t, m.Labels, []string{"refund", "vip"})
	require.Equal(t, f.user.ID, m.AssigneeID)
	require.Equal(t, 2, m.Priority, "the first rule's priority (high) wins over the VIP rule's")
}

// BenchmarkPrepare20Rules measures what the 20 bench rules add to the ingest
// per message: Prepare on classified messages (the store is not written).
func BenchmarkPrepare20Rules(b *testing.B) {
	st := storetest.Open(b, "sqlite")
	u := storetest.NewUser(b, st, "bench@rules.example")
	ws := storetest.NewWorkspace(b, st, "bench", u.ID)
	svc := &inbox.Service{Store: st}
	hooks, _, err := inboxrules.BenchSetup(ctx, st, ws, u, svc)
	require.NoError(b, err)
	hook := hooks[0].(inbox.Preparer)
	texts := []string{"Where is my refund? I sent the item back three weeks ago", "Mon colis n'est jamais arrivé, c'est inadmissible",
		"Die Qualität ist super, vielen Dank!", "The website keeps crashing at checkout, payment failed twice"}
	ms := make([]*inbox.Message, 1000)
	for i := range ms {
		ms[i] = &inbox.Message{WorkspaceID: ws.ID, Network: "mastodon", AuthorHandle: "@user" + strconv.Itoa(i), Text: texts[i%len(texts)], ReceivedAt: time.Now()}
		inbox.Classify(ms[i])
	}
	b.ResetTimer()
	for b.Loop() {
		require.NoError(b, hook.Prepare(ctx, ms))
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ms)), "ns/message")
}
