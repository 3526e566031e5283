"""The organisation combobox's options (kraftsenter/actors/widgets.py): a small JSON list.

``GET /organisasjoner/valg/?q=ham`` answers ``{"results": [{"value", "label", "detail",
"kind", "municipality", "other_names"}]}``: at most :data:`LIMIT` active organisations the
user may see, that the text finds by full-text search (``core.fulltext``: folded, any word
order, the last word as a prefix; the Sami and Kven names too), then those located in a
municipality of that name; digits find organisation numbers by prefix, a municipality (four)
or county municipality (two) by number. ``value`` is what the organisation field accepts
(:func:`~kraftsenter.actors.forms.organisation_label`), ``label`` the name and ``detail`` its
names in Sami and Kven, the kind and the municipality shown under it (so "Sámediggi" finds
Sametinget and shows why).
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from kraftsenter.core import bounds
from kraftsenter.core.fulltext import search

from . import selectors
from .forms import organisation_label

LIMIT = 20


@require_GET
def organisation_options(request: HttpRequest) -> JsonResponse:
    text = request.GET.get("q", "").strip()[: bounds.NAME_LENGTH]
    qs = selectors.organisation_list(user=request.user).select_related("municipality")
    digits = text.replace(" ", "")
    if not text:
        found = list(qs.order_by("name", "pk")[:LIMIT])
    elif re.fullmatch(r"[0-9]+", digits):
        match = Q(organisation_number__startswith=digits)
        if len(digits) == 4:
            match |= Q(municipality__number=digits, kind="municipality")
        if len(digits) == 2:
            match |= Q(county__number=digits, kind="county_municipality")
        found = list(qs.filter(match).order_by("name", "pk")[:LIMIT])
    else:
        # Full-text search (folded, any word order, the last word as a prefix; best first),
        # then the organisations of a municipality named so, to fill the list.
        found = list(search(qs, text)[:LIMIT])
        if len(found) < LIMIT:
            seen = [o.pk for o in found]
            located = qs.filter(municipality__name_nb__iexact=text).exclude(pk__in=seen)
            found += list(located.order_by("name", "pk")[: LIMIT - len(found)])
    results = []
    for org in found:
        kind = str(org.get_kind_display())
        place = org.municipality.name if org.municipality is not None else ""
        other_names = [name for _code, _label, name in org.other_names()]
        results.append(
            {
                "value": organisation_label(org),
                "label": org.name,
                "detail": " · ".join(p for p in (*other_names, kind, place) if p),
                "kind": kind,
                "municipality": place,
                "other_names": other_names,
            }
        )
    return JsonResponse({"results": results})
