from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jsg_privacy_saleor", "0001_installations_deliveries_and_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="installation",
            name="schema_version",
            field=models.CharField(blank=True, max_length=16, verbose_name="Saleor schema version"),
        ),
    ]
