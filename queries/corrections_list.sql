-- corrections_list: every correction (only the orphaned ones when $orphaned) with its audit trail:
-- who made it, when and why, its line in the corrections file, what it does (action and the
-- fields it sets) beside the figure as extracted while it still applies to one (extracted_*),
-- the figure's text, sentence and document, its status (applied, orphaned, undone) and why an
-- orphan cannot be applied, and for an undone one the undo that took it back (who, when, why).
-- Orphans first (they wait for someone to re-anchor or undo them), then newest first.
SELECT
    c.correction_id, c.status, c.problem, c.created_at, c.author, c.action, c.reason, c.line,
    c.figure_id, c.applies_to, c.doc, d.title, c.text, c.quote,
    c.value, c.unit, c.qualifier, c.metric, c.region_code, c.year, c.period_kind,
    f.value AS extracted_value, f.unit AS extracted_unit, f.qualifier AS extracted_qualifier,
    f.metric AS extracted_metric, f.region_code AS extracted_region_code, f.year AS extracted_year,
    f.period_kind AS extracted_period_kind,
    u.correction_id AS undone_by, u.author AS undone_by_author, u.created_at AS undone_at, u.reason AS undo_reason
FROM corrections AS c
LEFT JOIN corrections AS u ON u.undoes = c.correction_id
LEFT JOIN figures AS f ON f.figure_id = c.applies_to
LEFT JOIN (SELECT doc, any_value(title) AS title FROM documents GROUP BY doc) AS d ON d.doc = c.doc
WHERE c.action <> 'undo' AND (NOT $orphaned OR c.status = 'orphaned')
ORDER BY c.status <> 'orphaned', c.created_at DESC, c.line DESC
