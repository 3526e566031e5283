import pytest

from kraftsenter.places.importers import throttle


@pytest.fixture(autouse=True)
def fresh_rate_limiters():
    """The source rate limiters live for the process: each test starts with empty windows, so
    the official readers' calls in earlier tests do not make it wait."""
    throttle._limiters.clear()
    yield
    throttle._limiters.clear()
