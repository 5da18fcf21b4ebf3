-- The end of an import: its staging tables go (see staging.sql); the statistics
-- of the new rows are gathered for the analysis.
DROP TABLE {staging}, {clean}, {tally};
DROP SEQUENCE {line_sequence};
ANALYZE buildings_building;
