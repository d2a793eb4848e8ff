-- subject_search: the subject explorer's list of figures without a catalog metric, one row
-- per subject and unit (a subject is charted per unit, as a metric is), keyed
-- 'subject:SUBJECT:UNIT' as points.sql keys them; only subjects whose name or one of whose
-- sentences contains $search (empty: every subject). With how many figures and documents,
-- how many can be charted (they have a value, a year and a region) and their years; most
-- figures first, at most $limit rows, `subjects` counting every one that matches.
SELECT
    'subject:' || coalesce(f.subject, '') || ':' || coalesce(f.unit, '') AS key,
    coalesce(f.subject, '') AS subject,
    coalesce(f.unit, '') AS unit,
    count(*) AS figures,
    count(DISTINCT f.doc_id) AS documents,
    count(*) FILTER (WHERE f.value IS NOT NULL AND f.year IS NOT NULL AND f.region_code IS NOT NULL) AS charted,
    min(f.year) AS first_year,
    max(f.year) AS last_year,
    count(*) OVER () AS subjects
FROM corrected_figures AS f
WHERE f.metric IS NULL
  -- contains(), not LIKE: a % or _ typed into the search box is a character, not a wildcard
  AND ($search = '' OR contains(lower(coalesce(f.subject, '')), lower($search))
       OR contains(lower(f.quote), lower($search)))
GROUP BY 1, 2, 3
ORDER BY figures DESC, key
LIMIT $limit
