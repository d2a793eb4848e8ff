-- region_provinces: every province (code and name), in code order, for the compare view's filter.
SELECT code, name
FROM regions
WHERE level = 'province'
ORDER BY code
