-- The end of an import: its staging table goes (see staging.sql); the statistics
-- of the new rows are gathered for the analysis.
DROP TABLE {staging}, {clean};
DROP SEQUENCE {line_sequence};
ANALYZE buildings_building;
