package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/relais/relais/internal/auth"
	"github.com/relais/relais/internal/listen"
)

func init() {
	extraRoutes = append(extraRoutes, func(h *Handler) {
		op := func(method, path, id, summary string, status int) huma.Operation {
			return huma.Operation{OperationID: id, Method: method, Path: "/api/v1" + path, Summary: summary, Tags: []string{"Listening"},
				DefaultStatus: status, MaxBodyBytes: 16 << 10}
		}
		huma.Register(h.api, op(http.MethodGet, "/listen/feeds", "list-listen-feeds", "The website feeds (RSS, Atom, JSON Feed) the workspace listens to", 200), h.listListenFeeds)
		huma.Register(h.api, op(http.MethodPost, "/listen/feeds", "create-listen-feed", "Listen to a website feed: its items that match the queries become mentions", 201), h.createListenFeed)
		huma.Register(h.api, op(http.MethodPost, "/listen/feeds/poll", "poll-listen-feeds", "Read the workspace's website feeds now (they are read every 15 minutes)", 200), h.pollListenFeeds)
		huma.Register(h.api, op(http.MethodPost, "/listen/search", "run-listen-search", "Run the queries through the search of the workspace's connected X, YouTube, Threads and Instagram channels (each search at most at its network's interval)", 200), h.runListenSearch)
		huma.Register(h.api, op(http.MethodDelete, "/listen/feeds/{id}", "delete-listen-feed", "Stop listening to a website feed (its mentions stay)", 204), h.deleteListenFeed)
	})
}

// ListenFeedsOutput lists feeds.
type ListenFeedsOutput struct {
	Body struct {
		Feeds []listen.Feed `json:"feeds"`
	}
}

func (h *Handler) listListenFeeds(ctx context.Context, _ *struct{}) (*ListenFeedsOutput, error) {
	p, err := h.need(ctx, auth.ActView)
	if err != nil {
		return nil, err
	}
	fs, err := h.listen().Feeds(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	out := &ListenFeedsOutput{}
	out.Body.Feeds = fs
	return out, nil
}

// CreateListenFeedInput is a feed's address.
type CreateListenFeedInput struct {
	Body struct {
		URL string `json:"url" maxLength:"2048" doc:"The http(s) address of an RSS, Atom or JSON feed"`
	}
}

// ListenFeedOutput is one feed.
type ListenFeedOutput struct {
	Body listen.Feed
}

func (h *Handler) createListenFeed(ctx context.Context, in *CreateListenFeedInput) (*ListenFeedOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	f, err := h.listen().AddFeed(ctx, p.Workspace.ID, in.Body.URL)
	if err != nil {
		return nil, h.fail(err)
	}
	return &ListenFeedOutput{Body: f}, nil
}

// PollListenFeedsOutput is what a poll read.
type PollListenFeedsOutput struct {
	Body listen.FeedPollResult
}

func (h *Handler) pollListenFeeds(ctx context.Context, _ *struct{}) (*PollListenFeedsOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	res, err := h.listen().PollFeeds(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &PollListenFeedsOutput{Body: res}, nil
}

func (h *Handler) deleteListenFeed(ctx context.Context, in *IDInput) (*struct{}, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	if err := h.listen().DeleteFeed(ctx, p.Workspace.ID, in.ID); err != nil {
		return nil, h.fail(err)
	}
	return nil, nil
}

// ListenSearchOutput is what a round of network searches read.
type ListenSearchOutput struct {
	Body listen.SearchResult
}

func (h *Handler) runListenSearch(ctx context.Context, _ *struct{}) (*ListenSearchOutput, error) {
	p, err := h.need(ctx, auth.ActCompose)
	if err != nil {
		return nil, err
	}
	res, err := h.listen().PollSearch(ctx, p.Workspace.ID)
	if err != nil {
		return nil, h.fail(err)
	}
	return &ListenSearchOutput{Body: res}, nil
}
