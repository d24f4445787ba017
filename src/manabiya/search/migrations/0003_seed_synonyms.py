from django.db import migrations


def seed(apps, schema_editor):
    from manabiya.search.synonyms import SEED_SETS, split_words

    Synonym = apps.get_model("search", "Synonym")
    for words in SEED_SETS:
        Synonym.objects.get_or_create(words="、".join(split_words(words)))


class Migration(migrations.Migration):
    dependencies = [("search", "0002_text_index")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
