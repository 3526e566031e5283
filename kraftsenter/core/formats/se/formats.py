"""Northern Sami (davvisámegiella) date and number formats, as used in Norway.

Dates are written with numbers, day first (30.11.2026), as the Sámediggi and Norwegian public
bodies write them in Sami: Django has no Sami month names, and a date written with numbers is
read the same way in Sami and Norwegian. Times use the 24-hour clock. Numbers use a decimal
comma and a (non-breaking) space between thousands, as in Norwegian (CLDR ``se``).

The *_FORMAT strings use Django's date format syntax; the *_INPUT_FORMATS Python's strftime.
"""

DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "m.Y"
MONTH_DAY_FORMAT = "d.m."
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO first, as for Norwegian, so that the browsers' date fields keep working.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2026-11-30'
    "%d.%m.%Y",  # '30.11.2026'
    "%d.%m.%y",  # '30.11.26'
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
