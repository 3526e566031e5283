"""Choosing where places come from: a directory, the official sources, or the built-in set."""

from __future__ import annotations

from pathlib import Path

from .base import PlaceDataset
from .files import read_directory

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "builtin"


def builtin_dataset() -> PlaceDataset:
    """The small set of places the demo content needs (facts written for the project)."""
    dataset = read_directory(BUILTIN_DIR)
    dataset.source = "builtin"
    return dataset


def read_source(
    *, directory: str | None = None, boundaries: str = "S", progress=None
) -> PlaceDataset:
    """From ``directory`` when given, otherwise from the official web sources."""
    if directory:
        return read_directory(directory, boundaries=boundaries)
    from .official import fetch_official

    return fetch_official(progress=progress)
