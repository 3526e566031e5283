from kraftsenter.cooperations.tests.conftest import ipr_data, orgs  # noqa: F401  (shared fixtures)
