package api_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/client"
)

// TestPostLanguageAPI: the API takes the post's language and shows it back;
// a value that is not a language code is refused naming the field.
func TestPostLanguageAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "poster"})
	require.NoError(t, err)
	chID := idStr(ch.ID)
	var post struct {
		Language string `json:"language"`
		Variants []struct {
			Options map[string]string `json:"options"`
		} `json:"variants"`
	}
	require.Equal(t, 201, send(t, e, e.tokA, "POST", "/posts", "application/json",
		`{"text":"Nouvelle collection","language":"fr","variants":[{"channel_id":`+chID+`}]}`, &post))
	require.Equal(t, "fr", post.Language)
	require.Equal(t, "fr", post.Variants[0].Options["language"])

	var prob struct {
		Error struct{ Code, Field, Message string } `json:"error"`
	}
	require.Equal(t, 422, send(t, e, e.tokA, "POST", "/posts", "application/json",
		`{"text":"Hallo","language":"deutsch","variants":[{"channel_id":`+chID+`}]}`, &prob))
	require.Equal(t, "language", prob.Error.Field)
	require.Contains(t, prob.Error.Message, "2 or 3 letters")
}

// TestLabelsAPI: the workspace's labels, with how many posts carry each, for
// suggestions; another workspace's token does not see them.
func TestLabelsAPI(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	ch, err := e.a.ConnectChannel(ctx, string(apiTestKind), map[string]string{"name": "poster"})
	require.NoError(t, err)
	chID := idStr(ch.ID)
	for _, body := range []string{
		`{"text":"a","labels":[{"key":"theme","value":"launch"},{"key":"target_group","value":"students"}],"variants":[{"channel_id":` + chID + `}]}`,
		`{"text":"b","labels":[{"key":"theme","value":"launch"}],"variants":[{"channel_id":` + chID + `}]}`,
	} {
		require.Equal(t, 201, send(t, e, e.tokA, "POST", "/posts", "application/json", body, nil))
	}
	var out struct {
		Labels []struct {
			Key, Value string
			Posts      int
		} `json:"labels"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "GET", "/labels", "", "", &out))
	require.Len(t, out.Labels, 2)
	require.Equal(t, "target_group", out.Labels[0].Key)
	require.Equal(t, "theme", out.Labels[1].Key)
	require.Equal(t, "launch", out.Labels[1].Value)
	require.Equal(t, 2, out.Labels[1].Posts)
	require.Equal(t, 200, send(t, e, e.tokB, "GET", "/labels", "", "", &out))
	require.Empty(t, out.Labels)

	// The Go client reads the same.
	got, err := e.a.Labels(ctx)
	require.NoError(t, err)
	require.Equal(t, []client.LabelUse{{Key: "target_group", Value: "students", Posts: 1}, {Key: "theme", Value: "launch", Posts: 2}}, got)
}

// TestCoachAPINamesConnectedNetworksInTheAskedLanguage: the coach's
// suggestions name only the token's workspace's networks, in message_lang.
func TestCoachAPINamesConnectedNetworksInTheAskedLanguage(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	var rep struct {
		Rules []struct{ Rule, Suggestion string } `json:"rules"`
	}
	require.Equal(t, 200, send(t, e, e.tokA, "POST", "/coach", "application/json",
		`{"text":"New socks are in. Soft, warm and cheap. #cosy","media":0,"channels":1,"message_lang":"fr"}`, &rep))
	for _, r := range rep.Rules {
		require.NotContains(t, r.Suggestion, "Instagram", r.Rule)
		require.NotContains(t, r.Suggestion, "TikTok", r.Rule)
		if r.Rule == "easy_to_share" {
			require.Equal(t, "Joignez une image ou une courte vidéo : les posts visuels sont plus partagés.", r.Suggestion)
		}
	}
}
