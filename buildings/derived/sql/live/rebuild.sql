-- The live summary recounted from every building, in one pass: after a bulk load
-- (whose statements do not fire the summary's triggers), after a change of the
-- criteria, on request (`manage.py live_summary rebuild`). The drift check fills
-- temporary copies of the three tables with it and compares.
-- Placeholders: <summary>, <summary_town>, <summary_area_year>, the tables filled;
-- <of_all>, the summary of the buildings; <figure_columns>, <figure_sums>;
-- <all_town_medians>, the medians of every town of <summary>.
DELETE FROM {summary};
DELETE FROM {summary_town};
DELETE FROM {summary_area_year};
-- in key order: a town's year rows fill a few pages (the table keeps half of each page
-- free, so updates stay on the page), and its median reads those few pages
INSERT INTO {summary} (town_id, year_built, {figure_columns})
SELECT * FROM ({of_all}) AS of_all ORDER BY town_id, year_built NULLS FIRST;
-- fresh statistics, or the planner takes the table it just filled for empty
ANALYZE {summary};
INSERT INTO {summary_town} (town_id, {figure_columns})
SELECT town_id, {figure_sums}
FROM {summary}
GROUP BY town_id;
UPDATE {summary_town} t
SET median_year_built = m.median_year_built
FROM ({all_town_medians}) m
WHERE m.town_id = t.town_id;
INSERT INTO {summary_area_year} (level, county, year_built, n)
SELECT 1 + GROUPING(c.name), c.name, s.year_built, sum(s.buildings)
FROM {summary} s
JOIN buildings_town t ON t.town_id = s.town_id
JOIN buildings_county c ON c.id = t.county_id
WHERE s.year_built IS NOT NULL
GROUP BY GROUPING SETS ((c.name, s.year_built), (s.year_built));
