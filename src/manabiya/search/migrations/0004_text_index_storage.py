"""On PostgreSQL, tsvectors kept in the row (see backends.postgres); nothing new on SQLite.

Documents written before carry no date tags: run `manabiya reindex` once after this migration.
"""

from django.db import migrations

from manabiya.search.backends import create_text_index


class Migration(migrations.Migration):
    dependencies = [("search", "0003_seed_synonyms")]
    operations = [migrations.RunPython(create_text_index, migrations.RunPython.noop, elidable=False)]
