"""No page answers 500 on anything its form can send.

The test loads the demo content, then walks the site as a user would: from each register's
list to its records and from each record to every page it links to. Every page with a form
that posts is sent twice: empty (only its hidden fields), and with the first valid choice of
every select, radio and checkbox and a plain value in every text field. The answer may be a
refusal with messages (422), a conflict (409), a success (302) or a 403 — never a server
error. It walks as an organisation's editor (Hamar) and as a site administrator, who sees the
steps no single organisation sees (the consulting authority's, for one).
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.demo.loader import load_demo_content

pytestmark = pytest.mark.django_db

SEEDS = [
    "/",
    "/organisasjoner/",
    "/samarbeid/",
    "/konsultasjoner/",
    "/avtaler/",
    "/planer/",
    "/partnerskap/",
    "/forpliktelser/",
    "/kunnskap/scenarier/",
    "/eierskap/interesser/",
    "/eierskap/meldinger/",
    "/dashbord/",
    "/dashbord/varsler/",
    "/konto/profil/",
]
#: Links into registers' records; places, maps and profiles hold no forms that post.
RECORD_PREFIXES = (
    "/organisasjoner/",
    "/samarbeid/",
    "/konsultasjoner/",
    "/avtaler/",
    "/planer/",
    "/partnerskap/",
    "/forpliktelser/",
    "/kunnskap/scenarier/",
    "/eierskap/",
    "/konto/",
    "/dashbord/varsler/",
)
#: Forms that end the session or leave the site's data alone.
SKIP_ACTIONS = ("/konto/logg-ut/", "/sprak/")
PLAIN = {
    "date": "2024-01-15",
    "number": "1",
    "email": "test@example.invalid",
    "url": "https://example.invalid/dokument",
    "password": "x-long-password-1",
}


class _Page(HTMLParser):
    """The links and the posting forms of a page, with each form's fields."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            self._form["fields"].append(
                {"tag": "input", "type": (a.get("type") or "text").lower(), **a}
            )
        elif tag == "textarea" and a.get("name"):
            self._form["fields"].append({"tag": "textarea", "type": "textarea", **a})
        elif tag == "select" and a.get("name"):
            self._select = {"tag": "select", "type": "select", "options": [], **a}
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _payloads(form: dict) -> list[dict]:
    """The empty post (hidden fields only) and the post with first valid choices."""
    empty: dict = {}
    full: dict = {}
    for f in form["fields"]:
        name, kind = f["name"], f["type"]
        if kind == "hidden":
            empty[name] = full[name] = f.get("value", "")
        elif kind in ("checkbox", "radio"):
            if name not in full:
                full[name] = f.get("value", "on")
        elif kind == "select":
            choices = [o for o in f["options"] if o]
            if choices:
                full[name] = choices[0]
        elif kind in ("submit", "button", "file"):
            continue
        else:
            full[name] = PLAIN.get(kind, "Test")
    return [empty, full]


def _record(path: str) -> tuple[str, str] | None:
    """(register, id) for a path inside one record (``/samarbeid/7/endre/``), else None."""
    parts = [p for p in path.split("/") if p]
    for i, part in enumerate(parts):
        if part.isdigit():
            return "/".join(parts[:i]), part
    return None


def _walk(client, seeds, per_register: int = 4, limit: int = 600) -> dict[str, list[dict]]:
    """{page: its posting forms} for every page reached from the seeds within the registers,
    visiting a few records of each register (every page of each)."""
    seen: set[str] = set()
    records: dict[str, set[str]] = {}
    queue = list(seeds)
    forms: dict[str, list[dict]] = {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _parse(response.content.decode())
        posting = [f for f in page.forms if not f["action"].startswith(SKIP_ACTIONS)]
        if posting:
            forms[path] = posting
        for href in page.links:
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith(RECORD_PREFIXES) or parts.query:
                continue
            record = _record(parts.path)
            if record is not None:
                known = records.setdefault(record[0], set())
                if record[1] not in known and len(known) >= per_register:
                    continue
                known.add(record[1])
            if parts.path not in seen:
                queue.append(parts.path)
    return forms


def _last_if_final(item: tuple[str, dict]) -> bool:
    """Archiving, ending and removing go last, so they do not close the other forms."""
    action = item[1]["action"] or item[0]
    return any(word in action for word in ("arkiver", "avslutt", "fjern", "ferdig"))


def test_every_form_page_answers_without_server_error_empty_and_with_first_choices(
    client, builtin_places
):
    load_demo_content(say=lambda s: None)
    for username in ("hamar", "admin"):
        _walk_and_post(client, username)


def _walk_and_post(client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))
    forms = _walk(client, SEEDS, per_register=2)
    assert len(forms) > 15, sorted(forms)  # the walk reached the registers' form pages
    posted = 0
    pairs = sorted(
        ((path, form) for path, page_forms in forms.items() for form in page_forms),
        key=_last_if_final,
    )
    for path, form in pairs:
        target = form["action"] or path
        for data in _payloads(form):
            response = client.post(target, data)
            posted += 1
            assert response.status_code < 500, (target, data, response.status_code)
    assert posted > 30
