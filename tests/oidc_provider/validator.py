"""ID-porten-shaped claims, and wrong tokens when a user's behaviour file asks for them.

``<state dir>/user-<name>.json``: ``{"pid": "...", "acr": "...", "reportees": ["0192:…"],
"mode": "wrong_signature" | "wrong_audience" | "wrong_issuer" | "wrong_nonce" | "expired"}``.
"""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any

from django.conf import settings
from django.db import transaction
from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

DEFAULT_ACR = {"idporten": "idporten-loa-substantial", "ansattporten": "substantial"}


def profile(username: str) -> dict[str, Any]:
    path = settings.STATE_DIR / f"user-{username}.json"
    data = json.loads(path.read_text()) if path.is_file() else {}
    data.setdefault("pid", "01017012345")
    data.setdefault("acr", DEFAULT_ACR[settings.KIND])
    return data


class TestValidator(OAuth2Validator):
    # Every claim goes into the ID token, whatever the scopes.
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        data = profile(user.get_username())
        login_time = user.last_login.isoformat() if user.last_login else ""
        claims: dict[str, Any] = {
            "pid": data["pid"],
            "acr": data["acr"],
            "amr": ["TestID"],
            "locale": "nb",
            "sid": hashlib.sha256(f"{user.pk}:{login_time}".encode()).hexdigest()[:32],
        }
        if settings.KIND == "ansattporten":
            claims["authorization_details"] = [
                {
                    "type": "ansattporten:altinn:service",
                    "resource": "urn:altinn:resource:kraftsenter-test",
                    "resource_name": "Kraftsenter (test)",
                    "reportees": [
                        {
                            "Rights": ["Read"],
                            "Authority": "iso6523-actorid-upis",
                            "ID": reportee,
                            "Name": f"Test {reportee}",
                        }
                        for reportee in data.get("reportees", [])
                    ],
                }
            ]
        return claims

    def finalize_id_token(self, id_token: Any, token: Any, token_handler: Any, request: Any) -> str:
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        key = request.client.jwk_key
        header = {"typ": "JWT", "alg": "RS256", "kid": key.thumbprint()}
        mode = profile(request.user.get_username()).get("mode", "")
        now = int(time.time())
        if mode == "wrong_audience":
            id_token["aud"] = "another-service"
        elif mode == "wrong_issuer":
            id_token["iss"] = "http://127.0.0.1:9/not-the-issuer"
        elif mode == "wrong_nonce":
            id_token["nonce"] = "not-the-nonce-of-this-login"
        elif mode == "expired":
            id_token["iat"] = now - 7200
            id_token["exp"] = now - 3600
        elif mode == "wrong_signature":
            # Signed with a second key under the real key's id.
            key = jwk.JWK.from_pem((settings.STATE_DIR / "other-key.pem").read_bytes())
        signed = jwt.JWT(header=json.dumps(header), claims=json.dumps(id_token, default=str))
        signed.make_signed_token(key)
        with transaction.atomic():
            saved = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = saved
        request.id_token = saved
        return signed.serialize()
