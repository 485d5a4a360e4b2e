package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/relais/relais/internal/network"
	_ "github.com/relais/relais/internal/network/pinterest"
	_ "github.com/relais/relais/internal/network/tiktok"
	"github.com/relais/relais/internal/store"
	"github.com/stretchr/testify/require"
)

// TestChannelPostOptions: a channel carries its own post options, so an API
// client can offer a Pinterest channel's boards and a TikTok creator's
// privacy levels (without a default) like the composer does.
func TestChannelPostOptions(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	pin := store.Channel{WorkspaceID: e.wsA.ID, Network: "pinterest", RemoteID: "p-1", Handle: "@brand", Status: store.ChannelOK,
		Settings: map[string]string{"boards": `[{"id":"11","name":"Recettes","sections":[{"id":"21","name":"Desserts"}]}]`}}
	tk := store.Channel{WorkspaceID: e.wsA.ID, Network: "tiktok", RemoteID: "t-1", Handle: "@brand", Status: store.ChannelOK,
		Settings: map[string]string{"privacy_level_options": "FOLLOWER_OF_CREATOR,SELF_ONLY", "comment_disabled": "true"}}
	require.NoError(t, e.st.CreateChannel(ctx, &pin))
	require.NoError(t, e.st.CreateChannel(ctx, &tk))
	get := func(id int64) map[string]network.Field {
		req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/api/v1/channels/"+idStr(id), nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+e.tokA)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		var ch struct {
			PostOptions []network.Field `json:"post_options"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&ch))
		out := map[string]network.Field{}
		for _, f := range ch.PostOptions {
			out[f.Name] = f
		}
		return out
	}
	board := get(pin.ID)["board"]
	require.Equal(t, []string{"", "11", "11/21"}, board.Options)
	require.Equal(t, []string{"—", "Recettes", "Recettes › Desserts"}, board.OptionLabels)
	opts := get(tk.ID)
	require.Equal(t, []string{"", "FOLLOWER_OF_CREATOR", "SELF_ONLY"}, opts["privacy_level"].Options)
	require.Equal(t, []string{"off"}, opts["allow_comment"].Options)
}
