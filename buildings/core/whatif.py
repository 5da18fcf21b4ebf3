"""What-if criteria: "important" defined for one report, without a migration.

An analyst asks "and with 40,000 sq ft?" or "only civic and tall": a what-if is a
short expression, parsed here into criteria of the registry's own kind
(buildings/core/criteria.py), so every route that counts the stored criteria counts
these the same way: the ORM filter, the Python predicate, the report's columns.

    large:40000, tall, historic          stored criteria, a threshold changed
    stored, large:40000                  every stored criterion, large changed
    bld_area>=40000 or stories>=5        a field, a comparison, a number
    civic and tall                       both (a column of its own, civic_and_tall)
    use_code startswith 31               a use-code prefix

Terms are separated by `,` or `or` (a building is important when it matches one),
`and` (or `&`) joins conditions that must all hold. Only the registry's fields and
its lookups are accepted, and every value is checked for its field's type and
range; the text itself never reaches the server (the thresholds are bound
parameters, the columns identifiers from the registry).
"""

from __future__ import annotations

import difflib
import operator
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import reduce
from typing import Any

from django.db.models import Q

from buildings.core.criteria import CRITERIA, CRITERION_NAMES, FIELDS, Criterion

MAX_LENGTH = 400
MAX_TERMS = 12
MAX_PARTS = 4

SYMBOLS = {"=": "exact", ">=": "gte", ">": "gt", "<=": "lte", "<": "lt", "^=": "startswith",
           "startswith": "startswith"}
WRITTEN = {"gte": ">=", "gt": ">", "lte": "<=", "lt": "<", "startswith": " startswith "}
TEXT_FIELDS = ("use_code",)  # compared by prefix; every other field is a number
INTEGER_FIELDS = ("year_built", "bld_area", "total_val")
LIMITS = {"year_built": (0, 9999), "stories": (0, 999), "bld_area": (0, 2_000_000_000),
          "total_val": (0, 10**15)}
PREFIX = re.compile(r"[0-9A-Za-z]{1,4}")

GRAMMAR = ("write stored criteria (" + ", ".join(CRITERION_NAMES) + "), each with an "
           "optional :threshold, or FIELD>=NUMBER (also >, <=, <) with FIELD one of "
           + ", ".join(f for f in FIELDS if f not in TEXT_FIELDS)
           + ", or use_code startswith CODE; join with `,` or `or`, and `and` for both, "
             "e.g. \"large:40000, tall\" (docs/report.md)")

TOKEN = re.compile(r"\s*(?:(?P<op>>=|<=|\^=|[<>:,&=])|(?P<number>-?[0-9][0-9_]*(?:\.[0-9]+)?)"
                   r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*)|(?P<bad>\S))")


class BadCriteria(ValueError):
    """A what-if expression that cannot be read; the message says what is allowed."""


@dataclass(frozen=True)
class AllOf:
    """Conditions that must all hold: one what-if criterion, e.g. civic and tall."""

    name: str
    parts: tuple[Criterion, ...]

    @property
    def description(self) -> str:
        return " and ".join(p.description for p in self.parts)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(p.field for p in self.parts)

    def q(self, prefix: str = "") -> Q:
        return reduce(operator.and_, (p.q(prefix) for p in self.parts))

    def holds(self, building: Any) -> bool:
        return all(p.holds(building) for p in self.parts)


@dataclass(frozen=True)
class WhatIf:
    """The criteria of one report in place of the stored ones; `text` its canonical
    form (the same for every way of writing it: the URL's and the cache's key)."""

    criteria: tuple[Criterion | AllOf, ...]

    @property
    def text(self) -> str:
        return ", ".join(written(c) for c in self.criteria)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.criteria)

    @property
    def stored(self) -> bool:
        """The stored criteria themselves, as the generated column holds them."""
        return self.criteria == CRITERIA


def counted_criteria(whatif: WhatIf | None) -> tuple:
    """The criteria a report counts: a what-if's, or without one the stored ones."""
    return CRITERIA if whatif is None else whatif.criteria


def written(criterion: Criterion | AllOf) -> str:
    parts = criterion.parts if isinstance(criterion, AllOf) else (criterion,)
    return " and ".join(f"{p.field}{WRITTEN[p.lookup]}{p.value}" for p in parts)


def parse(text: str) -> WhatIf:
    """The what-if of an expression, or BadCriteria saying what is wrong."""
    if len(text) > MAX_LENGTH:
        raise BadCriteria(f"the criteria are {len(text)} characters long (at most "
                          f"{MAX_LENGTH}); {GRAMMAR}")
    tokens = _tokens(text)
    if not tokens:
        raise BadCriteria(f"no criteria given; {GRAMMAR}")
    criteria: dict[str, Criterion | AllOf] = {}
    from_stored: set[str] = set()
    for term in _split(tokens, {",", "or"}):
        conditions = _split(term, {"&", "and"})
        if any(not c for c in conditions) or not term:
            raise BadCriteria(f"a condition is missing around {_shown(term or tokens)}; "
                              f"{GRAMMAR}")
        if len(conditions) > 1 and ["stored"] in [[t.lower() for t in c] for c in conditions]:
            raise BadCriteria("stored stands for every stored criterion: it cannot be "
                              "joined by `and`; write the criteria by name")
        if [t.lower() for t in conditions[0]] == ["stored"] and len(conditions) == 1:
            for criterion in CRITERIA:
                criteria.setdefault(criterion.name, criterion)
                from_stored.add(criterion.name)
            continue
        if len(conditions) > MAX_PARTS:
            raise BadCriteria(f"at most {MAX_PARTS} conditions joined by `and`; {GRAMMAR}")
        parts = tuple(_condition(c) for c in conditions)
        made = parts[0] if len(parts) == 1 else AllOf("_and_".join(p.name for p in parts),
                                                       parts)
        if made.name in criteria and made.name not in from_stored:
            raise BadCriteria(f"{made.name} is given twice ({written(criteria[made.name])} "
                              f"and {written(made)}): keep one")
        from_stored.discard(made.name)
        criteria[made.name] = made
    if len(criteria) > MAX_TERMS:
        raise BadCriteria(f"{len(criteria)} criteria; at most {MAX_TERMS}")
    return WhatIf(tuple(criteria.values()))


def _tokens(text: str) -> list[str]:
    tokens = []
    for match in TOKEN.finditer(text):
        if match.group("bad"):
            raise BadCriteria(f"unexpected {match.group('bad')!r} at character "
                              f"{match.start('bad') + 1}; {GRAMMAR}")
        tokens.append(match.group(match.lastgroup))
    return tokens


def _split(tokens: list[str], separators: set[str]) -> list[list[str]]:
    groups: list[list[str]] = [[]]
    for token in tokens:
        if token.lower() in separators:
            groups.append([])
        else:
            groups[-1].append(token)
    return groups


def _shown(tokens: list[str]) -> str:
    return repr(" ".join(tokens))


def _condition(tokens: list[str]) -> Criterion:
    """One condition: NAME, NAME:VALUE, FIELD OP VALUE."""
    head = tokens[0].lower()
    if head in CRITERION_NAMES:
        stored = next(c for c in CRITERIA if c.name == head)
        if len(tokens) == 1:
            return stored
        if len(tokens) == 3 and tokens[1].lower() in SYMBOLS:  # large>40000: its field
            return _condition([stored.field, *tokens[1:]])
        if len(tokens) != 3 or tokens[1] != ":":
            raise BadCriteria(f"after {head} write :threshold (e.g. {head}:"
                              f"{_example(stored.field)}), not {_shown(tokens[1:])}")
        return _made(head, stored.field, stored.lookup,
                     _value(stored.field, stored.lookup, tokens[2]))
    if head in FIELDS:
        if len(tokens) != 3 or tokens[1].lower() not in SYMBOLS:
            raise BadCriteria(f"after {head} write a comparison and a value (e.g. "
                              f"{head}{'' if head in TEXT_FIELDS else '>='}"
                              f"{' startswith ' if head in TEXT_FIELDS else ''}"
                              f"{_example(head)}), not {_shown(tokens[1:])}")
        lookup = SYMBOLS[tokens[1].lower()]
        value = _value(head, lookup, tokens[2])
        name = next((c.name for c in CRITERIA if (c.field, c.lookup) == (head, lookup)),
                    f"{head}_{lookup}_{str(value).replace('.', '_')}")
        return _made(name, head, lookup, value)
    close = difflib.get_close_matches(head, [*CRITERION_NAMES, *FIELDS], n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise BadCriteria(f"unknown criterion or field {tokens[0]!r}{hint}; {GRAMMAR}")


def _made(name: str, field: str, lookup: str, value) -> Criterion:
    """The criterion; the stored one itself when it is the same (so a what-if of the
    stored definition is known to be one, and the generated column can serve it)."""
    for stored in CRITERIA:
        if (stored.name, stored.field, stored.lookup, stored.value) == (name, field, lookup,
                                                                         value):
            return stored
    return Criterion(name, f"{field}{WRITTEN[lookup]}{value}", field, lookup, value)


def _value(field: str, lookup: str, raw: str) -> int | Decimal | str:
    if field in TEXT_FIELDS:
        if lookup != "startswith":
            raise BadCriteria(f"{field} is compared by its start: write {field} startswith "
                              f"{raw if lookup == 'exact' else _example(field)}")
        if not PREFIX.fullmatch(raw):
            raise BadCriteria(f"{field} starts with 1 to 4 letters or digits, not {raw!r}")
        return raw
    if lookup == "exact":
        raise BadCriteria(f"{field} is compared with >=, >, <= or <, not =")
    if lookup == "startswith":
        raise BadCriteria(f"{field} is a number: compare it with >=, >, <= or <")
    try:
        value = Decimal(raw.replace("_", ""))
    except InvalidOperation:
        raise BadCriteria(f"{field} is compared with a number, not {raw!r}") from None
    low, high = LIMITS[field]
    if not low <= value <= high:
        raise BadCriteria(f"{field} {raw} is out of range ({low:,} to {high:,})")
    if value != value.to_integral_value():
        if field in INTEGER_FIELDS:
            raise BadCriteria(f"{field} is a whole number, not {raw}")
        if value.as_tuple().exponent < -2:
            raise BadCriteria(f"{field} has at most two decimals, not {raw}")
        return value.normalize()
    return int(value)


def _example(field: str) -> str:
    return {"use_code": "9", "year_built": "1850", "stories": "5", "bld_area": "40000",
            "total_val": "5000000"}[field]
