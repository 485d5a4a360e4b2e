-- +goose Up
-- Website feeds (RSS, Atom, JSON Feed) a workspace listens to: each is polled
-- with its validators (ETag, Last-Modified) and its items matched against the
-- workspace's queries.
CREATE TABLE listen_feeds (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    url           TEXT NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    etag          TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    checked_at    INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    items         INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    UNIQUE (workspace_id, url)
);

-- The hashtags a channel looked up through a network's hashtag search
-- (Instagram allows 30 different hashtags per account in 7 rolling days).
CREATE TABLE listen_hashtag_uses (
    channel_id   INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    hashtag      TEXT NOT NULL,
    first_used_at INTEGER NOT NULL,
    PRIMARY KEY (channel_id, hashtag)
);

-- +goose Down
DROP TABLE listen_hashtag_uses;
DROP TABLE listen_feeds;
