-- name: ChannelFeed
SELECT pub.id, pub.post_id, p.text, p.link, v.text, v.link, v.media, pub.remote_id, pub.url, pub.published_at, pub.updated_at,
       (SELECT coalesce(json_agg(json_build_object('key', l.key, 'value', l.value) ORDER BY l.key, l.value), '[]'::json)
          FROM post_labels l WHERE l.post_id = pub.post_id)::text
FROM publications pub
JOIN posts p ON p.id = pub.post_id
JOIN variants v ON v.id = pub.variant_id
WHERE pub.workspace_id = $1 AND pub.channel_id = $2 AND pub.state = 'published'
ORDER BY pub.published_at DESC, pub.id DESC
LIMIT $3;
