-- Before COPY reads clean files by itself (the fast path): the last number of the
-- session's sequence (<line>, its name), so that the first row COPY stages takes the next one
-- (staging.sql: `seq`), and the files' rows are known by their runs of numbers.
SELECT nextval({line});
