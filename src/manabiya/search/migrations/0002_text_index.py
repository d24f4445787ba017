"""The text index beside search_document, in the form the database in use does best."""

from django.db import migrations


def create(apps, schema_editor):
    from manabiya.search.backends import backend

    for statement in backend().create_sql():
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    from manabiya.search.backends import backend

    for statement in backend().drop_sql():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
