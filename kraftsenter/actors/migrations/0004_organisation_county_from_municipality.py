"""Organisations with a home municipality get that municipality's county (the county filter
reads only the county column)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill_county(apps, schema_editor):
    Organisation = apps.get_model("actors", "Organisation")
    Municipality = apps.get_model("places", "Municipality")
    county = Municipality.objects.filter(pk=OuterRef("municipality_id")).values("county_id")[:1]
    Organisation.objects.filter(municipality__isnull=False, county__isnull=True).update(
        county_id=Subquery(county)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0003_organisation_indexes"),
        ("places", "0002_population_year_index"),
    ]

    operations = [migrations.RunPython(fill_county, migrations.RunPython.noop)]
