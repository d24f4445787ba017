"""On PostgreSQL, GIN indexes of two sample levels' documents (see backends.postgres); nothing
new on SQLite. Existing documents need no reindex: the levels follow from their object ids."""

from django.db import migrations

from manabiya.search.backends import create_text_index


class Migration(migrations.Migration):
    dependencies = [("search", "0004_text_index_storage")]
    operations = [migrations.RunPython(create_text_index, migrations.RunPython.noop, elidable=False)]
