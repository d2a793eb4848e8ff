-- corrections_summary: one row counting the corrections recorded (undos aside) and how many are
-- applied, orphaned (their figure cannot be found: listed until someone re-anchors or undoes
-- them) and undone, and the figures they touch: corrected (fields changed), rejected, added,
-- confirmed as read right.
SELECT
    count(*) FILTER (WHERE action <> 'undo') AS corrections,
    count(*) FILTER (WHERE action <> 'undo' AND status = 'applied') AS applied,
    count(*) FILTER (WHERE status = 'orphaned') AS orphaned,
    count(*) FILTER (WHERE status = 'undone') AS undone,
    (SELECT count(*) FROM figure_corrections WHERE NOT rejected AND NOT added) AS figures_corrected,
    (SELECT count(*) FROM figure_corrections WHERE rejected) AS figures_rejected,
    (SELECT count(*) FROM figure_corrections WHERE added AND NOT rejected) AS figures_added,
    count(DISTINCT applies_to) FILTER (WHERE action = 'confirm' AND status = 'applied') AS figures_confirmed
FROM corrections
