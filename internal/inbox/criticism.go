package inbox

import (
	"context"
	"time"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/valid"
)

// MaxCriticismLimit bounds how many messages one criticism report lists.
const MaxCriticismLimit = 500

// CriticismChannel is one channel's criticism left unanswered.
type CriticismChannel struct {
	ChannelID int64     `json:"channel_id"`
	Network   string    `json:"network"`
	Handle    string    `json:"handle" doc:"The channel's handle on its network"`
	Count     int64     `json:"count" doc:"Negative messages without a reply"`
	Oldest    time.Time `json:"oldest_received_at" doc:"When relais read the oldest of them"`
}

// CriticismReport is the criticism left unanswered: negative messages
// without a reply sent from the inbox, whatever their state (a closed or
// hidden complaint nobody answered is still unanswered).
type CriticismReport struct {
	Total     int64              `json:"total"`
	ByChannel []CriticismChannel `json:"by_channel" doc:"Per channel, the one waiting longest first"`
	// Messages are the oldest first.
	Messages []MessageView `json:"messages" doc:"The messages, oldest first, at most limit"`
}

// UnansweredCriticism reports the workspace's negative messages without a
// reply received since the time (zero: ever), per channel and oldest first;
// channelID (0: all) narrows the list, limit (0: 100) bounds it.
func (s *Service) UnansweredCriticism(ctx context.Context, p auth.Principal, channelID int64, since time.Time, limit int) (CriticismReport, error) {
	if err := can(p, auth.ActView); err != nil {
		return CriticismReport{}, err
	}
	if limit < 0 || limit > MaxCriticismLimit {
		return CriticismReport{}, valid.Errorf("limit", "range", "limit must be between 1 and %d; got %d", MaxCriticismLimit, limit).WithArgs(MaxCriticismLimit, limit)
	}
	if limit == 0 {
		limit = 100
	}
	ws := p.Workspace.ID
	if channelID != 0 {
		if _, err := s.Store.Channel(ctx, ws, channelID); err != nil {
			return CriticismReport{}, err
		}
	}
	counts, err := s.Store.UnansweredCriticismCounts(ctx, ws, since)
	if err != nil {
		return CriticismReport{}, err
	}
	chans, err := s.Store.Channels(ctx, ws)
	if err != nil {
		return CriticismReport{}, err
	}
	handles := map[int64][2]string{}
	for _, c := range chans {
		handles[c.ID] = [2]string{c.Network, c.Handle}
	}
	rep := CriticismReport{ByChannel: []CriticismChannel{}}
	for _, c := range counts {
		rep.Total += c.Count
		h := handles[c.ChannelID]
		rep.ByChannel = append(rep.ByChannel, CriticismChannel{ChannelID: c.ChannelID, Network: h[0], Handle: h[1], Count: c.Count, Oldest: c.Oldest})
	}
	ms, err := s.Store.UnansweredCriticism(ctx, ws, channelID, since, limit)
	if err != nil {
		return CriticismReport{}, err
	}
	rep.Messages = ViewsOf(ms)
	return rep, nil
}
