"""A tiny OpenID Connect provider for the login tests (test infrastructure, not product code).

django-oauth-toolkit's OIDC support issues ID-porten-shaped and Ansattporten-shaped ID tokens
(``pid``, ``acr``, ``sid``, ``authorization_details``), signed RS256 with a key generated at
start; PKCE is required. The tests start it on loopback (``fixtures.py``) and make it issue
wrong tokens by configuration (a per-user behaviour file): the protocol is never mocked.
"""
