"""Pages kept per data version: the body of a page built from the buildings is kept in
the process under the freshness key (buildings/dashboard/freshness.py) and the full path, so a
second request for the same page before the next write costs one round trip for the
key and no rendering. A new response is made from the kept bytes each time (the
middleware, gzip for one, changes a response in place)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import wraps

from django.http import HttpResponse

from buildings.dashboard import freshness

MOST = 32  # pages kept per process: about 8 MB at most for the map's 240 KB


class KeptPages:
    def __init__(self, most: int = MOST):
        self.most = most
        self.pages: OrderedDict[tuple, tuple[int, bytes, dict]] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = 0

    def get(self, key: tuple):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
                self.hits += 1
            return page

    def put(self, key: tuple, page) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.most:
                self.pages.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.pages.clear()


PAGES = KeptPages()
WHATIF_PAGES = KeptPages(8)  # what-if pages apart: any number of them never evicts the others


def kept(view):
    """Serve the view's 200 answers from PAGES while the data version holds."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        fresh = freshness.freshness()
        request.freshness = fresh  # the view reads it instead of asking again
        key = (fresh.key, view.__name__, request.get_full_path())
        pages = WHATIF_PAGES if "criteria" in request.GET else PAGES
        page = pages.get(key)
        if page is not None:
            status, body, headers = page
            return HttpResponse(body, status=status, headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            pages.put(key, (response.status_code, response.content, dict(response.headers)))
        return response

    return wrapper


def forget() -> None:
    """Drop the reports and pages kept in this process (the benchmark's cold reads)."""
    freshness.forget_reports()
    PAGES.clear()
    WHATIF_PAGES.clear()
