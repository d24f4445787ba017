from django.db import migrations

from manabiya.catalog.reference import load_reference_data


def forwards(apps, schema_editor):
    load_reference_data(
        Category=apps.get_model("catalog", "Category"),
        Audience=apps.get_model("catalog", "Audience"),
        AccessibilityFeature=apps.get_model("catalog", "AccessibilityFeature"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
