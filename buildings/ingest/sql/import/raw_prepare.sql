-- Before COPY reads a clean CSV file by itself (the fast path): the staging
-- table's defaults (staging.sql) give every row it adds the file's name, its place
-- in the import and its line number, read from these settings and the sequence:
-- no DDL per file, so a folder of 351 files costs little more than one file.
-- Parameters: %(file)s, the name rejects will show; %(file_no)s, its place in the
-- import; %(first_line)s, the number of its first record (2 after a header).
SELECT set_config('mab_import.file', %(file)s, true),
       set_config('mab_import.file_no', %(file_no)s::text, true),
       setval({line}, %(first_line)s, false);
