"""The text index beside search_document, in the form the database in use does best."""

from django.db import migrations

from manabiya.search.backends import create_text_index, drop_text_index


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create_text_index, drop_text_index, elidable=False)]
