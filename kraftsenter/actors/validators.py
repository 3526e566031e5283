"""Norwegian organisation number (Enhetsregisteret): nine digits, the last a MOD11 check digit."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def organisation_number_is_valid(value: str) -> bool:
    if len(value) != 9 or not (value.isascii() and value.isdigit()):
        return False
    remainder = sum(int(d) * w for d, w in zip(value[:8], WEIGHTS, strict=True)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(value[8])


def validate_organisation_number(value: str) -> None:
    if len(value) != 9 or not (value.isascii() and value.isdigit()):
        raise ValidationError(_("An organisation number has exactly nine digits."), code="format")
    if not organisation_number_is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid organisation number: the check digit does not match."),
            code="check_digit",
            params={"value": value},
        )
