package storetest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
)

// searchSeeds are inputs that mean something to FTS5 or tsquery syntax.
var searchSeeds = []string{`"`, `""`, `*`, `parcel*`, `NEAR(a b)`, `a OR b`, `NOT`, `-parcel`, `^parcel`, `text:parcel`,
	`(`, `)`, `{a b}`, `a AND`, `'`, `\`, `colis arrivé`, `Paket ß`, `😡`, "tab\tsep", `:`, `+`, `a"b`, "  "}

func inboxSearchStore(t testing.TB, dialect string) (store.Store, int64) {
	s := storetest.Open(t, dialect)
	u := storetest.NewUser(t, s, "fuzz@inbox.example")
	w := storetest.NewWorkspace(t, s, "fuzz", u.ID)
	c := storetest.NewChannel(t, s, w.ID, "mastodon", "fuzz")
	_, err := s.InsertMessages(context.Background(), []*store.Message{{WorkspaceID: w.ID, ChannelID: c.ID, Network: "mastodon",
		RemoteID: "1", Kind: store.KindReply, AuthorHandle: "@ann", Text: `My "parcel" never arrived (NEAR the depot) — colis arrivé`, ReceivedAt: time.Now()}})
	require.NoError(t, err)
	return s, w.ID
}

// TestInboxSearchSyntaxIsWords: what people type is read as words on both
// databases; query syntax never makes the search fail.
func TestInboxSearchSyntaxIsWords(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s, ws := inboxSearchStore(t, d)
			for _, q := range searchSeeds {
				_, err := s.Messages(context.Background(), ws, store.MessageFilter{Search: q})
				require.NoError(t, err, "%q", q)
			}
			got, err := s.Messages(context.Background(), ws, store.MessageFilter{Search: `"parcel" never`})
			require.NoError(t, err)
			require.Len(t, got, 1, "quotes are not phrase syntax: the words are found")
		})
	}
}

// FuzzInboxSearch: no typed search makes SQLite's full-text query fail.
func FuzzInboxSearch(f *testing.F) {
	for _, q := range searchSeeds {
		f.Add(q)
	}
	s, ws := inboxSearchStore(f, "sqlite")
	f.Fuzz(func(t *testing.T, q string) {
		if strings.IndexByte(q, 0) >= 0 {
			t.Skip("the API and the web refuse NUL before the store")
		}
		_, err := s.Messages(context.Background(), ws, store.MessageFilter{Search: q, Limit: 5})
		require.NoError(t, err, "%q", q)
	})
}
