package link

import (
	"testing"

	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

func TestExpandUTM(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		tpl  map[string]string
		vars Vars
		want store.UTM
	}{
		{"defaults", DefaultTemplates, Vars{Network: "mastodon", Campaign: "Spring Sale 2026", PostID: 42},
			store.UTM{Source: "mastodon", Medium: "social", Campaign: "spring-sale-2026", Content: "42"}},
		{"unknown values leave their parameter out", DefaultTemplates, Vars{Network: "bluesky"},
			store.UTM{Source: "bluesky", Medium: "social"}},
		{"mixed text and placeholders", map[string]string{"utm_source": "relais-{network}", "utm_term": "c{campaign_id}-{channel}"},
			Vars{Network: "telegram", CampaignID: 7, Channel: "12"}, store.UTM{Source: "relais-telegram", Term: "c7-12"}},
	} {
		require.Equal(t, tc.want, ExpandUTM(tc.tpl, tc.vars), tc.name)
	}
}

func TestCheckTemplates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		tpl         map[string]string
		field, code string
	}{
		{map[string]string{"utm_source": "{network}", "utm_medium": "social"}, "", ""},
		{map[string]string{"utm_foo": "x"}, "utm_templates.utm_foo", "unknown"},
		{map[string]string{"utm_source": "{netwrk}"}, "utm_templates.utm_source", "placeholder"},
		{map[string]string{"utm_term": string(make([]byte, 201))}, "utm_templates.utm_term", "too_long"},
	} {
		err := CheckTemplates(tc.tpl)
		if tc.code == "" {
			require.NoError(t, err)
			continue
		}
		requireInvalid(t, err, tc.field, tc.code)
	}
}

func TestDestination(t *testing.T) {
	t.Parallel()
	utm := store.UTM{Source: "mastodon", Medium: "social", Campaign: "spring"}
	for _, tc := range []struct {
		target string
		utm    store.UTM
		want   string
	}{
		{"https://shop.example/a", utm, "https://shop.example/a?utm_campaign=spring&utm_medium=social&utm_source=mastodon"},
		{"https://shop.example/a?id=3&utm_source=newsletter#top", utm, "https://shop.example/a?id=3&utm_campaign=spring&utm_medium=social&utm_source=newsletter#top"},
		{"https://shop.example/a?x=1", store.UTM{}, "https://shop.example/a?x=1"},
	} {
		require.Equal(t, tc.want, Destination(store.Link{TargetURL: tc.target, UTM: tc.utm}), tc.target)
	}
}
