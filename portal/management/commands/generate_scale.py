"""``manage.py generate_scale``: province-scale synthetic data for benchmarks.

    generate_scale                      the province's full size (~1M reports)
    generate_scale --size small         seconds to build (tests, CI)
    generate_scale --reports-per-station 100 --cities 3 --seed 7 --today 2026-11-29

Refuses a database that already holds reports unless --append (or --force) is
given; never changes existing rows. See portal/scale/ for what is built.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from portal.scale.plan import PRESETS, Sizes, sizes_from
from portal.scale.run import RefusedError, generate


class Command(BaseCommand):
    help = "Generate province-scale synthetic data (stations, people, reports, issues)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=sorted(PRESETS),
            default="full",
            help="preset sizes; the options below override single figures",
        )
        for name in Sizes.names():
            parser.add_argument(
                f"--{name.replace('_', '-')}",
                type=int,
                dest=name,
                help=f"default {getattr(Sizes(), name)} (full size)",
            )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="the day the data ends (YYYY-MM-DD); same seed and day, same data",
        )
        parser.add_argument(
            "--append",
            "--force",
            action="store_true",
            dest="append",
            help="add generated data next to existing reports instead of refusing",
        )

    def handle(self, *args, **options):
        try:
            sizes = sizes_from(options["size"], {n: options[n] for n in Sizes.names()})
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"sizes: {sizes}")
        try:
            generate(
                sizes,
                seed=options["seed"],
                append=options["append"],
                out=self.stdout.write,
                today=options["today"],
            )
        except RefusedError as exc:
            raise CommandError(str(exc)) from exc
