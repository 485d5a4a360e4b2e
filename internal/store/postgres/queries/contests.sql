-- name: CreateContest
INSERT INTO contests (workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, retention_days, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id;

-- name: UpdateContest
UPDATE contests SET title = $1, description = $2, kind = $3, entry_opens = $4, entry_closes = $5, vote_opens = $6, vote_closes = $7,
    vote_period = $8, prizes = $9, rules_text = $10, min_age = $11, countries = $12, lang = $13, accent = $14, winners = $15,
    seed_hash = $16, seed = $17, entries_hash = $18, committed_at = $19, drawn_at = $20, winner_ids = $21, retention_days = $22
WHERE workspace_id = $23 AND id = $24;

-- name: Contest
SELECT id, workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, seed_hash, seed, entries_hash,
    committed_at, drawn_at, winner_ids, retention_days, created_by, created_at
FROM contests WHERE workspace_id = $1 AND id = $2;

-- name: ContestBySlug
SELECT id, workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, seed_hash, seed, entries_hash,
    committed_at, drawn_at, winner_ids, retention_days, created_by, created_at
FROM contests WHERE slug = $1;

-- name: Contests
SELECT id, workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, seed_hash, seed, entries_hash,
    committed_at, drawn_at, winner_ids, retention_days, created_by, created_at
FROM contests WHERE workspace_id = $1 ORDER BY id DESC;

-- name: DeleteContest
DELETE FROM contests WHERE workspace_id = $1 AND id = $2;

-- name: CreateEntry
INSERT INTO contest_entries (contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, created_at)
SELECT id, workspace_id, $1::text, $2::text, $3::text, $4::text, $5::bigint, $6::text, $7::text, $8::bigint, $9::bigint FROM contests WHERE workspace_id = $10 AND id = $11 RETURNING id;

-- name: Entry
SELECT id, contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, notified_at, created_at
FROM contest_entries WHERE workspace_id = $1 AND id = $2;

-- name: Entries
SELECT id, contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, notified_at, created_at
FROM contest_entries WHERE workspace_id = $1 AND contest_id = $2 AND ($3 = '' OR status = $4) ORDER BY id;

-- name: EntriesByEmail
SELECT id, contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, notified_at, created_at
FROM contest_entries WHERE workspace_id = $1 AND email = $2 ORDER BY id;

-- name: ModerateEntry
UPDATE contest_entries SET status = $1, reason = $2 WHERE workspace_id = $3 AND id = $4;

-- name: MarkEntryNotified
UPDATE contest_entries SET notified_at = $1 WHERE workspace_id = $2 AND id = $3;

-- name: EraseEntry
UPDATE contest_entries SET name = '', email = '', country = '', media_id = NULL, title = '', status = 'rejected', reason = 'erased'
WHERE workspace_id = $1 AND id = $2;

-- name: RecordVote
INSERT INTO contest_votes (contest_id, workspace_id, entry_id, identity, period, net_block, device, score, flags, at)
SELECT e.contest_id, e.workspace_id, e.id, $1::text, $2::text, $3::text, $4::text, $5::double precision, $6::text, $7::bigint FROM contest_entries e
WHERE e.workspace_id = $8 AND e.contest_id = $9 AND e.id = $10
ON CONFLICT (contest_id, identity, period) DO NOTHING;

-- name: Votes
SELECT id, contest_id, workspace_id, entry_id, identity, period, net_block, device, score, flags, void, void_reason, at
FROM contest_votes WHERE workspace_id = $1 AND contest_id = $2 AND ($3::bigint = 0 OR entry_id = $4) AND (NOT $5::boolean OR flags <> '') AND score >= $6
ORDER BY id DESC LIMIT $7;

-- name: VoteCounts
SELECT entry_id, COALESCE(SUM(CASE WHEN NOT void THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN flags <> '' AND NOT void THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN void THEN 1 ELSE 0 END), 0)
FROM contest_votes WHERE workspace_id = $1 AND contest_id = $2 GROUP BY entry_id ORDER BY entry_id;

-- name: VoidVote
UPDATE contest_votes SET void = TRUE, void_reason = $1 WHERE workspace_id = $2 AND contest_id = $3 AND id = $4;

-- name: EraseVotes
DELETE FROM contest_votes WHERE workspace_id = $1 AND identity = $2;

-- name: VotesByIdentity
SELECT id, contest_id, workspace_id, entry_id, identity, period, net_block, device, score, flags, void, void_reason, at
FROM contest_votes WHERE workspace_id = $1 AND identity = $2 ORDER BY id;

-- name: AddContestAudit
INSERT INTO contest_audit (contest_id, workspace_id, at, actor, action, detail)
SELECT id, workspace_id, $1::bigint, $2::text, $3::text, $4::text FROM contests WHERE workspace_id = $5 AND id = $6;

-- name: ContestAuditLog
SELECT id, contest_id, at, actor, action, detail FROM contest_audit WHERE workspace_id = $1 AND contest_id = $2 ORDER BY id;

-- name: PurgeContestEntries
UPDATE contest_entries SET name = '', email = '', country = '', media_id = NULL
WHERE (email <> '' OR name <> '' OR media_id IS NOT NULL) AND contest_id IN (
    SELECT id FROM contests WHERE GREATEST(entry_closes, vote_closes) + retention_days * 86400000 < $1);

-- name: PurgeContestVotes
UPDATE contest_votes SET identity = 'purged-' || id, net_block = '', device = ''
WHERE identity NOT LIKE 'purged-%' AND contest_id IN (
    SELECT id FROM contests WHERE GREATEST(entry_closes, vote_closes) + retention_days * 86400000 < $1);
