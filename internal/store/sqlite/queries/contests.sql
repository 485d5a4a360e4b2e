-- name: CreateContest
INSERT INTO contests (workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, retention_days, created_by, created_at,
    questions, jury_weight, finalists, logo_media_id, source_channel_id, source_remote_id, keyword)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: UpdateContest
UPDATE contests SET title = ?, description = ?, kind = ?, entry_opens = ?, entry_closes = ?, vote_opens = ?, vote_closes = ?,
    vote_period = ?, prizes = ?, rules_text = ?, min_age = ?, countries = ?, lang = ?, accent = ?, winners = ?,
    seed_hash = ?, seed = ?, entries_hash = ?, committed_at = ?, drawn_at = ?, winner_ids = ?, retention_days = ?,
    questions = ?, jury_weight = ?, finalists = ?, logo_media_id = ?, source_channel_id = ?, source_remote_id = ?, keyword = ?
WHERE workspace_id = ? AND id = ?;

-- name: Contest
SELECT id, workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, seed_hash, seed, entries_hash,
    committed_at, drawn_at, winner_ids, retention_days, created_by, created_at,
    questions, jury_weight, finalists, logo_media_id, source_channel_id, source_remote_id, keyword
FROM contests WHERE workspace_id = ? AND id = ?;

-- name: ContestBySlug
SELECT id, workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, seed_hash, seed, entries_hash,
    committed_at, drawn_at, winner_ids, retention_days, created_by, created_at,
    questions, jury_weight, finalists, logo_media_id, source_channel_id, source_remote_id, keyword
FROM contests WHERE slug = ?;

-- name: Contests
SELECT id, workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, seed_hash, seed, entries_hash,
    committed_at, drawn_at, winner_ids, retention_days, created_by, created_at,
    questions, jury_weight, finalists, logo_media_id, source_channel_id, source_remote_id, keyword
FROM contests WHERE workspace_id = ? ORDER BY id DESC;

-- name: DeleteContest
DELETE FROM contests WHERE workspace_id = ? AND id = ?;

-- name: CreateEntry
INSERT INTO contest_entries (contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, created_at, identity, answers, score)
SELECT id, workspace_id, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?12, ?13, ?14 FROM contests WHERE workspace_id = ?10 AND id = ?11 RETURNING id;

-- name: Entry
SELECT id, contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, notified_at, created_at, identity, answers, score
FROM contest_entries WHERE workspace_id = ? AND id = ?;

-- name: Entries
SELECT id, contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, notified_at, created_at, identity, answers, score
FROM contest_entries WHERE workspace_id = ? AND contest_id = ? AND (? = '' OR status = ?) ORDER BY id;

-- name: EntriesByEmail
SELECT id, contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, notified_at, created_at, identity, answers, score
FROM contest_entries WHERE workspace_id = ? AND email = ? ORDER BY id;

-- name: ModerateEntry
UPDATE contest_entries SET status = ?, reason = ? WHERE workspace_id = ? AND id = ?;

-- name: MarkEntryNotified
UPDATE contest_entries SET notified_at = ? WHERE workspace_id = ? AND id = ?;

-- name: EraseEntry
UPDATE contest_entries SET name = '', email = '', country = '', media_id = NULL, title = '', identity = '', status = 'rejected', reason = 'erased'
WHERE workspace_id = ? AND id = ?;

-- name: RecordVote
INSERT INTO contest_votes (contest_id, workspace_id, entry_id, identity, period, net_block, device, score, flags, at)
SELECT e.contest_id, e.workspace_id, e.id, ?, ?, ?, ?, ?, ?, ? FROM contest_entries e
WHERE e.workspace_id = ? AND e.contest_id = ? AND e.id = ?
ON CONFLICT (contest_id, identity, period) DO NOTHING;

-- name: Votes
SELECT id, contest_id, workspace_id, entry_id, identity, period, net_block, device, score, flags, void, void_reason, at
FROM contest_votes WHERE workspace_id = ? AND contest_id = ? AND (? = 0 OR entry_id = ?) AND (? = 0 OR flags <> '') AND score >= ?
ORDER BY id DESC LIMIT ?;

-- name: VoteCounts
SELECT entry_id, COALESCE(SUM(CASE WHEN void = 0 THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN flags <> '' AND void = 0 THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN void <> 0 THEN 1 ELSE 0 END), 0)
FROM contest_votes WHERE workspace_id = ? AND contest_id = ? GROUP BY entry_id ORDER BY entry_id;

-- name: VoidVote
UPDATE contest_votes SET void = 1, void_reason = ? WHERE workspace_id = ? AND contest_id = ? AND id = ?;

-- name: EraseVotes
DELETE FROM contest_votes WHERE workspace_id = ? AND identity = ?;

-- name: VotesByIdentity
SELECT id, contest_id, workspace_id, entry_id, identity, period, net_block, device, score, flags, void, void_reason, at
FROM contest_votes WHERE workspace_id = ? AND identity = ? ORDER BY id;

-- name: AddContestAudit
INSERT INTO contest_audit (contest_id, workspace_id, at, actor, action, detail)
SELECT id, workspace_id, ?, ?, ?, ? FROM contests WHERE workspace_id = ? AND id = ?;

-- name: ContestAuditLog
SELECT id, contest_id, at, actor, action, detail FROM contest_audit WHERE workspace_id = ? AND contest_id = ? ORDER BY id;

-- name: PurgeContestEntries
UPDATE contest_entries SET name = '', email = '', country = '', media_id = NULL, identity = ''
WHERE (email <> '' OR name <> '' OR media_id IS NOT NULL OR identity <> '') AND contest_id IN (
    SELECT id FROM contests WHERE MAX(entry_closes, vote_closes) + retention_days * 86400000 < ?);

-- name: PurgeContestVotes
UPDATE contest_votes SET identity = 'purged-' || id, net_block = '', device = ''
WHERE identity NOT LIKE 'purged-%' AND contest_id IN (
    SELECT id FROM contests WHERE MAX(entry_closes, vote_closes) + retention_days * 86400000 < ?);

-- name: ClearContestJury
DELETE FROM contest_jury WHERE workspace_id = ?1 AND contest_id = ?2;

-- name: AddContestJury
-- Only members of the contest's workspace can sit on its jury.
INSERT INTO contest_jury (contest_id, workspace_id, user_id)
SELECT c.id, c.workspace_id, m.user_id FROM contests c JOIN members m ON m.workspace_id = c.workspace_id AND m.user_id = ?3
WHERE c.workspace_id = ?1 AND c.id = ?2;

-- name: ContestJury
SELECT user_id FROM contest_jury WHERE workspace_id = ?1 AND contest_id = ?2 ORDER BY user_id;

-- name: SetJuryScore
-- Only a juror of the contest scores, and only the contest's entries.
INSERT INTO contest_jury_scores (contest_id, workspace_id, entry_id, user_id, score, at)
SELECT j.contest_id, j.workspace_id, e.id, j.user_id, ?5, ?6 FROM contest_jury j
JOIN contest_entries e ON e.contest_id = j.contest_id AND e.id = ?3
WHERE j.workspace_id = ?1 AND j.contest_id = ?2 AND j.user_id = ?4
ON CONFLICT (entry_id, user_id) DO UPDATE SET score = excluded.score, at = excluded.at;

-- name: JuryScores
SELECT entry_id, user_id, score, at FROM contest_jury_scores WHERE workspace_id = ?1 AND contest_id = ?2 ORDER BY entry_id, user_id;

-- name: SpendChallenge
INSERT INTO contest_pow_spent (nonce, expires) VALUES (?1, ?2) ON CONFLICT (nonce) DO NOTHING;

-- name: TakeRateToken
-- One statement: refill at ?3 tokens per millisecond up to ?2 and take one;
-- no row comes back when the bucket is empty (its state is left as it was).
INSERT INTO contest_rate_buckets (bucket, tokens, at) VALUES (?1, ?2 - 1, ?4)
ON CONFLICT (bucket) DO UPDATE SET tokens = min(?2, contest_rate_buckets.tokens + max(0, ?4 - contest_rate_buckets.at) * ?3) - 1, at = max(?4, contest_rate_buckets.at)
WHERE min(?2, contest_rate_buckets.tokens + max(0, ?4 - contest_rate_buckets.at) * ?3) >= 1
RETURNING tokens;

-- name: PruneContestChallenges
DELETE FROM contest_pow_spent WHERE expires < ?1;

-- name: PruneContestBuckets
DELETE FROM contest_rate_buckets WHERE at < ?1;

-- name: ContestOAuthApp
SELECT client_id, secret_enc FROM contest_oauth_apps WHERE instance = ?1;

-- name: SaveContestOAuthApp
-- The first registration wins: two instances registering at once keep one app.
INSERT INTO contest_oauth_apps (instance, client_id, secret_enc, created_at) VALUES (?1, ?2, ?3, ?4)
ON CONFLICT (instance) DO NOTHING;
