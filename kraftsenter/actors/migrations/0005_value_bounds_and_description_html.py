"""Bounds on the organisation's text (docs/bounds.md), and its description stored as HTML:
rendered once here for the existing rows, then by the services on every save (issue 12)."""

import django.core.validators
from django.db import migrations, models

#: The longest description the model accepts (core.bounds.TEXT_LENGTH when this was written).
#: A longer one is left without HTML: the page shows it as plain text until it is shortened.
LIMIT = 10_000


def render_descriptions(apps, schema_editor):
    from kraftsenter.core.markdown import markdown_for_storage

    Organisation = apps.get_model("actors", "Organisation")
    for org in Organisation.objects.exclude(description="").only("pk", "description").iterator():
        html = markdown_for_storage(org.description, max_length=LIMIT)
        Organisation.objects.filter(pk=org.pk).update(description_html=html)


class Migration(migrations.Migration):

    dependencies = [
        ('actors', '0004_organisation_county_from_municipality'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='description_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='description',
            field=models.TextField(blank=True, max_length=10000, validators=[django.core.validators.MaxLengthValidator(10000)], verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='website',
            field=models.URLField(blank=True, max_length=500, verbose_name='website'),
        ),
        migrations.RunPython(render_descriptions, migrations.RunPython.noop),
    ]
