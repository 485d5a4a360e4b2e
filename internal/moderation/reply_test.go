package moderation

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

func TestRender(t *testing.T) {
	t.Parallel()
	vals := map[string]string{"first_name": "Anna", "order_link": "https://shop.example/o/42", "author": "@anna"}
	for _, tc := range []struct {
		body, want, field, errText string
	}{
		{"Hi {first_name}, your order: {order_link}", "Hi Anna, your order: https://shop.example/o/42", "", ""},
		{"Bonjour {first_name} ! {first_name}", "Bonjour Anna ! Anna", "", ""},
		{"Literal {{braces}} stay", "Literal {braces} stay", "", ""},
		{"Hallo {author}", "Hallo @anna", "", ""},
		{"Hi {name}", "", "body", "Unknown placeholder {name}; known placeholders: {agent}, {author}"},
		{"Hi {first_name", "", "body", "not closed at character 4"},
		{"Hi } there", "", "body", "closing brace has no opening one at character 4"},
		{"Your agent: {agent}, channel {channel}", "", "values", "needs a value for {agent}, {channel}"},
	} {
		got, err := Render(tc.body, vals)
		if tc.errText == "" {
			require.NoError(t, err, tc.body)
			require.Equal(t, tc.want, got)
			continue
		}
		ve, ok := valid.As(err)
		require.True(t, ok, "%s: %v", tc.body, err)
		require.Equal(t, tc.field, ve.Field)
		require.Contains(t, ve.Message, tc.errText)
	}
}

func TestSavedReplyCheck(t *testing.T) {
	t.Parallel()
	r := store.SavedReply{Name: " Late parcel ", Lang: "FR", Body: "Bonjour {first_name}, voici le suivi : {order_link}"}
	require.NoError(t, CheckReply(&r))
	require.Equal(t, "Late parcel", r.Name)
	require.Equal(t, "fr", r.Lang)
	require.Equal(t, []string{"first_name", "order_link"}, Uses(r.Body))
	for _, tc := range []struct {
		r     store.SavedReply
		field string
	}{
		{store.SavedReply{Name: "", Lang: "en", Body: "x"}, "name"},
		{store.SavedReply{Name: "n", Lang: "es", Body: "x"}, "lang"},
		{store.SavedReply{Name: "n", Lang: "de", Body: " "}, "body"},
		{store.SavedReply{Name: "n", Lang: "de", Body: "Hallo {vorname}"}, "body"},
	} {
		ve, ok := valid.As(CheckReply(&tc.r))
		require.True(t, ok)
		require.Equal(t, tc.field, ve.Field)
	}
}

func TestMessageValues(t *testing.T) {
	t.Parallel()
	v := MessageValues(Message{Author: "@anna@social.example", Network: "mastodon"}, "Anna Schmidt", "Shop")
	require.Equal(t, map[string]string{"author": "@anna@social.example", "first_name": "Anna", "channel": "Shop", "network": "mastodon"}, v)
	require.Equal(t, "bob", MessageValues(Message{Author: "bob"}, "", "")["first_name"])
}

func FuzzRender(f *testing.F) {
	for _, s := range []string{"Hi {first_name}", "{{", "}}", "{", "}", "{order_link}{{x}}", "{agent"} {
		f.Add(s)
	}
	vals := map[string]string{}
	for _, p := range Placeholders {
		vals[p] = "V"
	}
	f.Fuzz(func(t *testing.T, body string) {
		out, err := Render(body, vals)
		if err != nil {
			if ve, ok := valid.As(err); !ok || ve.Field != "body" {
				t.Fatalf("%q: %v", body, err)
			}
			return
		}
		if len(out) > len(body)+len(body) {
			t.Fatalf("%q rendered longer than possible: %q", body, out)
		}
	})
}
