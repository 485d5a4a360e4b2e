-- name: CreateLink
INSERT INTO links (workspace_id, code, target_url, title, post_id, campaign_id, network,
    utm_source, utm_medium, utm_campaign, utm_content, utm_term, source_key, created_by, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: LinkBySource
SELECT id, workspace_id, code, target_url, title, post_id, campaign_id, network,
    utm_source, utm_medium, utm_campaign, utm_content, utm_term, source_key, created_by, created_at
FROM links WHERE workspace_id = ? AND source_key = ?;

-- name: Link
SELECT id, workspace_id, code, target_url, title, post_id, campaign_id, network,
    utm_source, utm_medium, utm_campaign, utm_content, utm_term, source_key, created_by, created_at
FROM links WHERE workspace_id = ? AND id = ?;

-- name: LinkByCode
SELECT id, workspace_id, code, target_url, title, post_id, campaign_id, network,
    utm_source, utm_medium, utm_campaign, utm_content, utm_term, source_key, created_by, created_at
FROM links WHERE code = ?;

-- name: Links
SELECT l.id, l.workspace_id, l.code, l.target_url, l.title, l.post_id, l.campaign_id, l.network,
    l.utm_source, l.utm_medium, l.utm_campaign, l.utm_content, l.utm_term, l.source_key, l.created_by, l.created_at,
    COALESCE(SUM(CASE WHEN c.bot = '' THEN 1 ELSE 0 END), 0),
    COUNT(DISTINCT CASE WHEN c.bot = '' THEN c.visitor END),
    COALESCE(SUM(CASE WHEN c.bot <> '' THEN 1 ELSE 0 END), 0)
FROM links l LEFT JOIN link_clicks c ON c.link_id = l.id
WHERE l.workspace_id = ?1 AND (?2 = 0 OR l.id = ?2) AND (?3 = 0 OR l.post_id = ?3)
  AND (?4 = 0 OR l.campaign_id = ?4 OR l.post_id IN (SELECT post_id FROM campaign_posts WHERE campaign_id = ?4))
GROUP BY l.id ORDER BY l.id DESC LIMIT ?5;

-- name: DeleteLink
DELETE FROM links WHERE workspace_id = ? AND id = ?;

-- name: RecordClick
INSERT INTO link_clicks (link_id, workspace_id, at, visitor, referrer_host, country, device, bot)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)

-- name: CountClicks
SELECT COALESCE(SUM(CASE WHEN c.bot = '' THEN 1 ELSE 0 END), 0),
    COUNT(DISTINCT CASE WHEN c.bot = '' THEN c.visitor END),
    COALESCE(SUM(CASE WHEN c.bot <> '' THEN 1 ELSE 0 END), 0)
FROM link_clicks c JOIN links l ON l.id = c.link_id
WHERE c.workspace_id = ?1 AND c.at >= ?5 AND c.at < ?6 AND (?2 = 0 OR l.id = ?2) AND (?3 = 0 OR l.post_id = ?3)
  AND (?4 = 0 OR l.campaign_id = ?4 OR l.post_id IN (SELECT post_id FROM campaign_posts WHERE campaign_id = ?4));

-- name: ClickBreakdown
SELECT CASE ?7
        WHEN 'day' THEN strftime('%Y-%m-%d', c.at / 1000, 'unixepoch')
        WHEN 'referrer' THEN c.referrer_host
        WHEN 'device' THEN c.device
        WHEN 'bot' THEN c.bot
        WHEN 'post' THEN COALESCE(CAST(l.post_id AS TEXT), '')
        ELSE CAST(c.link_id AS TEXT) END AS k,
    COALESCE(SUM(CASE WHEN c.bot = '' THEN 1 ELSE 0 END), 0),
    COUNT(DISTINCT CASE WHEN c.bot = '' THEN c.visitor END),
    COALESCE(SUM(CASE WHEN c.bot <> '' THEN 1 ELSE 0 END), 0)
FROM link_clicks c JOIN links l ON l.id = c.link_id
WHERE c.workspace_id = ?1 AND c.at >= ?5 AND c.at < ?6 AND (?2 = 0 OR l.id = ?2) AND (?3 = 0 OR l.post_id = ?3)
  AND (?4 = 0 OR l.campaign_id = ?4 OR l.post_id IN (SELECT post_id FROM campaign_posts WHERE campaign_id = ?4))
GROUP BY k ORDER BY k;

-- name: CreateCampaign
INSERT INTO campaigns (workspace_id, name, description, starts_at, ends_at, goals, budget_cents, currency, created_by, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: UpdateCampaign
UPDATE campaigns SET name = ?, description = ?, starts_at = ?, ends_at = ?, goals = ?, budget_cents = ?, currency = ?
WHERE workspace_id = ? AND id = ?;

-- name: Campaign
SELECT id, workspace_id, name, description, starts_at, ends_at, goals, budget_cents, currency, created_by, created_at
FROM campaigns WHERE workspace_id = ? AND id = ?;

-- name: Campaigns
SELECT id, workspace_id, name, description, starts_at, ends_at, goals, budget_cents, currency, created_by, created_at
FROM campaigns WHERE workspace_id = ? ORDER BY id DESC;

-- name: DeleteCampaign
DELETE FROM campaigns WHERE workspace_id = ? AND id = ?;

-- name: AttachCampaignPost
INSERT INTO campaign_posts (campaign_id, post_id, workspace_id)
SELECT c.id, p.id, c.workspace_id FROM campaigns c JOIN posts p ON p.workspace_id = c.workspace_id
WHERE c.workspace_id = ? AND c.id = ? AND p.id = ?
ON CONFLICT (campaign_id, post_id) DO NOTHING;

-- name: CampaignPostExists
SELECT COUNT(*) FROM campaigns c JOIN posts p ON p.workspace_id = c.workspace_id
WHERE c.workspace_id = ? AND c.id = ? AND p.id = ?;

-- name: DetachCampaignPost
DELETE FROM campaign_posts WHERE workspace_id = ? AND campaign_id = ? AND post_id = ?;

-- name: CampaignPostIDs
SELECT post_id FROM campaign_posts WHERE workspace_id = ? AND campaign_id = ? ORDER BY post_id;

-- name: PostCampaignIDs
SELECT campaign_id FROM campaign_posts WHERE workspace_id = ? AND post_id = ? ORDER BY campaign_id;

-- name: LinkSettings
SELECT auto_shorten, utm_templates, updated_at FROM link_settings WHERE workspace_id = ?;

-- name: SaveLinkSettings
INSERT INTO link_settings (workspace_id, auto_shorten, utm_templates, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (workspace_id) DO UPDATE SET auto_shorten = excluded.auto_shorten,
    utm_templates = excluded.utm_templates, updated_at = excluded.updated_at;

-- name: BioPage
SELECT enabled, title, description, avatar_url, avatar_media_id, background, foreground, accent, lang, items, show_channels, recent_posts, updated_at
FROM bio_pages WHERE workspace_id = ?;

-- name: SaveBioPage
INSERT INTO bio_pages (workspace_id, enabled, title, description, avatar_url, avatar_media_id, background, foreground, accent, lang, items,
    show_channels, recent_posts, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (workspace_id) DO UPDATE SET enabled = excluded.enabled, title = excluded.title,
    description = excluded.description, avatar_url = excluded.avatar_url, avatar_media_id = excluded.avatar_media_id, background = excluded.background,
    foreground = excluded.foreground, accent = excluded.accent, lang = excluded.lang, items = excluded.items,
    show_channels = excluded.show_channels, recent_posts = excluded.recent_posts, updated_at = excluded.updated_at;

-- name: RecentPublished
SELECT pb.id, pb.post_id, pb.network, pb.url, COALESCE(NULLIF(v.text, ''), p.text), COALESCE(pb.published_at, pb.updated_at)
FROM publications pb JOIN posts p ON p.id = pb.post_id JOIN variants v ON v.id = pb.variant_id
WHERE pb.workspace_id = ? AND pb.state = 'published' AND pb.url <> ''
ORDER BY COALESCE(pb.published_at, pb.updated_at) DESC, pb.id DESC LIMIT ?;
