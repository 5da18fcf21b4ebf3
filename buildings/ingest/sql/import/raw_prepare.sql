-- Before COPY reads a clean CSV file by itself (the fast path): every row it adds
-- gets the file's name, and its line number. Placeholders:
-- <file>, the name rejects will show; <file_no>, its place in the import;
-- <first_line>, the number of its first record (2 after a header).
CREATE TEMP SEQUENCE IF NOT EXISTS import_line;
ALTER SEQUENCE import_line RESTART WITH {first_line};
ALTER TABLE {staging}
    ALTER COLUMN file SET DEFAULT {file},
    ALTER COLUMN file_no SET DEFAULT {file_no},
    ALTER COLUMN line SET DEFAULT nextval('import_line');
