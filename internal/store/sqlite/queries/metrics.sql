-- name: PublicationCounts
SELECT state, count(*), coalesce(sum(CASE WHEN state IN ('scheduled', 'staged') AND due_at < ? THEN 1 ELSE 0 END), 0)
FROM publications GROUP BY state ORDER BY state;
