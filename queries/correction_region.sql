-- correction_region: the gazetteer's region of code $code (name, level), to check a corrected region code.
SELECT code, name, level
FROM regions
WHERE code = $code
