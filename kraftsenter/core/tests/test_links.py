"""Row addresses reversed once (core/links.py) are what ``reverse`` gives for each row."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from kraftsenter.core.links import url_maker


def test_each_key_gets_the_address_reverse_gives():
    organisation = url_maker("actors:organisation-detail")
    municipality = url_maker("places:municipality-detail")
    for pk in (1, 42, 987654321):
        assert organisation(pk) == reverse("actors:organisation-detail", args=[pk])
    for number in ("0301", "3403", "5601"):
        assert municipality(number) == reverse("places:municipality-detail", args=[number])
    assert organisation(7) != organisation(8)


@override_settings(FORCE_SCRIPT_NAME="/kraftsenter/")
def test_a_script_prefix_is_part_of_the_address():
    from django.urls import get_script_prefix, set_script_prefix

    before = get_script_prefix()
    set_script_prefix("/kraftsenter/")
    try:
        assert url_maker("actors:organisation-detail")(5) == "/kraftsenter/organisasjoner/5/"
    finally:
        set_script_prefix(before)
    assert url_maker("actors:organisation-detail")(5) == "/organisasjoner/5/"


def test_with_urls_gives_each_item_its_own_address():
    from types import SimpleNamespace

    from kraftsenter.core.links import with_urls

    items = [SimpleNamespace(pk=3, number="3403"), SimpleNamespace(pk=4, number="3405")]
    by_pk = with_urls(items, url_maker("actors:organisation-detail"))
    assert [i.url for i in by_pk] == ["/organisasjoner/3/", "/organisasjoner/4/"]
    by_number = with_urls(items, url_maker("places:municipality-detail"), key="number")
    assert [i.url for i in by_number] == [
        reverse("places:municipality-detail", args=["3403"]),
        reverse("places:municipality-detail", args=["3405"]),
    ]


def test_two_keys_each_go_where_reverse_puts_them():
    report = url_maker("agreements:report-detail", keys=2)
    for agreement, pk in ((1, 2), (2, 1), (40, 40), (987654321, 7)):
        assert report(agreement, pk) == reverse("agreements:report-detail", args=[agreement, pk])
    assert report(1, 2) != report(2, 1)


def test_more_keys_than_two_are_refused():
    import pytest

    with pytest.raises(ValueError):
        url_maker("agreements:report-detail", keys=3)


@override_settings(FORCE_SCRIPT_NAME="/kraftsenter/")
def test_a_fixed_address_follows_the_script_prefix_and_every_rows_combobox_has_it():
    from django.urls import get_script_prefix, set_script_prefix

    from kraftsenter.actors.widgets import OrganisationCombobox
    from kraftsenter.core.links import fixed_url

    assert fixed_url("organisation-options") == reverse("organisation-options")
    before = get_script_prefix()
    set_script_prefix("/kraftsenter/")
    try:
        assert fixed_url("organisation-options") == "/kraftsenter/organisasjoner/valg/"
        combobox = OrganisationCombobox()
        rows = [combobox.render(f"form-{n}-organisation", "") for n in range(3)]
        assert all('data-ks-combobox="/kraftsenter/' in row for row in rows)
    finally:
        set_script_prefix(before)
    assert 'data-ks-combobox="/kraftsenter/' not in OrganisationCombobox().render("o", "")
