-- The bare COPY's session as the import's (sql/import/staging.sql): m/d/Y dates.
SET LOCAL datestyle = 'ISO, MDY';
