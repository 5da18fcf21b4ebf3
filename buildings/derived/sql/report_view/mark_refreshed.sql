UPDATE buildings_viewstate
SET refreshed_version = %(version)s, refreshed_at = now()
WHERE id = 1;
