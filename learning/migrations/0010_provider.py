"""Providers become rows: the first catalog's free-text provider spellings merge into one Provider each.

A spelling listed in MERGED_SPELLINGS joins its provider and is kept as an alias, so version 1 catalog files that
use it still import; any other spelling (a curator's own) becomes a provider of that name.
"""

import django.db.models.deletion
from django.db import migrations, models

# The 147 spellings of the first shipped catalog that name the same provider as another (frozen here).
MERGED_SPELLINGS = {
    "3Blue1Brown (Grant Sanderson)": "3Blue1Brown",
    "3Blue1Brown on YouTube": "3Blue1Brown",
    "ACL Anthology / EMNLP (Pennington, Socher, Manning, 2014)": "ACL Anthology",
    "Air Street Capital (Nathan Benaich)": "Air Street Capital",
    "Andrej Karpathy (GitHub)": "Andrej Karpathy",
    "Andrej Karpathy (Medium)": "Andrej Karpathy",
    "Andrej Karpathy (blog)": "Andrej Karpathy",
    "Andrej Karpathy on YouTube": "Andrej Karpathy",
    "Cambridge University Press (Deisenroth, Faisal, Ong)": "Cambridge University Press",
    "Christopher Olah (colah's blog)": "Christopher Olah",
    "CleanRL (GitHub)": "CleanRL",
    "Coursera (DeepLearning.AI and Stanford Online)": "Coursera",
    "Coursera (DeepLearning.AI)": "Coursera",
    "Coursera (Imperial College London)": "Coursera",
    "Coursera (New York University)": "Coursera",
    "Coursera (University of Toronto)": "Coursera",
    "David Silver (UCL / DeepMind)": "David Silver",
    "DeepMind on YouTube": "Google DeepMind",
    "Distill (Gabriel Goh)": "Distill",
    "Distill (Odena, Dumoulin, Olah)": "Distill",
    "Distill (Olah and Carter)": "Distill",
    "Distill (Olah, Mordvintsev, Schubert)": "Distill",
    "Flax (Google)": "Flax",
    "Francois Fleuret (University of Geneva)": "Francois Fleuret",
    "Goku Mohandas (GitHub)": "Made With ML",
    "Google for Developers (Martin Zinkevich)": "Google for Developers",
    "Gradio (Hugging Face)": "Gradio",
    "Hugging Face blog": "Hugging Face",
    "JAX (Google)": "JAX",
    "JMLR (Srivastava et al., 2014)": "JMLR",
    "Jeremy Howard on YouTube": "Jeremy Howard",
    "Kaggle (Jeremy Howard, fast.ai)": "Kaggle",
    "Karoly Zsolnai-Feher on YouTube": "Two Minute Papers",
    "Lilian Weng (Lil'Log)": "Lilian Weng",
    "MIT Press (Goodfellow, Bengio, Courville)": "MIT Press",
    "MIT Press (Kevin P. Murphy)": "MIT Press",
    "MIT Press (Simon J. D. Prince)": "MIT Press",
    "MIT Press / free online (Sutton and Barto)": "MIT Press",
    "Made With ML (Goku Mohandas)": "Made With ML",
    "Manning (Francois Chollet)": "Manning",
    "Manning (Sebastian Raschka)": "Manning",
    "Manning (Stevens, Antiga, Viehmann)": "Manning",
    "NYU Center for Data Science (Yann LeCun, Alfredo Canziani)": "NYU Center for Data Science",
    "Nature (Esteva et al., 2017)": "Nature",
    "Nature (Jumper et al., 2021)": "Nature",
    "Nature (LeCun, Bengio, Hinton, 2015)": "Nature",
    "Nature (Mnih et al., 2015)": "Nature",
    "Nature (Rumelhart, Hinton, Williams, 1986)": "Nature",
    "Nature (Silver et al., 2016)": "Nature",
    "NeurIPS (Krizhevsky, Sutskever, Hinton, 2012)": "NeurIPS",
    "Neural Computation (Hochreiter and Schmidhuber, 1997)": "Neural Computation",
    "O'Reilly (Aurelien Geron)": "O'Reilly",
    "O'Reilly (Chip Huyen)": "O'Reilly",
    "O'Reilly / free online (Jake VanderPlas)": "O'Reilly",
    "O'Reilly book companion (Tunstall, von Werra, Wolf)": "O'Reilly",
    "PMLR / AISTATS (Glorot and Bengio, 2010)": "PMLR",
    "PyTorch (Jeremy Howard)": "PyTorch",
    "Sebastian Raschka (Ahead of AI)": "Sebastian Raschka",
    "Springer (Sheldon Axler)": "Springer",
    "Stanford (Jurafsky and Martin)": "Stanford University",
    "UC Berkeley (Sergey Levine)": "UC Berkeley",
    "University of Michigan (Charles Severance)": "University of Michigan",
    "Yannic Kilcher on YouTube": "Yannic Kilcher",
    "arXiv (Ba, Kiros, Hinton, 2016)": "arXiv",
    "arXiv (Bahdanau, Cho, Bengio, 2014)": "arXiv",
    "arXiv (Bansal, Krizhevsky, Ogale, 2018)": "arXiv",
    "arXiv (Bojarski et al., 2016)": "arXiv",
    "arXiv (Brown et al., 2020)": "arXiv",
    "arXiv (Buehler, Gonon, Teichmann, Wood, 2018)": "arXiv",
    "arXiv (Cheng et al., 2016)": "arXiv",
    "arXiv (Dao et al., 2022)": "arXiv",
    "arXiv (Devlin et al., 2018)": "arXiv",
    "arXiv (Dosovitskiy et al., 2017)": "arXiv",
    "arXiv (Dosovitskiy et al., 2020)": "arXiv",
    "arXiv (Goodfellow et al., 2014)": "arXiv",
    "arXiv (He et al., 2015)": "arXiv",
    "arXiv (He et al., 2017)": "arXiv",
    "arXiv (He, Gkioxari, Dollar, Girshick, 2017)": "arXiv",
    "arXiv (Heaton, Polson, Witte, 2016)": "arXiv",
    "arXiv (Ho, Jain, Abbeel, 2020)": "arXiv",
    "arXiv (Hoffmann et al., 2022)": "arXiv",
    "arXiv (Hu et al., 2021)": "arXiv",
    "arXiv (Ioffe and Szegedy, 2015)": "arXiv",
    "arXiv (Kaplan et al., 2020)": "arXiv",
    "arXiv (Kendall et al., 2018)": "arXiv",
    "arXiv (Kingma and Ba, 2014)": "arXiv",
    "arXiv (Kingma and Welling, 2013)": "arXiv",
    "arXiv (Lim et al., 2019)": "arXiv",
    "arXiv (Mikolov et al., 2013)": "arXiv",
    "arXiv (Mnih et al., 2013)": "arXiv",
    "arXiv (Mnih et al., 2016)": "arXiv",
    "arXiv (Naumov et al., 2019)": "arXiv",
    "arXiv (Ouyang et al., 2022)": "arXiv",
    "arXiv (Paleyes, Urma, Lawrence, 2020)": "arXiv",
    "arXiv (Qi et al., 2016)": "arXiv",
    "arXiv (Radford et al., 2021)": "arXiv",
    "arXiv (Rajpurkar et al., 2017)": "arXiv",
    "arXiv (Redmon et al., 2015)": "arXiv",
    "arXiv (Ren, He, Girshick, Sun, 2015)": "arXiv",
    "arXiv (Rombach et al., 2021)": "arXiv",
    "arXiv (Ronneberger, Fischer, Brox, 2015)": "arXiv",
    "arXiv (Schulman et al., 2017)": "arXiv",
    "arXiv (Simonyan and Zisserman, 2014)": "arXiv",
    "arXiv (Song, Meng, Ermon, 2020)": "arXiv",
    "arXiv (Sutskever, Vinyals, Le, 2014)": "arXiv",
    "arXiv (Szegedy et al., 2014)": "arXiv",
    "arXiv (Touvron et al., 2023)": "arXiv",
    "arXiv (Vaswani et al., 2017)": "arXiv",
    "d2l.ai (Zhang, Lipton, Li, Smola)": "d2l.ai",
    "fast.ai (Howard and Gugger)": "fast.ai",
    "fast.ai (Jeremy Howard)": "fast.ai",
}


def merge_spellings(apps, schema_editor):
    Provider = apps.get_model("learning", "Provider")
    Resource = apps.get_model("learning", "Resource")
    providers = {}
    for spelling in sorted(set(Resource.objects.values_list("provider_name", flat=True))):
        name = MERGED_SPELLINGS.get(spelling, spelling)
        provider = providers.get(name) or Provider.objects.create(name=name, aliases=[])
        providers[name] = provider
        if spelling != name and spelling not in provider.aliases:
            provider.aliases = sorted([*provider.aliases, spelling])
            provider.save(update_fields=["aliases"])
        Resource.objects.filter(provider_name=spelling).update(provider=provider)


def split_back(apps, schema_editor):
    Resource = apps.get_model("learning", "Resource")
    for resource in Resource.objects.select_related("provider"):
        Resource.objects.filter(pk=resource.pk).update(provider_name=resource.provider.name)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0009_saved_plans"),
    ]

    operations = [
        migrations.CreateModel(
            name="Provider",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=100, unique=True)),
                ("url", models.URLField(blank=True, max_length=500, verbose_name="URL")),
                (
                    "aliases",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Other spellings of this provider (a list of strings); imports match them to this "
                        "provider.",
                    ),
                ),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.RenameField(model_name="resource", old_name="provider", new_name="provider_name"),
        migrations.AddField(
            model_name="resource",
            name="provider",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="resources",
                to="learning.provider",
            ),
        ),
        migrations.RunPython(merge_spellings, split_back),
        migrations.RemoveField(model_name="resource", name="provider_name"),
        migrations.AlterField(
            model_name="resource",
            name="provider",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="resources", to="learning.provider"
            ),
        ),
    ]
