"""Start the test provider: ``python -m tests.oidc_provider.serve <kind> <port> <state dir>``.

Generates two RSA keys (the signing key and a wrong one), migrates its own SQLite database,
registers the relying party's client for ``kind`` (idporten or ansattporten) and serves on
127.0.0.1:<port> with Django's development server (no reloader).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_SECRET = "test-secret-for-kraftsenter"  # noqa: S105 - test provider only
RP_HOSTS = ("http://testserver", "http://127.0.0.1", "http://localhost")


def _write_key(path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def main() -> None:
    kind, port, state = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    state.mkdir(parents=True, exist_ok=True)
    _write_key(state / "signing-key.pem")
    _write_key(state / "other-key.pem")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["OIDC_TEST_STATE_DIR"] = str(state)
    os.environ["OIDC_TEST_KIND"] = kind
    os.environ["OIDC_TEST_ISSUER"] = f"http://127.0.0.1:{port}"
    import django

    django.setup()
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    Application.objects.update_or_create(
        client_id=f"kraftsenter-{kind}",
        defaults={
            "name": f"Kraftsenter ({kind})",
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": " ".join(f"{h}/konto/oidc/{kind}/callback/" for h in RP_HOSTS),
            "post_logout_redirect_uris": " ".join(f"{h}/konto/logget-ut/" for h in RP_HOSTS),
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main()
