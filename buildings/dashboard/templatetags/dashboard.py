"""Tags for the pages' long repetitions: the 351 table rows and map shapes.

Written in one pass of Python string joins, each value escaped: a template loop
over the town table's 5,600 cells costs about 50 ms a page, this costs about 2.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def table_rows(rows):
    """<tr> rows from dicts of `cells` (strings; safe ones kept as they are), `id`
    (data-id) and `hidden`."""
    out = []
    for row in rows:
        hidden = " hidden" if row.get("hidden") else ""
        cells = "".join(f"<td>{_escape(c)}</td>" for c in row["cells"])
        out.append(f'<tr data-id="{_escape(str(row["id"]))}"{hidden}>{cells}</tr>\n')
    return mark_safe("".join(out))


def _escape(text: str) -> str:
    """Django's escaping without its lazy-string wrapper, which costs more than the work."""
    return text if isinstance(text, SafeString) else escape(text)


@register.simple_tag
def map_paths(shapes, classes, values, towns_url, link_query=""):
    """The towns as links to their pages (so a keyboard reaches each), named by the town
    and its value, around <path>s classed by their quantile class (nd: no value);
    `link_query`: what the town pages are asked too (a what-if's criteria)."""
    query = escape(link_query)
    return mark_safe("".join(
        f'<a href="{towns_url}{s.town_id}/{query}" aria-label="{escape(s.name)}: '
        f'{escape(values[s.town_id])}"><path d="{escape(s.d)}" data-id="{s.town_id}" '
        f'data-name="{escape(s.name)}" '
        f'class="{"nd" if classes.get(s.town_id) is None else f"q{classes[s.town_id]}"}"/></a>'
        for s in shapes))
