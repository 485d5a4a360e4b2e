-- name: ChannelFeed
SELECT pub.id, pub.post_id, p.text, p.link, v.text, v.link, v.media, pub.remote_id, pub.url, pub.published_at, pub.updated_at,
       (SELECT json_group_array(json_object('key', l.key, 'value', l.value))
          FROM (SELECT key, value FROM post_labels WHERE post_id = pub.post_id ORDER BY key, value) l)
FROM publications pub
JOIN posts p ON p.id = pub.post_id
JOIN variants v ON v.id = pub.variant_id
WHERE pub.workspace_id = ? AND pub.channel_id = ? AND pub.state = 'published'
ORDER BY pub.published_at DESC, pub.id DESC
LIMIT ?;
