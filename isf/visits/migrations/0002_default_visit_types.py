from django.db import migrations

from isf.visits.defaults import DEFAULT_TYPES


def create(apps, schema_editor):
    VisitType = apps.get_model("visits", "VisitType")
    for code, de, en, sections, position, default in DEFAULT_TYPES:
        VisitType.objects.update_or_create(
            code=code, defaults={"name_de": de, "name_en": en, "sections": sections, "position": position,
                                 "is_default": default},
        )


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
