-- name: CreateListenQuery
INSERT INTO listen_queries (workspace_id, name, spec, paused, created_by, created_at)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id;

-- name: UpdateListenQuery
UPDATE listen_queries SET name = ?3, spec = ?4, paused = ?5 WHERE workspace_id = ?1 AND id = ?2;

-- name: ListenQuery
SELECT id, workspace_id, name, spec, paused, created_by, created_at
FROM listen_queries WHERE workspace_id = ? AND id = ?;

-- name: ListenQueries
SELECT id, workspace_id, name, spec, paused, created_by, created_at
FROM listen_queries WHERE workspace_id = ? ORDER BY name, id;

-- name: DeleteListenQuery
DELETE FROM listen_queries WHERE workspace_id = ? AND id = ?;

-- name: ActiveListenQueries
SELECT id, workspace_id, name, spec, paused, created_by, created_at
FROM listen_queries WHERE paused = 0 ORDER BY workspace_id, id;

-- name: InsertMention
INSERT INTO listen_mentions (workspace_id, network, remote_id, url, author, author_name, author_followers,
    text, lang, sentiment, compound, themes, posted_at, received_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id, network, remote_id) DO NOTHING RETURNING id;

-- name: MentionIDByRemote
SELECT id FROM listen_mentions WHERE workspace_id = ? AND network = ? AND remote_id = ?;

-- name: LinkMentionQuery
-- Only a query of the mention's workspace is linked.
INSERT INTO listen_mention_queries (mention_id, query_id, workspace_id)
SELECT ?1, q.id, q.workspace_id FROM listen_queries q WHERE q.id = ?2 AND q.workspace_id = ?3
ON CONFLICT DO NOTHING;

-- name: Mention
SELECT m.id, m.workspace_id, m.network, m.remote_id, m.url, m.author, m.author_name, m.author_followers,
    m.text, m.lang, m.sentiment, m.compound, m.themes, m.posted_at, m.received_at, m.conversation_id,
    COALESCE((SELECT group_concat(query_id, ',') FROM listen_mention_queries WHERE mention_id = m.id), '')
FROM listen_mentions m WHERE m.workspace_id = ? AND m.id = ?;

-- name: Mentions
SELECT m.id, m.workspace_id, m.network, m.remote_id, m.url, m.author, m.author_name, m.author_followers,
    m.text, m.lang, m.sentiment, m.compound, m.themes, m.posted_at, m.received_at, m.conversation_id,
    COALESCE((SELECT group_concat(query_id, ',') FROM listen_mention_queries WHERE mention_id = m.id), '')
FROM listen_mentions m
WHERE m.workspace_id = ?1 AND (?2 = 0 OR m.id IN (SELECT mention_id FROM listen_mention_queries WHERE query_id = ?2))
  AND m.posted_at >= ?3 AND m.posted_at < ?4 AND (?5 = 0 OR m.id < ?5)
ORDER BY m.id DESC LIMIT ?6;

-- name: MentionVolume
SELECT q.query_id, m.posted_at / 86400000, COUNT(*),
    SUM(CASE WHEN m.sentiment = 'positive' THEN 1 ELSE 0 END),
    SUM(CASE WHEN m.sentiment = 'negative' THEN 1 ELSE 0 END),
    SUM(m.author_followers)
FROM listen_mentions m JOIN listen_mention_queries q ON q.mention_id = m.id
WHERE m.workspace_id = ?1 AND m.posted_at >= ?2 AND m.posted_at < ?3
GROUP BY q.query_id, m.posted_at / 86400000 ORDER BY 2, 1;

-- name: SetMentionConversation
UPDATE listen_mentions SET conversation_id = ?3 WHERE workspace_id = ?1 AND id = ?2;

-- name: ListenCursor
SELECT cursor FROM listen_cursors WHERE source = ?;

-- name: SetListenCursor
INSERT INTO listen_cursors (source, cursor, updated_at) VALUES (?, ?, ?)
ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at;

-- name: CreateCompetitorPanel
INSERT INTO competitor_panels (workspace_id, name, created_at) VALUES (?, ?, ?) RETURNING id;

-- name: CompetitorPanel
SELECT id, workspace_id, name, created_at FROM competitor_panels WHERE workspace_id = ? AND id = ?;

-- name: CompetitorPanels
SELECT id, workspace_id, name, created_at FROM competitor_panels WHERE workspace_id = ? ORDER BY name, id;

-- name: DeleteCompetitorPanel
DELETE FROM competitor_panels WHERE workspace_id = ? AND id = ?;

-- name: CompetitorAccounts
SELECT id, panel_id, workspace_id, brand, network, handle FROM competitor_accounts
WHERE workspace_id = ? AND panel_id = ? ORDER BY brand, network, id;

-- name: AddCompetitorAccount
-- Only into a panel of the workspace: no row is written otherwise.
INSERT INTO competitor_accounts (panel_id, workspace_id, brand, network, handle)
SELECT p.id, p.workspace_id, ?3, ?4, ?5 FROM competitor_panels p WHERE p.id = ?2 AND p.workspace_id = ?1
RETURNING id;

-- name: DeleteCompetitorAccount
DELETE FROM competitor_accounts WHERE workspace_id = ? AND id = ?;

-- name: AllCompetitorAccounts
SELECT id, panel_id, workspace_id, brand, network, handle FROM competitor_accounts ORDER BY workspace_id, id;

-- name: SaveCompetitorDay
INSERT INTO competitor_days (account_id, day, workspace_id, followers, posts, posts_week, engagement_post,
    top_post_url, top_post_eng, formats, hashtags, taken_at)
SELECT a.id, ?3, a.workspace_id, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12 FROM competitor_accounts a WHERE a.id = ?2 AND a.workspace_id = ?1
ON CONFLICT (account_id, day) DO UPDATE SET followers = excluded.followers, posts = excluded.posts,
    posts_week = excluded.posts_week, engagement_post = excluded.engagement_post, top_post_url = excluded.top_post_url,
    top_post_eng = excluded.top_post_eng, formats = excluded.formats, hashtags = excluded.hashtags, taken_at = excluded.taken_at;

-- name: CompetitorDays
SELECT d.account_id, d.workspace_id, d.day, d.followers, d.posts, d.posts_week, d.engagement_post,
    d.top_post_url, d.top_post_eng, d.formats, d.hashtags, d.taken_at
FROM competitor_days d JOIN competitor_accounts a ON a.id = d.account_id
WHERE d.workspace_id = ?1 AND a.panel_id = ?2 AND d.day >= ?3 ORDER BY d.account_id, d.day;

-- name: CreateListenFeed
INSERT INTO listen_feeds (workspace_id, url, created_at) VALUES (?, ?, ?) RETURNING id;

-- name: ListenFeeds
SELECT id, workspace_id, url, title, etag, last_modified, checked_at, last_error, items, created_at
FROM listen_feeds WHERE workspace_id = ? ORDER BY url, id;

-- name: AllListenFeeds
SELECT id, workspace_id, url, title, etag, last_modified, checked_at, last_error, items, created_at
FROM listen_feeds ORDER BY workspace_id, id;

-- name: DeleteListenFeed
DELETE FROM listen_feeds WHERE workspace_id = ? AND id = ?;

-- name: SaveListenFeedCheck
UPDATE listen_feeds SET title = ?3, etag = ?4, last_modified = ?5, checked_at = ?6, last_error = ?7, items = items + ?8
WHERE workspace_id = ?1 AND id = ?2;

-- name: UseHashtag
INSERT INTO listen_hashtag_uses (channel_id, hashtag, first_used_at) VALUES (?1, ?2, ?3)
ON CONFLICT (channel_id, hashtag) DO UPDATE SET first_used_at =
    CASE WHEN listen_hashtag_uses.first_used_at < ?4 THEN excluded.first_used_at ELSE listen_hashtag_uses.first_used_at END;

-- name: HashtagsUsed
SELECT hashtag FROM listen_hashtag_uses WHERE channel_id = ? AND first_used_at >= ? ORDER BY hashtag;
