"""Login with ID-porten and Ansattporten against a real OpenID Connect provider on loopback
(tests/oidc_provider: django-oauth-toolkit, RS256, PKCE required). The wrong tokens are made
by the provider's configuration, never by a mock of the protocol."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import translation

from kraftsenter.accounts.models import OidcIdentity, OidcSession, SecurityEvent, SecurityEventKind
from kraftsenter.accounts.oidc import REASONS, pid_hash, reportee_numbers
from kraftsenter.actors.choices import EmployeeAccess, RequestStatus, Role
from kraftsenter.actors.models import Membership, MembershipRequest
from kraftsenter.actors.services import membership_add, organisation_create
from tests.oidc_provider.fixtures import through_provider

pytestmark = pytest.mark.django_db(transaction=True)

START = {"idporten": "/konto/oidc/idporten/", "ansattporten": "/konto/oidc/ansattporten/"}
PID = "01017012345"


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def _refusal(reason: str, **params) -> str:
    with translation.override("nb"):
        text = str(REASONS[reason])
        return text % params if params else text


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def org_a():
    return organisation_create(
        actor="test",
        name="Vestfold og Telemark fylkeskommune",
        kind="association",
        organisation_number="921627009",
    )


@pytest.fixture
def org_b():
    return organisation_create(
        actor="test",
        name="Digitaliseringsdirektoratet",
        kind="association",
        organisation_number="991825827",
    )


def login(client, oidc_providers, kind, username, **profile):
    provider = oidc_providers[kind]
    provider.set_user(username, **profile)
    return through_provider(client, provider, username, START[kind])


# --- the login page and the request to the provider --------------------------------------------


def test_login_page_offers_a_button_per_configured_provider(client, settings):
    settings.KRAFTSENTER_OIDC_PROVIDERS = {
        "idporten": {"client_id": "x", "issuer": "https://test.idporten.no"},
        "ansattporten": {"client_id": "", "issuer": ""},
    }
    page = client.get("/konto/logg-inn/").content.decode()
    assert 'id="login-idporten"' in page
    assert 'id="login-ansattporten"' not in page
    assert 'id="password-login"' in page
    settings.KRAFTSENTER_OIDC_PROVIDERS["ansattporten"] = {
        "client_id": "y",
        "issuer": "https://test.ansattporten.no",
    }
    page = client.get("/konto/logg-inn/?next=/organisasjoner/").content.decode()
    assert 'id="login-ansattporten"' in page
    assert "/konto/oidc/ansattporten/?next=%2Forganisasjoner%2F" in page


def test_unconfigured_provider_has_no_login(client, settings):
    settings.KRAFTSENTER_OIDC_PROVIDERS = {"idporten": {"client_id": "", "issuer": ""}}
    assert client.get("/konto/oidc/idporten/").status_code == 404
    assert client.get("/konto/oidc/idporten/callback/?code=a&state=b").status_code == 404


def test_the_request_asks_for_pkce_state_nonce_level_and_language(client, oidc_settings):
    client.cookies["django_language"] = "nn"
    response = client.get("/konto/oidc/ansattporten/")
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["acr_values"] == ["substantial"]
    assert query["client_id"] == ["kraftsenter-ansattporten"]
    assert '"type": "ansattporten:altinn:service"' in query["authorization_details"][0]
    client.cookies["django_language"] = "en"
    query = parse_qs(urlparse(client.get("/konto/oidc/idporten/")["Location"]).query)
    assert query["acr_values"] == ["idporten-loa-substantial"]
    assert query["ui_locales"] == ["en"]
    assert "authorization_details" not in query
    del client.cookies["django_language"]
    query = parse_qs(urlparse(client.get("/konto/oidc/idporten/")["Location"]).query)
    assert query["ui_locales"] == ["nb"]


# --- citizens: ID-porten -----------------------------------------------------------------------


def test_citizen_logs_in_and_is_keyed_on_a_hash_of_the_person_identifier(
    client, oidc_providers, oidc_settings
):
    response = login(client, oidc_providers, "idporten", "kari", pid=PID)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/navn/")  # asks for a display name first
    user = get_user_model().objects.get(oidc_identity__pid_hash=pid_hash(PID))
    assert user.username.startswith("bruker-") and not user.has_usable_password()
    identity = OidcIdentity.objects.get(user=user)
    assert identity.pid == "" and identity.pid_hash != PID and len(identity.pid_hash) == 64
    assert PID not in str(list(SecurityEvent.objects.values_list("details", flat=True)))
    assert client.get("/konto/profil/").status_code == 200
    event = SecurityEvent.objects.get(kind=SecurityEventKind.OIDC_LOGIN)
    assert event.user == user and event.details["acr"] == "idporten-loa-substantial"
    assert event.details["new_account"] is True

    # The display name, then the same person again: the same account, no new one.
    answer = client.post("/konto/navn/", {"name": "Kari Nordmann", "next": "/organisasjoner/"})
    assert answer["Location"] == "/organisasjoner/"
    user.refresh_from_db()
    assert user.first_name == "Kari Nordmann"
    again = login(Client(), oidc_providers, "idporten", "kari", pid=PID)
    assert again["Location"] == "/konto/profil/"
    assert get_user_model().objects.filter(oidc_identity__isnull=False).count() == 1

    # A deactivated account's session ends, and it cannot log in again.
    user.is_active = False
    user.save()
    assert client.get("/konto/profil/").status_code == 302
    refused = login(Client(), oidc_providers, "idporten", "kari", pid=PID)
    assert _messages(refused) == [_refusal("inactive")]
    user.is_active = True
    user.save()

    # Another person is another account.
    login(Client(), oidc_providers, "idporten", "ola", pid="02027054321")
    assert OidcIdentity.objects.count() == 2


def test_operator_may_keep_the_person_identifier(client, oidc_providers, oidc_settings, settings):
    settings.KRAFTSENTER_OIDC_STORE_PID = True
    login(client, oidc_providers, "idporten", "kari-pid", pid="03037012345")
    assert OidcIdentity.objects.get().pid == "03037012345"


def test_the_next_page_survives_the_round_trip(client, oidc_providers, oidc_settings):
    provider = oidc_providers["idporten"]
    provider.set_user("nina", pid="04047012345")
    response = through_provider(client, provider, "nina", START["idporten"] + "?next=/kommuner/")
    assert response["Location"] == "/konto/navn/?next=%2Fkommuner%2F"


# --- bad input: wrong tokens, state --------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("wrong_signature", "signature"),
        ("wrong_audience", "audience"),
        ("wrong_issuer", "issuer"),
        ("wrong_nonce", "nonce"),
        ("expired", "expired"),
    ],
)
def test_a_wrong_id_token_is_refused_precisely_and_logged(
    client, oidc_providers, oidc_settings, mode, reason
):
    response = login(client, oidc_providers, "idporten", f"bad-{mode}", pid=PID, mode=mode)
    assert response.status_code == 302 and response["Location"] == "/konto/logg-inn/"
    assert _messages(response) == [_refusal(reason)]
    assert not get_user_model().objects.exists()
    assert not OidcIdentity.objects.exists()
    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEventKind.OIDC_REFUSED
    assert event.details["reason"] == reason and event.details["provider"] == "ID-porten"
    assert "_auth_user_id" not in client.session


def test_a_too_low_security_level_is_refused(client, oidc_providers, oidc_settings):
    response = login(client, oidc_providers, "idporten", "low", pid=PID, acr="idporten-loa-low")
    assert _messages(response) == [_refusal("acr", acr="idporten-loa-low")]
    assert not get_user_model().objects.exists()
    # A higher level than asked for is accepted.
    login(client, oidc_providers, "idporten", "high", pid=PID, acr="idporten-loa-high")
    assert get_user_model().objects.count() == 1


def test_a_replayed_or_missing_state_is_refused(client, oidc_providers, oidc_settings):
    provider = oidc_providers["idporten"]
    provider.set_user("replay", pid=PID)
    first = through_provider(client, provider, "replay", START["idporten"])
    assert first.status_code == 302
    callback = first.wsgi_request.get_full_path()
    client.logout()
    replayed = client.get(callback)
    assert _messages(replayed) == [_refusal("state_unknown")]
    missing = client.get("/konto/oidc/idporten/callback/?code=abc")
    assert _messages(missing)[-1] == _refusal("state_missing")
    reasons = list(
        SecurityEvent.objects.filter(kind=SecurityEventKind.OIDC_REFUSED).values_list(
            "details__reason", flat=True
        )
    )
    assert sorted(reasons) == ["state_missing", "state_unknown"]
    # A state opened for one provider is not accepted by the other's callback.
    start = client.get(START["idporten"])
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    crossed = client.get(f"/konto/oidc/ansattporten/callback/?code=abc&state={state}")
    assert _messages(crossed)[-1] == _refusal("state_unknown")


def test_an_unreachable_provider_is_said_plainly(client, settings):
    settings.KRAFTSENTER_OIDC_PROVIDERS = {
        "idporten": {"client_id": "x", "issuer": "http://127.0.0.1:9"}
    }
    response = client.get("/konto/oidc/idporten/")
    assert response["Location"] == "/konto/logg-inn/"
    assert _messages(response) == [_refusal("unavailable")]
    assert SecurityEvent.objects.get().details["reason"] == "unavailable"


# --- employees: Ansattporten -------------------------------------------------------------------


def test_employee_of_an_unregistered_organisation_gets_nothing(
    client, oidc_providers, oidc_settings
):
    response = login(
        client, oidc_providers, "ansattporten", "per", pid=PID, reportees=["0192:974760673"]
    )
    assert _messages(response) == [_refusal("organisation_unknown", numbers="974760673")]
    assert not get_user_model().objects.exists()
    assert not Membership.objects.exists() and not MembershipRequest.objects.exists()
    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEventKind.ORGANISATION_UNKNOWN
    assert event.details["organisation_numbers"] == ["974760673"]


def test_employee_without_an_organisation_is_refused(client, oidc_providers, oidc_settings):
    response = login(client, oidc_providers, "ansattporten", "alone", pid=PID, reportees=[])
    assert _messages(response) == [_refusal("no_organisation")]
    assert not get_user_model().objects.exists()


def test_employee_gets_the_default_role_the_organisation_chose(
    client, oidc_providers, oidc_settings, org_a, org_b
):
    org_a.employee_access = EmployeeAccess.EDITOR
    org_a.save()
    org_b.employee_access = EmployeeAccess.MEMBER
    org_b.save()
    login(
        client,
        oidc_providers,
        "ansattporten",
        "siri",
        pid=PID,
        reportees=["0192:921627009", "0192:991825827", "0192:974760673"],
    )
    user = get_user_model().objects.get()
    roles = dict(Membership.objects.filter(user=user).values_list("organisation_id", "role"))
    assert roles == {org_a.pk: Role.EDITOR, org_b.pk: Role.MEMBER}
    # The third number is not registered: logged, and the person is told.
    unknown = SecurityEvent.objects.get(kind=SecurityEventKind.ORGANISATION_UNKNOWN)
    assert unknown.details["organisation_numbers"] == ["974760673"] and unknown.user == user
    # The second login changes nothing.
    login(Client(), oidc_providers, "ansattporten", "siri", pid=PID, reportees=["0192:921627009"])
    assert Membership.objects.filter(user=user).count() == 2


def test_employee_waits_for_approval_and_an_admin_decides(
    client, oidc_providers, oidc_settings, org_a, django_user_model
):
    admin = django_user_model.objects.create_user("admin-a", password="x-long-password-1")
    membership_add(actor="test", organisation=org_a, user=admin, role=Role.ADMIN)
    assert org_a.employee_access == EmployeeAccess.APPROVAL  # the default
    login(client, oidc_providers, "ansattporten", "tor", pid=PID, reportees=["0192:921627009"])
    login(
        Client(),
        oidc_providers,
        "ansattporten",
        "una",
        pid="05057012345",
        reportees=["0192:921627009"],
    )
    tor = OidcIdentity.objects.get(pid_hash=pid_hash(PID)).user
    assert not Membership.objects.filter(user=tor).exists()
    requests_ = MembershipRequest.objects.filter(organisation=org_a)
    assert requests_.count() == 2
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.MEMBERSHIP_REQUESTED).count() == 2
    # Logging in again does not open a second request.
    login(Client(), oidc_providers, "ansattporten", "tor", pid=PID, reportees=["0192:921627009"])
    assert requests_.count() == 2

    admin_client = Client()
    admin_client.force_login(admin)
    page = admin_client.get(f"/organisasjoner/{org_a.pk}/medlemmer/").content.decode()
    tor_request = requests_.get(user=tor)
    una_request = requests_.exclude(user=tor).get()
    assert f'data-request="{tor_request.pk}"' in page and f'data-request="{una_request.pk}"' in page
    base = f"/organisasjoner/{org_a.pk}/medlemmer/foresporsler"
    admin_client.post(f"{base}/{tor_request.pk}/godkjenn/", {"role": "editor"})
    admin_client.post(f"{base}/{una_request.pk}/avsla/")
    assert Membership.objects.active().get(user=tor, organisation=org_a).role == Role.EDITOR
    assert not Membership.objects.filter(user=una_request.user).exists()
    assert requests_.get(pk=una_request.pk).status == RequestStatus.REFUSED
    # A decided request is not decided again.
    again = admin_client.post(f"{base}/{una_request.pk}/godkjenn/", {"role": "member"}, follow=True)
    assert not Membership.objects.filter(user=una_request.user).exists()
    assert again.status_code == 200


def test_only_the_organisations_admins_decide(client, org_a, django_user_model):
    member = django_user_model.objects.create_user("member-a", password="x-long-password-1")
    membership_add(actor="test", organisation=org_a, user=member, role=Role.EDITOR)
    client.force_login(member)
    response = client.post(
        f"/organisasjoner/{org_a.pk}/medlemmer/ansattporten/", {"employee_access": "editor"}
    )
    assert response.status_code == 403
    org_a.refresh_from_db()
    assert org_a.employee_access == EmployeeAccess.APPROVAL
    api = client.put(
        f"/api/v1/organisations/{org_a.pk}/employee-access",
        {"employee_access": "editor"},
        content_type="application/json",
    )
    assert api.status_code == 403


def test_admin_sets_the_default_role_on_the_page_and_in_the_api(client, org_a, django_user_model):
    admin = django_user_model.objects.create_user("admin-b", password="x-long-password-1")
    membership_add(actor="test", organisation=org_a, user=admin, role=Role.ADMIN)
    client.force_login(admin)
    client.post(f"/organisasjoner/{org_a.pk}/medlemmer/ansattporten/", {"employee_access": "none"})
    org_a.refresh_from_db()
    assert org_a.employee_access == EmployeeAccess.NONE
    bad = client.post(
        f"/organisasjoner/{org_a.pk}/medlemmer/ansattporten/", {"employee_access": "admin"}
    )
    assert bad.status_code in (302, 422)
    org_a.refresh_from_db()
    assert org_a.employee_access == EmployeeAccess.NONE
    from kraftsenter.accounts.tokens import token_create

    _token, secret = token_create(actor=admin, user=admin, name="t", days=1)
    api = Client().put(
        f"/api/v1/organisations/{org_a.pk}/employee-access",
        {"employee_access": "member", "version": org_a.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert api.status_code == 200 and api.json()["employee_access"] == "member"
    stale = Client().put(
        f"/api/v1/organisations/{org_a.pk}/employee-access",
        {"employee_access": "editor", "version": org_a.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert stale.status_code == 409
    wrong = Client().put(
        f"/api/v1/organisations/{org_a.pk}/employee-access",
        {"employee_access": "admin"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert wrong.status_code == 422


def test_reportee_numbers_read_the_documented_shapes():
    details = [
        {
            "type": "ansattporten:altinn:service",
            "resource": "urn:altinn:resource:2480:40",
            "reportees": [
                {
                    "Rights": ["Read"],
                    "Authority": "iso6523-actorid-upis",
                    "ID": "0192:921627009",
                    "Name": "A",
                },
                {"ID": "0192:991825827", "Name": "B"},
                {"ID": "0192:12345"},  # not nine digits
            ],
        },
        {"type": "ansattporten:orgno", "orgno": {"ID": "0192:974760673"}},
        {"type": "something-else", "reportees": [{"ID": "0192:910753614"}]},
    ]
    assert reportee_numbers(details) == ["921627009", "991825827", "974760673"]
    assert reportee_numbers(None) == [] and reportee_numbers("not json") == []


# --- logout -------------------------------------------------------------------------------------


def test_front_channel_logout_ends_the_session_the_provider_names(
    client, oidc_providers, oidc_settings
):
    login(client, oidc_providers, "idporten", "liv", pid=PID)
    other = Client()
    login(other, oidc_providers, "idporten", "mons", pid="06067012345")
    row = OidcSession.objects.get(user__oidc_identity__pid_hash=pid_hash(PID))
    issuer = oidc_providers["idporten"].issuer
    assert client.get("/konto/profil/").status_code == 200
    wrong_issuer = Client().get(
        "/konto/oidc/idporten/frontchannel-logout/",
        {"iss": "https://idporten.no", "sid": row.sid},
    )
    assert wrong_issuer.status_code == 400
    assert Session.objects.filter(session_key=row.session_key).exists()
    # The provider's frame carries no cookie of ours: the sid alone ends the session.
    answer = Client().get(
        "/konto/oidc/idporten/frontchannel-logout/", {"iss": issuer, "sid": row.sid}
    )
    assert answer.status_code == 200
    assert f"frame-ancestors {issuer}" in answer["Content-Security-Policy"]
    assert not Session.objects.filter(session_key=row.session_key).exists()
    assert client.get("/konto/profil/").status_code == 302  # logged out
    assert other.get("/konto/profil/").status_code == 200  # the other person stays
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.OIDC_LOGOUT).count() == 1


def test_logout_goes_on_to_the_provider_with_the_id_token(client, oidc_providers, oidc_settings):
    login(client, oidc_providers, "idporten", "vera", pid=PID)
    id_token = client.session["ks_oidc"]["id_token"]
    page = client.post("/konto/logg-ut/")
    assert page.status_code == 200
    link = page.content.decode().split('id="provider-logout" href="')[1].split('"')[0]
    query = parse_qs(urlparse(link.replace("&amp;", "&")).query)
    assert link.startswith(oidc_providers["idporten"].issuer)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/konto/logget-ut/"]
    assert client.get("/konto/profil/").status_code == 302
    assert not OidcSession.objects.exists()
    # The provider accepts it and sends the browser back.
    import requests

    answer = requests.get(link.replace("&amp;", "&"), allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("http://testserver/konto/logget-ut/")


def test_a_password_session_logs_out_locally(client, django_user_model, oidc_settings):
    user = django_user_model.objects.create_user("pw", password="x-long-password-1")
    client.force_login(user)
    response = client.post("/konto/logg-ut/")
    assert response.status_code == 302


# --- password login switched off --------------------------------------------------------------


def test_password_login_can_be_switched_off(client, settings, django_user_model):
    django_user_model.objects.create_user("pw2", password="x-long-password-1")
    settings.KRAFTSENTER_PASSWORD_LOGIN = False
    settings.KRAFTSENTER_OIDC_PROVIDERS = {
        "idporten": {"client_id": "x", "issuer": "https://test.idporten.no"}
    }
    page = client.get("/konto/logg-inn/").content.decode()
    assert 'id="password-login"' not in page and 'id="login-idporten"' in page
    refused = client.post("/konto/logg-inn/", {"username": "pw2", "password": "x-long-password-1"})
    assert refused.status_code == 403
    assert "_auth_user_id" not in client.session
    assert client.get("/konto/passord/glemt/").status_code == 403
    assert client.post("/konto/passord/glemt/", {"email": "a@example.no"}).status_code == 403
    # The Django admin's login takes no password either.
    admin_login = client.post(
        "/admin/login/", {"username": "pw2", "password": "x-long-password-1", "next": "/admin/"}
    )
    assert admin_login.status_code == 200 and "_auth_user_id" not in client.session
    settings.KRAFTSENTER_PASSWORD_LOGIN = True
    allowed = client.post("/konto/logg-inn/", {"username": "pw2", "password": "x-long-password-1"})
    assert allowed.status_code == 302


def test_admin_decides_requests_through_the_api(org_a, django_user_model):
    from kraftsenter.accounts.tokens import token_create
    from kraftsenter.actors.services import employee_logged_in
    from kraftsenter.core.history import history_for

    admin = django_user_model.objects.create_user("admin-c", password="x-long-password-1")
    membership_add(actor="test", organisation=org_a, user=admin, role=Role.ADMIN)
    first = django_user_model.objects.create_user("emp-1")
    second = django_user_model.objects.create_user("emp-2")
    assert employee_logged_in(user=first, organisation=org_a) == "requested"
    assert employee_logged_in(user=second, organisation=org_a) == "requested"
    assert employee_logged_in(user=second, organisation=org_a) == "pending"
    _token, secret = token_create(actor=admin, user=admin, name="t", days=1)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    base = f"/api/v1/organisations/{org_a.pk}/membership-requests"
    listed = api.get(base).json()
    assert [r["username"] for r in listed] == ["emp-1", "emp-2"]
    approved = api.post(
        f"{base}/{listed[0]['id']}/approve", {"role": "editor"}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["role"] == "editor"
    refused = api.post(f"{base}/{listed[1]['id']}/refuse")
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert api.get(base).json() == []
    again = api.post(f"{base}/{listed[1]['id']}/approve", {}, content_type="application/json")
    assert again.status_code == 422
    assert not Membership.objects.filter(user=second).exists()
    assert Membership.objects.active().get(user=first).role == Role.EDITOR
    # History names the employee's request and the decision.
    actions = [entry.action for entry in history_for(org_a)]
    assert "membershiprequest.created" in actions and "membershiprequest.updated" in actions
    # A member who is not an administrator sees no requests.
    member = django_user_model.objects.create_user("plain", password="x-long-password-1")
    membership_add(actor="test", organisation=org_a, user=member, role=Role.MEMBER)
    _t, member_secret = token_create(actor=member, user=member, name="t", days=1)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {member_secret}").get(base).status_code == 403
    # The organisation that gives nothing: no request, no membership.
    org_a.employee_access = EmployeeAccess.NONE
    org_a.save()
    third = django_user_model.objects.create_user("emp-3")
    assert employee_logged_in(user=third, organisation=org_a) == "none"
    assert not MembershipRequest.objects.filter(user=third).exists()


def test_security_log_shows_the_national_login_events(client, oidc_providers, oidc_settings):
    login(client, oidc_providers, "idporten", "logged", pid=PID)
    login(Client(), oidc_providers, "idporten", "bad", pid=PID, mode="wrong_audience")
    admin = get_user_model().objects.create_superuser("root", password="x-long-password-1")
    reader = Client()
    reader.force_login(admin)
    page = reader.get("/konto/sikkerhetslogg/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "ID-porten: audience" in text and "ID-porten idporten-loa-substantial" in text
