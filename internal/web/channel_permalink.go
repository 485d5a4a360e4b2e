package web

import (
	"context"
	"net/http"
)

// channelPermalink is the address in-app notifications give a channel,
// /channels/{id}: a member is sent to the channel list of the channel's
// workspace (where its status and reconnect button are); for anyone else
// the channel does not exist (404).
func (h *handler) channelPermalink(w http.ResponseWriter, r *http.Request) {
	h.permalink(w, r, func(ctx context.Context, wsID, id int64) error {
		_, err := h.d.Store.Channel(ctx, wsID, id)
		return err
	}, func(int64) string { return "/channels" })
}
