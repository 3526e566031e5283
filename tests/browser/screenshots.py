"""Screenshots of the main pages at 1280 and 375 px, for docs/screenshots/ (run on demand,
not part of the browser suite: the file name does not start with ``test_``)::

    KRAFTSENTER_DEBUG=1 .venv/bin/pytest -m browser -p no:cacheprovider tests/browser/screenshots.py

Debian's Chromium through Playwright, against the demo data the browser tests load. Each
picture is the first screen of the page (not the whole page), reduced to at most 256 colours
(an indexed PNG, made here with the standard library) so that the set stays small.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import Page

from .conftest import REPO_ROOT
from .test_accounts import _log_in

pytestmark = pytest.mark.browser

OUT = REPO_ROOT / "docs" / "screenshots"
#: Width → height of the screen.
SCREENS = {1280: 800, 375: 812}
#: (file name, address, who is logged in). {coop}, {agreement} and {case} are ids.
PAGES = [
    ("start", "/", None),
    ("start-logged-in", "/", "hamar"),
    ("place", "/kommuner/3403/", None),
    ("region-profile", "/regioner/hamarregionen/profil/", None),
    ("cooperation-list", "/samarbeid/", None),
    ("cooperation", "/samarbeid/{coop}/", None),
    ("agreement", "/avtaler/{agreement}/", None),
    ("consultation", "/konsultasjoner/{case}/", None),
    ("login", "/konto/logg-inn/", None),
]


def _ids() -> dict[str, int | None]:
    from kraftsenter.agreements.models import Agreement
    from kraftsenter.consultations.models import Consultation
    from kraftsenter.cooperations.models import Cooperation

    def first(qs):
        return qs.order_by("pk").values_list("pk", flat=True).first()

    return {
        "coop": first(Cooperation.objects.filter(published=True, archived_at__isnull=True)),
        "agreement": first(Agreement.objects.filter(archived_at__isnull=True)),
        "case": first(Consultation.objects.filter(archived_at__isnull=True)),
    }


@pytest.mark.parametrize("width", sorted(SCREENS, reverse=True))
@pytest.mark.parametrize(("name", "path", "who"), PAGES, ids=[p[0] for p in PAGES])
def test_screenshot(site: str, page: Page, name: str, path: str, who: str | None, width: int):
    if who:
        _log_in(page, site, who)
    page.set_viewport_size({"width": width, "height": SCREENS[width]})
    address = path.format(**_ids())
    response = page.goto(site + address, timeout=60_000)  # the first page warms the server up
    assert response is not None and response.status == 200, address
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / f"{name}-{width}.png"
    target.write_bytes(indexed_png(page.screenshot(type="png", animations="disabled")))


# --- a small PNG quantiser (standard library only) -------------------------------------------


def _chunks(data: bytes):
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        yield kind, data[pos + 8 : pos + 8 + length]
        pos += 12 + length


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def _decode(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows as RGB bytes of an 8-bit RGB or RGBA PNG (not interlaced)."""
    header = b""
    idat = []
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour, _c, _f, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError("Only 8-bit RGB or RGBA, not interlaced")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows: list[bytes] = []
    previous = bytearray(stride)
    pos = 0
    for _ in range(height):
        kind = raw[pos]
        line = bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            for i in range(stride):
                line[i] = (line[i] + previous[i]) & 0xFF
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                up_left = previous[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + _paeth(left, previous[i], up_left)) & 0xFF
        previous = line
        if bpp == 4:
            rgb = bytearray(width * 3)
            rgb[0::3], rgb[1::3], rgb[2::3] = line[0::4], line[1::4], line[2::4]
            rows.append(bytes(rgb))
        else:
            rows.append(bytes(line))
    return width, height, rows


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def indexed_png(data: bytes, colours: int = 256) -> bytes:
    """The picture with its ``colours`` most frequent colours (others mapped to the nearest)."""
    width, height, rows = _decode(data)
    counts: dict[bytes, int] = {}
    for row in rows:
        for i in range(0, len(row), 3):
            key = row[i : i + 3]
            counts[key] = counts.get(key, 0) + 1
    palette = sorted(counts, key=counts.__getitem__, reverse=True)[:colours]
    index = {c: n for n, c in enumerate(palette)}
    for colour in counts:
        if colour not in index:
            r, g, b = colour
            index[colour] = min(
                range(len(palette)),
                key=lambda n: (
                    (palette[n][0] - r) ** 2 + (palette[n][1] - g) ** 2 + (palette[n][2] - b) ** 2
                ),
            )
    out = bytearray()
    for row in rows:
        out.append(0)
        out.extend(index[row[i : i + 3]] for i in range(0, len(row), 3))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0))
        + _chunk(b"PLTE", b"".join(palette))
        + _chunk(b"IDAT", zlib.compress(bytes(out), 9))
        + _chunk(b"IEND", b"")
    )


def test_indexed_png_keeps_size_and_colours_of_a_small_picture(tmp_path: Path):
    """The quantiser on a 3×2 RGB picture: same size, exact colours (fewer than 256)."""
    pixels = [b"\xff\x00\x00\x00\xff\x00\x00\x00\xff", b"\xff\xff\xff\x00\x00\x00\xff\x00\x00"]
    raw = b"".join(b"\x00" + row for row in pixels)
    png = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0))
        + _chunk(b"IDAT", zlib.compress(raw))
        + _chunk(b"IEND", b"")
    )
    small = indexed_png(png)
    width, height, rows = 0, 0, []
    for kind, body in _chunks(small):
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        if kind == b"PLTE":
            palette = [body[i : i + 3] for i in range(0, len(body), 3)]
        if kind == b"IDAT":
            data = zlib.decompress(body)
            rows = [data[1 + r * 4 : 4 + r * 4] for r in range(2)]
    assert (width, height) == (3, 2)
    assert [b"".join(palette[i] for i in row) for row in rows] == pixels
