-- After the fast path: rows staged by Python name their file and line themselves.
ALTER TABLE {staging}
    ALTER COLUMN file DROP DEFAULT, ALTER COLUMN file_no DROP DEFAULT,
    ALTER COLUMN line DROP DEFAULT;
