-- +goose Up
-- The inbox: comments, replies, mentions, quotes and direct messages read from
-- the channels, one row per remote message (deduplicated per channel).
CREATE TABLE inbox_messages (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    channel_id       INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    network          TEXT NOT NULL,
    remote_id        TEXT NOT NULL,
    parent_remote_id TEXT NOT NULL DEFAULT '',
    root_remote_id   TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL,
    author_id        TEXT NOT NULL DEFAULT '',
    author_handle    TEXT NOT NULL DEFAULT '',
    author_name      TEXT NOT NULL DEFAULT '',
    text             TEXT NOT NULL DEFAULT '',
    language         TEXT NOT NULL DEFAULT '',
    sentiment        TEXT NOT NULL DEFAULT '',
    sentiment_score  REAL NOT NULL DEFAULT 0,
    -- ",delivery,price," so that one theme is found with LIKE '%,price,%'.
    themes           TEXT NOT NULL DEFAULT '',
    -- ",vip,refund," likewise.
    labels           TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL DEFAULT 'open',
    assignee_id      INTEGER NOT NULL DEFAULT 0,
    priority         INTEGER NOT NULL DEFAULT 0,
    post_id          INTEGER NOT NULL DEFAULT 0,
    publication_id   INTEGER NOT NULL DEFAULT 0,
    url              TEXT NOT NULL DEFAULT '',
    answered         INTEGER NOT NULL DEFAULT 0,
    hidden           INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    received_at      INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (channel_id, remote_id)
);
-- The list's order; filters on top of it read the first page from its front.
CREATE INDEX inbox_messages_list ON inbox_messages(workspace_id, received_at DESC, id DESC);
CREATE INDEX inbox_messages_root ON inbox_messages(workspace_id, root_remote_id);

-- Keyword search: an external-content FTS5 index over the text and the author;
-- detail=none keeps only which rows hold a word (searches are words, all
-- required; no phrases), which makes every insert cheaper.
CREATE VIRTUAL TABLE inbox_messages_fts USING fts5(text, author_handle, content='inbox_messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2', detail='none');
-- +goose StatementBegin
CREATE TRIGGER inbox_messages_ai AFTER INSERT ON inbox_messages BEGIN
    INSERT INTO inbox_messages_fts(rowid, text, author_handle) VALUES (new.id, new.text, new.author_handle);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER inbox_messages_ad AFTER DELETE ON inbox_messages BEGIN
    INSERT INTO inbox_messages_fts(inbox_messages_fts, rowid, text, author_handle) VALUES ('delete', old.id, old.text, old.author_handle);
END;
-- +goose StatementEnd

CREATE TABLE inbox_notes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    message_id   INTEGER NOT NULL REFERENCES inbox_messages(id) ON DELETE CASCADE,
    author_id    INTEGER NOT NULL,
    text         TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX inbox_notes_message ON inbox_notes(message_id);

-- Who hid or deleted a message on its network, and why.
CREATE TABLE inbox_moderation_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    message_id   INTEGER NOT NULL REFERENCES inbox_messages(id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    action       TEXT NOT NULL,
    reason       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    error        TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE INDEX inbox_moderation_log_message ON inbox_moderation_log(message_id);

-- Replies sent from the inbox. The row is written (state 'sending') before the
-- remote call, so a crash leaves a trace that is checked on the network before
-- anything is sent again.
CREATE TABLE inbox_replies (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    message_id   INTEGER NOT NULL REFERENCES inbox_messages(id) ON DELETE CASCADE,
    channel_id   INTEGER NOT NULL,
    author_id    INTEGER NOT NULL,
    text         TEXT NOT NULL,
    idem_key     TEXT NOT NULL,
    state        TEXT NOT NULL,
    remote_id    TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER,
    UNIQUE (workspace_id, idem_key)
);
CREATE INDEX inbox_replies_message ON inbox_replies(message_id);
CREATE INDEX inbox_replies_state ON inbox_replies(state);

CREATE TABLE inbox_views (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    filter       TEXT NOT NULL,
    created_by   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

-- Where the last poll of a channel's mentions stopped.
CREATE TABLE inbox_cursors (
    channel_id   INTEGER PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
    workspace_id INTEGER NOT NULL,
    cursor       TEXT NOT NULL,
    polled_at    INTEGER NOT NULL
);

-- Threading looks up publications by their remote id.
CREATE INDEX publications_remote ON publications(channel_id, remote_id);

-- +goose Down
DROP INDEX publications_remote;
DROP TABLE inbox_cursors;
DROP TABLE inbox_views;
DROP TABLE inbox_replies;
DROP TABLE inbox_moderation_log;
DROP TABLE inbox_notes;
DROP TRIGGER inbox_messages_ad;
DROP TRIGGER inbox_messages_ai;
DROP TABLE inbox_messages_fts;
DROP TABLE inbox_messages;
