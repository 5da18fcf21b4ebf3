-- Before COPY reads a clean CSV file by itself (the fast path): every row it adds
-- gets the file's name, and its line number (the header is line 1). Placeholder:
-- {file}, the name rejects will show; {file_no}, its place in the import.
CREATE TEMP SEQUENCE IF NOT EXISTS import_line;
ALTER SEQUENCE import_line RESTART WITH 2;
ALTER TABLE {staging}
    ALTER COLUMN file SET DEFAULT {file},
    ALTER COLUMN file_no SET DEFAULT {file_no},
    ALTER COLUMN line SET DEFAULT nextval('import_line');
