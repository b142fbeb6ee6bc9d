from django.db import migrations


def load(apps, schema_editor):
    from isf.service.catalog_data import SERVICES, catalog_defaults

    Entry = apps.get_model("service", "ServiceCatalogEntry")
    for index, item in enumerate(SERVICES):
        Entry.objects.get_or_create(code=item["code"], defaults=catalog_defaults(item, index))


class Migration(migrations.Migration):
    dependencies = [("service", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
