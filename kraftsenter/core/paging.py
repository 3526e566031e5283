"""Pages of a list that count only when they must.

Django's paginator counts every list before it reads a page: two queries for each list page,
and the count of a filtered list at national scale costs about as much as the page (issue
14). Most filtered lists fit on one page, and any page that is not full is the last one: its
rows give the count. :class:`ListPaginator` reads the page first and counts only when the page
is full (there may be more) or empty past the first page (is there such a page at all?). The
pages, their numbers and their errors are Django's.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator


class ListPaginator(Paginator):
    def page(self, number: Any) -> Page:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # PageNotAnInteger, as Django says it
        if wanted < 1 or self.orphans or "count" in self.__dict__:
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page])
        if len(rows) < self.per_page and (rows or wanted == 1):
            # The last page: everything before it was full.
            self.__dict__["count"] = bottom + len(rows)
            if not rows and not self.allow_empty_first_page:
                return super().page(number)  # EmptyPage, as Django says it
            return Page(rows, wanted, self)
        # A full page (there may be more) or nothing past the first page: the count decides
        # whether the page exists and how many there are.
        self.validate_number(wanted)
        return Page(rows, wanted, self)
