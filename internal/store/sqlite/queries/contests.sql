-- name: CreateContest
INSERT INTO contests (workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, retention_days, created_by, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id;

-- name: UpdateContest
UPDATE contests SET title = ?, description = ?, kind = ?, entry_opens = ?, entry_closes = ?, vote_opens = ?, vote_closes = ?,
    vote_period = ?, prizes = ?, rules_text = ?, min_age = ?, countries = ?, lang = ?, accent = ?, winners = ?,
    seed_hash = ?, seed = ?, entries_hash = ?, committed_at = ?, drawn_at = ?, winner_ids = ?, retention_days = ?
WHERE workspace_id = ? AND id = ?;

-- name: Contest
SELECT id, workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, seed_hash, seed, entries_hash,
    committed_at, drawn_at, winner_ids, retention_days, created_by, created_at
FROM contests WHERE workspace_id = ? AND id = ?;

-- name: ContestBySlug
SELECT id, workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, seed_hash, seed, entries_hash,
    committed_at, drawn_at, winner_ids, retention_days, created_by, created_at
FROM contests WHERE slug = ?;

-- name: Contests
SELECT id, workspace_id, slug, title, description, kind, entry_opens, entry_closes, vote_opens, vote_closes,
    vote_period, prizes, rules_text, min_age, countries, lang, accent, winners, seed_hash, seed, entries_hash,
    committed_at, drawn_at, winner_ids, retention_days, created_by, created_at
FROM contests WHERE workspace_id = ? ORDER BY id DESC;

-- name: DeleteContest
DELETE FROM contests WHERE workspace_id = ? AND id = ?;

-- name: CreateEntry
INSERT INTO contest_entries (contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, created_at)
SELECT id, workspace_id, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM contests WHERE workspace_id = ? AND id = ? RETURNING id;

-- name: Entry
SELECT id, contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, notified_at, created_at
FROM contest_entries WHERE workspace_id = ? AND id = ?;

-- name: Entries
SELECT id, contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, notified_at, created_at
FROM contest_entries WHERE workspace_id = ? AND contest_id = ? AND (? = '' OR status = ?) ORDER BY id;

-- name: EntriesByEmail
SELECT id, contest_id, workspace_id, title, name, email, country, media_id, status, reason, consent_at, notified_at, created_at
FROM contest_entries WHERE workspace_id = ? AND email = ? ORDER BY id;

-- name: ModerateEntry
UPDATE contest_entries SET status = ?, reason = ? WHERE workspace_id = ? AND id = ?;

-- name: MarkEntryNotified
UPDATE contest_entries SET notified_at = ? WHERE workspace_id = ? AND id = ?;

-- name: EraseEntry
UPDATE contest_entries SET name = '', email = '', country = '', media_id = NULL, title = '', status = 'rejected', reason = 'erased'
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
UPDATE contest_entries SET name = '', email = '', country = '', media_id = NULL
WHERE (email <> '' OR name <> '' OR media_id IS NOT NULL) AND contest_id IN (
    SELECT id FROM contests WHERE MAX(entry_closes, vote_closes) + retention_days * 86400000 < ?);

-- name: PurgeContestVotes
UPDATE contest_votes SET identity = 'purged-' || id, net_block = '', device = ''
WHERE identity NOT LIKE 'purged-%' AND contest_id IN (
    SELECT id FROM contests WHERE MAX(entry_closes, vote_closes) + retention_days * 86400000 < ?);
