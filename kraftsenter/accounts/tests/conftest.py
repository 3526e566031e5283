from tests.oidc_provider.fixtures import oidc_providers, oidc_settings  # noqa: F401
