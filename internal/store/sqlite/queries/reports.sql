-- name: CreateReportSchedule
INSERT INTO report_schedules (workspace_id, frequency, language, recipients, last_period, created_at)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id;

-- name: ReportSchedules
SELECT id, workspace_id, frequency, language, recipients, last_period, created_at
  FROM report_schedules WHERE ?1 = 0 OR workspace_id = ?1 ORDER BY id;

-- name: DeleteReportSchedule
DELETE FROM report_schedules WHERE workspace_id = ? AND id = ?;

-- name: ClaimReportPeriod
UPDATE report_schedules SET last_period = ?3 WHERE id = ?1 AND last_period = ?2;

-- name: ReportBrand
SELECT display_name, accent_color, COALESCE(logo_media_id, 0), footer, updated_at
  FROM report_brands WHERE workspace_id = ?;

-- name: SaveReportBrand
INSERT INTO report_brands (workspace_id, display_name, accent_color, logo_media_id, footer, updated_at)
SELECT ?1, ?2, ?3, NULLIF(?4, 0), ?5, ?6
 WHERE ?4 = 0 OR EXISTS (SELECT 1 FROM media m WHERE m.id = ?4 AND m.workspace_id = ?1)
ON CONFLICT (workspace_id) DO UPDATE SET display_name = excluded.display_name, accent_color = excluded.accent_color,
    logo_media_id = excluded.logo_media_id, footer = excluded.footer, updated_at = excluded.updated_at;
