-- A shared building's figures changed (the tall criterion may move; no year count).
UPDATE buildings_building SET stories = %(stories)s WHERE id = %(id)s;
