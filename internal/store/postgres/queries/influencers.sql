-- name: CreateInfluencer
INSERT INTO influencers (workspace_id, name, email, phone, consent, consent_at, country, language, tags, notes, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id;

-- name: UpdateInfluencer
UPDATE influencers SET name = $1, email = $2, phone = $3, consent = $4, consent_at = $5, country = $6, language = $7,
    tags = $8, notes = $9, updated_at = $10
WHERE workspace_id = $11 AND id = $12;

-- name: Influencer
SELECT id, workspace_id, name, email, phone, consent, consent_at, country, language, tags, notes, created_by, created_at, updated_at
FROM influencers WHERE workspace_id = $1 AND id = $2;

-- name: Influencers
SELECT i.id, i.workspace_id, i.name, i.email, i.phone, i.consent, i.consent_at, i.country, i.language, i.tags, i.notes,
    i.created_by, i.created_at, i.updated_at
FROM influencers i
WHERE i.workspace_id = $1
  AND ($2::text = '' OR lower(i.name) LIKE $2 OR lower(i.notes) LIKE $2
       OR EXISTS (SELECT 1 FROM influencer_accounts a WHERE a.influencer_id = i.id AND lower(a.handle) LIKE $2))
  AND ($3::text = '' OR i.tags LIKE $3)
ORDER BY lower(i.name), i.id LIMIT $4;

-- name: DeleteInfluencer
DELETE FROM influencers WHERE workspace_id = $1 AND id = $2;

-- name: AddInfluencerAccount
INSERT INTO influencer_accounts (workspace_id, influencer_id, network, handle, external_id, display_name, bio, avatar_url, profile_url,
    followers, following, posts)
SELECT $1, id, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::bigint, $11::bigint, $12::bigint FROM influencers WHERE workspace_id = $1 AND id = $2
RETURNING id;

-- name: SaveInfluencerProfile
UPDATE influencer_accounts SET external_id = $1, display_name = $2, bio = $3, avatar_url = $4, profile_url = $5,
    followers = $6, following = $7, posts = $8, collected_at = $9, collect_error = $10
WHERE workspace_id = $11 AND id = $12;

-- name: InfluencerAccount
SELECT id, workspace_id, influencer_id, network, handle, external_id, display_name, bio, avatar_url, profile_url,
    followers, following, posts, collected_at, collect_error
FROM influencer_accounts WHERE workspace_id = $1 AND id = $2;

-- name: InfluencerAccounts
SELECT id, workspace_id, influencer_id, network, handle, external_id, display_name, bio, avatar_url, profile_url,
    followers, following, posts, collected_at, collect_error
FROM influencer_accounts WHERE workspace_id = $1 AND ($2::bigint = 0 OR influencer_id = $2)
ORDER BY influencer_id, network, handle;

-- name: AllInfluencerAccounts
SELECT id, workspace_id, influencer_id, network, handle, external_id, display_name, bio, avatar_url, profile_url,
    followers, following, posts, collected_at, collect_error
FROM influencer_accounts WHERE collected_at IS NULL OR collected_at < $1
ORDER BY COALESCE(collected_at, 0), id LIMIT $2;

-- name: DeleteInfluencerAccount
DELETE FROM influencer_accounts WHERE workspace_id = $1 AND id = $2;

-- name: SaveInfluencerSnapshot
INSERT INTO influencer_snapshots (account_id, workspace_id, day, at, followers, following, posts)
SELECT id, workspace_id, $3::bigint, $4::bigint, $5::bigint, $6::bigint, $7::bigint FROM influencer_accounts WHERE workspace_id = $1 AND id = $2
ON CONFLICT (account_id, day) DO UPDATE SET at = excluded.at, followers = excluded.followers,
    following = excluded.following, posts = excluded.posts;

-- name: InfluencerSnapshots
SELECT day, at, followers, following, posts FROM influencer_snapshots
WHERE workspace_id = $1 AND account_id = $2 AND day >= $3 ORDER BY day;

-- name: SaveInfluencerPost
INSERT INTO influencer_posts (account_id, workspace_id, remote_id, at, url, text, likes, comments, shares, views, comment_sample, collected_at)
SELECT id, workspace_id, $3::text, $4::bigint, $5::text, $6::text, $7::bigint, $8::bigint, $9::bigint, $10::bigint, $11::text, $12::bigint FROM influencer_accounts WHERE workspace_id = $1 AND id = $2
ON CONFLICT (account_id, remote_id) DO UPDATE SET at = excluded.at, url = excluded.url, text = excluded.text,
    likes = excluded.likes, comments = excluded.comments, shares = excluded.shares, views = excluded.views,
    comment_sample = excluded.comment_sample, collected_at = excluded.collected_at;

-- name: InfluencerPosts
SELECT account_id, remote_id, at, url, text, likes, comments, shares, views, comment_sample, collected_at
FROM influencer_posts WHERE workspace_id = $1 AND account_id = $2 ORDER BY at DESC LIMIT $3;

-- name: AddInfluencerDeal
INSERT INTO influencer_deals (workspace_id, campaign_id, influencer_id, stage, owner_id, rate_cents, currency, discount_code,
    link_id, conversions, revenue_cents, notes, stage_at, created_at)
SELECT $1, c.id, i.id, $4::text, $5::bigint, $6::bigint, $7::text, $8::text, $9::bigint, $10::bigint, $11::bigint, $12::text, $13::bigint, $14::bigint
FROM campaigns c, influencers i WHERE c.workspace_id = $1 AND c.id = $2 AND i.workspace_id = $1 AND i.id = $3
RETURNING id;

-- name: UpdateInfluencerDeal
UPDATE influencer_deals SET stage = $1, owner_id = $2, rate_cents = $3, currency = $4, discount_code = $5, link_id = $6,
    conversions = $7, revenue_cents = $8, notes = $9, stage_at = $10
WHERE workspace_id = $11 AND id = $12;

-- name: InfluencerDeal
SELECT id, workspace_id, campaign_id, influencer_id, stage, owner_id, rate_cents, currency, discount_code, link_id,
    conversions, revenue_cents, notes, stage_at, created_at
FROM influencer_deals WHERE workspace_id = $1 AND id = $2;

-- name: InfluencerDeals
SELECT id, workspace_id, campaign_id, influencer_id, stage, owner_id, rate_cents, currency, discount_code, link_id,
    conversions, revenue_cents, notes, stage_at, created_at
FROM influencer_deals WHERE workspace_id = $1 AND ($2::bigint = 0 OR campaign_id = $2) AND ($3::bigint = 0 OR influencer_id = $3)
ORDER BY campaign_id, id;

-- name: DeleteInfluencerDeal
DELETE FROM influencer_deals WHERE workspace_id = $1 AND id = $2;

-- name: AddInfluencerEvent
INSERT INTO influencer_events (workspace_id, deal_id, kind, from_stage, to_stage, body, media_id, author_id, at)
SELECT $1, id, $3::text, $4::text, $5::text, $6::text, $7::bigint, $8::bigint, $9::bigint FROM influencer_deals WHERE workspace_id = $1 AND id = $2
RETURNING id;

-- name: InfluencerEvents
SELECT id, workspace_id, deal_id, kind, from_stage, to_stage, body, media_id, author_id, at
FROM influencer_events WHERE workspace_id = $1 AND deal_id = $2 ORDER BY id;

-- name: CreateInfluencerDeliverable
INSERT INTO influencer_deliverables (workspace_id, deal_id, kind, network, due_at, brief, status, draft_post_id, url, published_at, counts, created_at)
SELECT $1, id, $3::text, $4::text, $5::bigint, $6::text, $7::text, $8::bigint, $9::text, $10::bigint, $11::text, $12::bigint FROM influencer_deals WHERE workspace_id = $1 AND id = $2
RETURNING id;

-- name: UpdateInfluencerDeliverable
UPDATE influencer_deliverables SET kind = $1, network = $2, due_at = $3, brief = $4, status = $5, draft_post_id = $6, url = $7,
    published_at = $8, counts = $9
WHERE workspace_id = $10 AND id = $11;

-- name: InfluencerDeliverable
SELECT id, workspace_id, deal_id, kind, network, due_at, brief, status, draft_post_id, url, published_at, counts, created_at
FROM influencer_deliverables WHERE workspace_id = $1 AND id = $2;

-- name: InfluencerDeliverables
SELECT v.id, v.workspace_id, v.deal_id, v.kind, v.network, v.due_at, v.brief, v.status, v.draft_post_id, v.url, v.published_at, v.counts, v.created_at
FROM influencer_deliverables v JOIN influencer_deals d ON d.id = v.deal_id
WHERE v.workspace_id = $1 AND ($2::bigint = 0 OR d.campaign_id = $2) AND ($3::bigint = 0 OR v.deal_id = $3)
ORDER BY v.deal_id, v.id;

-- name: DeleteInfluencerDeliverable
DELETE FROM influencer_deliverables WHERE workspace_id = $1 AND id = $2;

-- name: InfluencerSettings
SELECT workspace_id, emv, target_languages, brand_safety, updated_at FROM influencer_settings WHERE workspace_id = $1;

-- name: SaveInfluencerSettings
INSERT INTO influencer_settings (workspace_id, emv, target_languages, brand_safety, updated_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (workspace_id) DO UPDATE SET emv = excluded.emv, target_languages = excluded.target_languages,
    brand_safety = excluded.brand_safety, updated_at = excluded.updated_at;
