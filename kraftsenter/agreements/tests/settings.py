"""Test settings: the project's settings with this app installed and its URLs wired in.

Only for running this app's tests before it is wired into ``config`` (see docs/agreements.md):
``pytest --ds=kraftsenter.agreements.tests.settings kraftsenter/agreements``.
"""

import os

os.environ.setdefault("KRAFTSENTER_ALLOW_INSECURE_KEY", "1")  # as the root conftest.py does

from config.settings import *  # noqa: E402, F403
from config.settings import INSTALLED_APPS  # noqa: E402

if "kraftsenter.agreements" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "kraftsenter.agreements"]
ROOT_URLCONF = "kraftsenter.agreements.tests.urls"


def _wired_base_template() -> str:
    """A copy of templates/base.html with the stylesheet line docs/agreements.md asks to add,
    so that tests (axe's colour contrast) see the pages as they will be once wired. The menu
    entries are left out: other apps' tests use URL configurations without this app."""
    import tempfile
    from pathlib import Path

    base = (BASE_DIR / "templates" / "base.html").read_text(encoding="utf-8")  # noqa: F405
    css = '<link rel="stylesheet" href="{% static \'agreements/agreements.css\' %}">'
    if css not in base:
        anchor = '<link rel="stylesheet" href="{% static \'css/cooperations.css\' %}">'
        base = base.replace(anchor, anchor + "\n  " + css)
    folder = Path(tempfile.gettempdir()) / "ks-agreements-test-templates"
    folder.mkdir(exist_ok=True)
    (folder / "base.html").write_text(base, encoding="utf-8")
    return str(folder)


TEMPLATES = [  # noqa: F405
    {**TEMPLATES[0], "DIRS": [_wired_base_template(), *TEMPLATES[0]["DIRS"]]}  # noqa: F405
]

# The shared register contract (core/tests/test_register_contract.py) runs for this app too.
from kraftsenter.core import testing as _testing  # noqa: E402

for _module in (
    "kraftsenter.agreements.tests.contract",
    "kraftsenter.agreements.tests.contract_plan",
    "kraftsenter.agreements.tests.contract_partnership",
    "kraftsenter.agreements.tests.contract_commitment",
):
    if _module not in _testing.CONTRACT_MODULES:
        _testing.CONTRACT_MODULES.append(_module)
