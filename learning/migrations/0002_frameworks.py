from django.db import migrations

FRAMEWORKS = [
    ("pytorch", "PyTorch", 1),
    ("tensorflow", "TensorFlow/Keras", 2),
    ("jax", "JAX", 3),
    ("none", "Framework-free", 4),
]


def add_frameworks(apps, schema_editor):
    framework = apps.get_model("learning", "Framework")
    for slug, name, position in FRAMEWORKS:
        framework.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})


def remove_frameworks(apps, schema_editor):
    apps.get_model("learning", "Framework").objects.filter(slug__in=[slug for slug, _, _ in FRAMEWORKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(add_frameworks, remove_frameworks)]
