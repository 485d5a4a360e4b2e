-- name: ChannelFeed
SELECT pub.id, pub.post_id, p.text, p.link, v.text, v.link, v.media, pub.remote_id, pub.url, pub.published_at, pub.updated_at
FROM publications pub
JOIN posts p ON p.id = pub.post_id
JOIN variants v ON v.id = pub.variant_id
WHERE pub.workspace_id = $1 AND pub.channel_id = $2 AND pub.state = 'published'
ORDER BY pub.published_at DESC, pub.id DESC
LIMIT $3;

-- name: FeedPostLabels
SELECT key, value FROM post_labels WHERE post_id = $1 ORDER BY key, value;
