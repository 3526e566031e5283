# Commitments by status and due date with their party, archived mark and agreement beside them
# on PostgreSQL (INCLUDE): counted from the index alone (issue 14). SQLite makes the same plain
# index as before.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('actors', '0010_organisation_county_place_index'),
        ('agreements', '0010_remove_commitment_agreement_pivot'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='commitment',
            name='commitment_status_due',
        ),
        migrations.AddIndex(
            model_name='commitment',
            index=models.Index(fields=['status', 'due_date'], include=('party', 'archived_at', 'agreement'), name='commitment_status_due'),
        ),
    ]
