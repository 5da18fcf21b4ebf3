-- The live summary recounted from every building, in one pass: after a bulk load
-- (whose statements do not fire the summary's triggers), after a change of the
-- criteria, on request (`manage.py live_summary rebuild`). The drift check fills
-- temporary copies of the tables with it and compares.
-- Placeholders: <summary>, <summary_town>, <summary_area_year>, <summary_area>,
-- <summary_area_slot>, the tables filled; <of_all>, the summary of the buildings;
-- <figure_columns>, <figure_sums>; <town_positions>, <area_positions>, the middle
-- positions (sql/live/positions.sql) of every town of <summary> and every county and
-- the state of <summary_area_year>.
DELETE FROM {summary};
DELETE FROM {summary_town};
DELETE FROM {summary_area_year};
DELETE FROM {summary_area};
DELETE FROM {summary_area_slot};
-- in key order: a town's year rows fill a few pages (the table keeps half of each page
-- free, so updates stay on the page), and its median's walk reads those few pages
INSERT INTO {summary} (town_id, year_built, {figure_columns})
SELECT * FROM ({of_all}) AS of_all ORDER BY town_id, year_built NULLS FIRST;
-- fresh statistics, or the planner takes the table it just filled for empty
ANALYZE {summary};
INSERT INTO {summary_town} (town_id, {figure_columns}, known)
SELECT town_id, {figure_sums},
       coalesce(sum(buildings) FILTER (WHERE year_built IS NOT NULL), 0)
FROM {summary}
GROUP BY town_id;
UPDATE {summary_town} t
SET low_year = p.low_year, low_below = p.low_below,
    high_year = p.high_year, high_below = p.high_below,
    median_year_built = p.median_year_built
FROM ({town_positions}) p
WHERE p.town_id = t.town_id;
INSERT INTO {summary_area_year} (level, county, year_built, n)
SELECT 1 + GROUPING(c.name), c.name, s.year_built, sum(s.buildings)
FROM {summary} s
JOIN buildings_town t ON t.town_id = s.town_id
JOIN buildings_county c ON c.id = t.county_id
WHERE s.year_built IS NOT NULL
GROUP BY GROUPING SETS ((c.name, s.year_built), (s.year_built));
ANALYZE {summary_area_year};
-- each county and the state anchored at its median's low year of now, all its known
-- years in slot 0
WITH p AS (
    SELECT * FROM ({area_positions}) AS area_positions
), anchors AS (
    INSERT INTO {summary_area} (level, county, anchor_year)
    SELECT level, county, low_year FROM p
)
INSERT INTO {summary_area_slot} (slot, level, county, known, below_anchor)
SELECT 0, level, county, known, low_below FROM p;
