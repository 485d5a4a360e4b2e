-- name: CreateLink
INSERT INTO links (workspace_id, code, target_url, title, post_id, campaign_id, network,
    utm_source, utm_medium, utm_campaign, utm_content, utm_term, source_key, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id;

-- name: LinkBySource
SELECT id, workspace_id, code, target_url, title, post_id, campaign_id, network,
    utm_source, utm_medium, utm_campaign, utm_content, utm_term, source_key, created_by, created_at
FROM links WHERE workspace_id = $1 AND source_key = $2;

-- name: Link
SELECT id, workspace_id, code, target_url, title, post_id, campaign_id, network,
    utm_source, utm_medium, utm_campaign, utm_content, utm_term, source_key, created_by, created_at
FROM links WHERE workspace_id = $1 AND id = $2;

-- name: LinkByCode
SELECT id, workspace_id, code, target_url, title, post_id, campaign_id, network,
    utm_source, utm_medium, utm_campaign, utm_content, utm_term, source_key, created_by, created_at
FROM links WHERE code = $1;

-- name: Links
SELECT l.id, l.workspace_id, l.code, l.target_url, l.title, l.post_id, l.campaign_id, l.network,
    l.utm_source, l.utm_medium, l.utm_campaign, l.utm_content, l.utm_term, l.source_key, l.created_by, l.created_at,
    COALESCE(SUM(CASE WHEN c.bot = '' THEN 1 ELSE 0 END), 0),
    COUNT(DISTINCT CASE WHEN c.bot = '' THEN c.visitor END),
    COALESCE(SUM(CASE WHEN c.bot <> '' THEN 1 ELSE 0 END), 0)
FROM links l LEFT JOIN link_clicks c ON c.link_id = l.id
WHERE l.workspace_id = $1 AND ($2::bigint = 0 OR l.id = $2) AND ($3::bigint = 0 OR l.post_id = $3)
  AND ($4::bigint = 0 OR l.campaign_id = $4 OR l.post_id IN (SELECT post_id FROM campaign_posts WHERE campaign_id = $4))
GROUP BY l.id ORDER BY l.id DESC LIMIT $5;

-- name: DeleteLink
DELETE FROM links WHERE workspace_id = $1 AND id = $2;

-- name: RecordClick
INSERT INTO link_clicks (link_id, workspace_id, at, visitor, referrer_host, country, device, bot)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)

-- name: CountClicks
SELECT COALESCE(SUM(CASE WHEN c.bot = '' THEN 1 ELSE 0 END), 0),
    COUNT(DISTINCT CASE WHEN c.bot = '' THEN c.visitor END),
    COALESCE(SUM(CASE WHEN c.bot <> '' THEN 1 ELSE 0 END), 0)
FROM link_clicks c JOIN links l ON l.id = c.link_id
WHERE c.workspace_id = $1 AND c.at >= $5 AND c.at < $6 AND ($2::bigint = 0 OR l.id = $2) AND ($3::bigint = 0 OR l.post_id = $3)
  AND ($4::bigint = 0 OR l.campaign_id = $4 OR l.post_id IN (SELECT post_id FROM campaign_posts WHERE campaign_id = $4));

-- name: ClickBreakdown
SELECT CASE $7::text
        WHEN 'day' THEN to_char(to_timestamp(c.at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
        WHEN 'referrer' THEN c.referrer_host
        WHEN 'device' THEN c.device
        WHEN 'bot' THEN c.bot
        WHEN 'post' THEN COALESCE(CAST(l.post_id AS TEXT), '')
        ELSE CAST(c.link_id AS TEXT) END AS k,
    COALESCE(SUM(CASE WHEN c.bot = '' THEN 1 ELSE 0 END), 0),
    COUNT(DISTINCT CASE WHEN c.bot = '' THEN c.visitor END),
    COALESCE(SUM(CASE WHEN c.bot <> '' THEN 1 ELSE 0 END), 0)
FROM link_clicks c JOIN links l ON l.id = c.link_id
WHERE c.workspace_id = $1 AND c.at >= $5 AND c.at < $6 AND ($2::bigint = 0 OR l.id = $2) AND ($3::bigint = 0 OR l.post_id = $3)
  AND ($4::bigint = 0 OR l.campaign_id = $4 OR l.post_id IN (SELECT post_id FROM campaign_posts WHERE campaign_id = $4))
GROUP BY k ORDER BY k;

-- name: CreateCampaign
INSERT INTO campaigns (workspace_id, name, description, starts_at, ends_at, goals, budget_cents, currency, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id;

-- name: UpdateCampaign
UPDATE campaigns SET name = $1, description = $2, starts_at = $3, ends_at = $4, goals = $5, budget_cents = $6, currency = $7
WHERE workspace_id = $8 AND id = $9;

-- name: Campaign
SELECT id, workspace_id, name, description, starts_at, ends_at, goals, budget_cents, currency, created_by, created_at
FROM campaigns WHERE workspace_id = $1 AND id = $2;

-- name: Campaigns
SELECT id, workspace_id, name, description, starts_at, ends_at, goals, budget_cents, currency, created_by, created_at
FROM campaigns WHERE workspace_id = $1 ORDER BY id DESC;

-- name: DeleteCampaign
DELETE FROM campaigns WHERE workspace_id = $1 AND id = $2;

-- name: AttachCampaignPost
INSERT INTO campaign_posts (campaign_id, post_id, workspace_id)
SELECT c.id, p.id, c.workspace_id FROM campaigns c JOIN posts p ON p.workspace_id = c.workspace_id
WHERE c.workspace_id = $1 AND c.id = $2 AND p.id = $3
ON CONFLICT (campaign_id, post_id) DO NOTHING;

-- name: CampaignPostExists
SELECT COUNT(*) FROM campaigns c JOIN posts p ON p.workspace_id = c.workspace_id
WHERE c.workspace_id = $1 AND c.id = $2 AND p.id = $3;

-- name: DetachCampaignPost
DELETE FROM campaign_posts WHERE workspace_id = $1 AND campaign_id = $2 AND post_id = $3;

-- name: CampaignPostIDs
SELECT post_id FROM campaign_posts WHERE workspace_id = $1 AND campaign_id = $2 ORDER BY post_id;

-- name: PostCampaignIDs
SELECT campaign_id FROM campaign_posts WHERE workspace_id = $1 AND post_id = $2 ORDER BY campaign_id;

-- name: LinkSettings
SELECT auto_shorten, utm_templates, updated_at FROM link_settings WHERE workspace_id = $1;

-- name: SaveLinkSettings
INSERT INTO link_settings (workspace_id, auto_shorten, utm_templates, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (workspace_id) DO UPDATE SET auto_shorten = excluded.auto_shorten,
    utm_templates = excluded.utm_templates, updated_at = excluded.updated_at;

-- name: BioPage
SELECT enabled, title, description, avatar_url, avatar_media_id, background, foreground, accent, lang, items, show_channels, recent_posts, updated_at
FROM bio_pages WHERE workspace_id = $1;

-- name: SaveBioPage
INSERT INTO bio_pages (workspace_id, enabled, title, description, avatar_url, avatar_media_id, background, foreground, accent, lang, items,
    show_channels, recent_posts, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
ON CONFLICT (workspace_id) DO UPDATE SET enabled = excluded.enabled, title = excluded.title,
    description = excluded.description, avatar_url = excluded.avatar_url, avatar_media_id = excluded.avatar_media_id, background = excluded.background,
    foreground = excluded.foreground, accent = excluded.accent, lang = excluded.lang, items = excluded.items,
    show_channels = excluded.show_channels, recent_posts = excluded.recent_posts, updated_at = excluded.updated_at;

-- name: RecentPublished
SELECT pb.id, pb.post_id, pb.network, pb.url, COALESCE(NULLIF(v.text, ''), p.text), COALESCE(pb.published_at, pb.updated_at)
FROM publications pb JOIN posts p ON p.id = pb.post_id JOIN variants v ON v.id = pb.variant_id
WHERE pb.workspace_id = $1 AND pb.state = 'published' AND pb.url <> ''
ORDER BY COALESCE(pb.published_at, pb.updated_at) DESC, pb.id DESC LIMIT $2;
