"""The provider's login page: logs in the test user named by ``?user=`` (or the
``test_user`` cookie, or ``kari``) without a password, and goes on to ``next``."""

from __future__ import annotations

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def test_login(request: HttpRequest) -> HttpResponse:
    username = request.GET.get("user") or request.COOKIES.get("test_user") or "kari"
    user, _created = get_user_model().objects.get_or_create(username=username)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = "/"
    return HttpResponseRedirect(next_url)
