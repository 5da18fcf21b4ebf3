"""The query parameters the pages take, each checked: anything else is a 400 with a
sentence saying what is wrong (rendered by dashboard.views.bad_request)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import QueryDict

from buildings.core import criteria
from buildings.core.models import Town
from buildings.core.selection import Selection, UnknownName
from buildings.core.whatif import BadCriteria, WhatIf
from buildings.core.whatif import parse as parse_criteria


def read(query: QueryDict, allowed: dict[str, Callable[[list[str]], object]]) -> dict:
    """{name: parsed} for the parameters given; an unknown name or a bad value raises
    BadRequest. Each parser receives every value the parameter was given."""
    unknown = sorted(set(query) - set(allowed))
    if unknown:
        takes = ", ".join(allowed) if allowed else "no parameters"
        raise BadRequest(f"unknown query parameter {unknown[0]!r}: this page takes {takes}.")
    return {name: parse(query.getlist(name)) for name, parse in allowed.items()
            if name in query}


def one(name: str, parse: Callable[[str], object]) -> Callable[[list[str]], object]:
    def parse_one(values: list[str]) -> object:
        if len(values) > 1:
            raise BadRequest(f"{name} is given {len(values)} times; give it once.")
        return parse(values[0])
    return parse_one


def choice(name: str, choices) -> Callable[[list[str]], str]:
    def parse(value: str) -> str:
        if value not in choices:
            raise BadRequest(f"{name}={value!r} is not one of {', '.join(choices)}.")
        return value
    return one(name, parse)


def building_id(name: str) -> Callable[[list[str]], int]:
    def parse(value: str) -> int:
        if not value.isascii() or not value.isdigit() or not 0 < int(value) < 2**63:
            raise BadRequest(f"{name}={value!r} is not a building id (a positive whole "
                             "number); follow the page's links.")
        return int(value)
    return one(name, parse)


def criterion_of(name: str, among: tuple) -> object:
    """The criterion named `name` of those a page counts (the stored, or a what-if's)."""
    for c in among:
        if c.name == name:
            return c
    raise BadRequest(f"criterion={name!r} is not one of {', '.join(c.name for c in among)}.")


def whatif(values: list[str]) -> WhatIf:
    """?criteria=: what-if criteria, as `analyze --criteria` takes them."""
    def parse_text(value: str) -> WhatIf:
        try:
            return parse_criteria(value)
        except BadCriteria as exc:
            raise BadRequest(f"criteria: {exc}.") from exc
    return one("criteria", parse_text)(values)


THRESHOLD_TEXT = re.compile(r"[0-9A-Za-z_.]{1,20}")
THRESHOLD = "threshold_"  # the what-if panel's fields: threshold_<criterion> and pick


def panel_criteria(query: QueryDict) -> str | None:
    """The what-if panel's fields (a checkbox `pick` and a `threshold_<name>` per stored
    criterion) as a criteria expression; None when the panel was not submitted."""
    if "pick" not in query and not any(k.startswith(THRESHOLD) for k in query):
        return None
    picked = query.getlist("pick")
    unknown = [p for p in picked if p not in criteria.CRITERION_NAMES]
    if unknown:
        raise BadRequest(f"pick={unknown[0]!r} is not one of "
                         f"{', '.join(criteria.CRITERION_NAMES)}.")
    if not picked:
        raise BadRequest("no criterion is ticked: tick at least one, or go back to the "
                         "stored criteria.")
    terms = []
    for name in picked:
        threshold = query.get(THRESHOLD + name, "").strip().replace(",", "")
        if threshold and not THRESHOLD_TEXT.fullmatch(threshold):
            raise BadRequest(f"{THRESHOLD}{name}={threshold[:40]!r} is not a threshold: "
                             "write a number (or for civic a use-code prefix).")
        terms.append(f"{name}:{threshold}" if threshold else name)
    return ", ".join(terms)


def text(name: str, longest: int = 100) -> Callable[[list[str]], str]:
    def parse(value: str) -> str:
        if len(value) > longest:
            raise BadRequest(f"{name} is {len(value)} characters long; at most {longest}.")
        return value.strip()
    return one(name, parse)


def query(values: dict[str, str]) -> str:
    """"?a=1&b=2" of the values given (none: "")."""
    from urllib.parse import urlencode

    given = {name: value for name, value in values.items() if value}
    return f"?{urlencode(given)}" if given else ""


def county(values: list[str]) -> str:
    """A county's name as the database spells it (any case, "County" optional)."""
    (name,) = selection_of([], values).counties
    return name


def matching_towns(search: str, county: str | None) -> Selection:
    """The towns the index page's filter shows: the name holds `search` (any case), in
    the county if one is given."""
    towns = Town.objects.filter(name__icontains=search)
    if county:
        towns = towns.filter(county__name=county)
    return Selection(town_ids=frozenset(towns.values_list("pk", flat=True)))


def selection_of(towns: list[str], counties: list[str]) -> Selection:
    """?town= (repeatable) and ?county=, as `analyze --town/--county` takes them."""
    towns = towns or None
    if len(counties) > 1:
        raise BadRequest(f"county is given {len(counties)} times; give it once.")
    if towns is not None and not all(t.strip() for t in towns):
        raise BadRequest("town is empty; name a town, e.g. town=Boston.")
    if counties and not counties[0].strip():
        raise BadRequest("county is empty; name a county, e.g. county=Suffolk.")
    try:
        return Selection.resolve(towns, counties[0] if counties else None)
    except UnknownName as exc:
        raise BadRequest(str(exc)) from exc
