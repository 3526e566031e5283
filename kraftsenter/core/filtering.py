"""The register kit's FilterSet: every register's ``filters.py`` subclasses :class:`FilterSet`.

django-filter builds a new form class for every filtered request (a form field per filter,
then a ``type(...)`` of them) and deep-copies every filter with its field arguments first; on
a list page or API list of 5 ms that was 0.3 ms of each request at national scale (issue 14).
Nothing in those depends on the request: the registers' filters take static querysets and
declare no per-request choices. So the form class is built once per process for each
language (labels derived from the model are translated when the field is made), and each
FilterSet takes shallow copies of its filters. Every form is still a fresh instance with its
own deep-copied fields and widgets (Django's ``Form.__init__``), so nothing a request binds,
cleans or styles is shared.

A FilterSet that needs per-request fields (a queryset that depends on the user, choices read
from the request) sets ``form_per_request = True`` and gets django-filter's behaviour.

``count_with_page`` names the filters under which the database reads every match anyway to
find a page (a county: a subquery over its thousands of organisations): when one of them has
a value, the list's page and its count are read in one statement (:mod:`.paging`), not two
that each work the filter out.

``keys_first`` names the filters that can match thousands of records (a text search): when
one of them has a value, a page is found by the keys of its rows first and only those rows
are read whole (:func:`.paging.keys_first`).

``kept_filters`` names the filters whose values a list may take as parameters of kept
statements (:mod:`.kept`): :meth:`FilterSet.kept_list` gives the list as a
:class:`~.kept.KeptList` when only those have values.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

import django_filters
from django.db import router
from django.http import QueryDict
from django.utils import translation
from django_filters.constants import EMPTY_VALUES

from . import kept, paging
from .kept import KeptList


class IntegerChoiceField(django_filters.fields.ChoiceField):
    """A choice among integer codes, cleaned to the integer (as the column holds it)."""

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return value if value in EMPTY_VALUES else int(value)


class IntegerChoiceFilter(django_filters.ChoiceFilter):
    """A :class:`~django_filters.ChoiceFilter` of integer codes (a centrality class) whose
    value is the integer: the query takes it as it is, so a kept list (:mod:`.kept`) can
    keep it as a parameter (a code as text is made an integer on its way in)."""

    field_class = IntegerChoiceField


class FilterSet(django_filters.FilterSet):
    #: Build the form class anew for every request (django-filter's default behaviour).
    form_per_request: ClassVar[bool] = False
    #: Filters under which a page is read with its count (see the module's docstring).
    count_with_page: ClassVar[tuple[str, ...]] = ()
    #: Filters under which a page is found by its keys first (see the module's docstring).
    keys_first: ClassVar[tuple[str, ...]] = ()
    #: Filters whose values go into kept statements as parameters (core.kept): each puts its
    #: value into the query unchanged (an equality, a comparison, ``pk IN`` a subquery on it),
    #: reads nothing from the database or the request while the query is built, and does not
    #: branch on the value beyond whether it is given.
    kept_filters: ClassVar[tuple[str, ...]] = ()

    def kept_list(
        self,
        key: Hashable,
        base_for: Callable[..., Any],
        user: Any,
        *,
        base_args: tuple[Any, ...] = (),
        ordering: str | None = None,
    ) -> KeptList | None:
        """The validated list as a :class:`~.kept.KeptList`: ``base_for(who, *base_args)``
        is the register's base queryset for a user (built with stand-ins for the user's
        organisations and ``base_args`` — ints, strs, dates or tuples of them — when a
        statement is built: it may read nothing else), ``key`` names the list, ``ordering`` a
        field to order by (then by key), as the API's ``ordering``. None
        when a filter with a value is not among :attr:`kept_filters` or its value cannot be a
        parameter (:func:`.kept.parameter`): read the list through the ORM (:attr:`qs`)."""
        from .permissions import viewer

        shape: list[tuple[str, Hashable]] = []
        names: list[str] = []
        kinds: list[Hashable] = []
        params: list[Any] = []
        constants: dict[str, Any] = {}
        cleaned = self.form.cleaned_data if self.is_bound else {}
        for name, value in cleaned.items():
            if value in EMPTY_VALUES:  # the filter changes nothing (as django-filter's)
                continue
            if name not in self.kept_filters:
                return None
            how = kept.parameter(value)
            if how is None:
                return None
            kind, param = how
            shape.append((name, kind))
            if param is None:
                constants[name] = value
            else:
                names.append(name)
                kinds.append(kind)
                params.append(param)
        given_names = {name for name, _kind in shape}
        with_count = any(name in given_names for name in self.count_with_page)
        order = [name for name in cleaned if name in given_names]
        filters = self.filters
        alias = router.db_for_read(self._meta.model)

        base_count = len(base_args)

        def build(who: Any, *values: Any) -> Any:
            given = dict(constants)
            for name, kind, value in zip(names, kinds, values[base_count:], strict=True):
                given[name] = kept.argument(kind, value, alias)
            queryset = base_for(who, *values[:base_count])
            for name in order:
                queryset = filters[name].filter(queryset, given[name])
            if ordering:
                queryset = queryset.order_by(ordering, "pk")
            return queryset

        language = translation.get_language()
        full_key = ("kept-list", key, language, tuple(shape), ordering)
        return kept.KeptList(
            full_key,
            alias,
            build,
            (viewer(user), *base_args, *params),
            with_count=with_count,
            base=base_count,
        )

    def filter_queryset(self, queryset: Any) -> Any:
        filtered = super().filter_queryset(queryset)
        cleaned = self.form.cleaned_data
        if any(cleaned.get(name) not in (None, "", [], ()) for name in self.count_with_page):
            filtered = paging.count_with_page(filtered)
        elif any(cleaned.get(name) not in (None, "", [], ()) for name in self.keys_first):
            filtered = paging.keys_first(filtered)
        return filtered

    def __init__(
        self,
        data: Any = None,
        queryset: Any = None,
        *,
        request: Any = None,
        prefix: str | None = None,
    ) -> None:
        if self.form_per_request:
            super().__init__(data, queryset, request=request, prefix=prefix)
            return
        # django-filter's own __init__ (django_filters.filterset.BaseFilterSet), but with a
        # shallow copy of each filter where it deep-copies them: a filter's state is its
        # arguments (``extra``, copied), ``model``/``parent`` (set here) and, for a filter with
        # a ``method``, the FilterMethod that finds it on the parent (made anew for the copy),
        # so the copies are as independent for what a request does with them.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)
            filter_.model = queryset.model
            filter_.parent = self
            if base.method is not None:
                filter_.method = base.method  # a FilterMethod of the copy, not of the base
            self.filters[name] = filter_

    def get_form_class(self) -> type[Any]:
        if self.form_per_request:
            return super().get_form_class()
        cls = type(self)
        forms = cls.__dict__.get("_kept_form_classes")
        if forms is None:
            forms = {}
            cls._kept_form_classes = forms
        language = translation.get_language() or ""
        form_class = forms.get(language)
        if form_class is None:
            form_class = forms[language] = super().get_form_class()
        return form_class
