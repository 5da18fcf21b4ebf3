-- A shared building moved to another year (its town's, county's and state's counts move).
UPDATE buildings_building SET year_built = %(year)s WHERE id = %(id)s;
