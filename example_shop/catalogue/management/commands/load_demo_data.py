from django.core.management.base import BaseCommand, CommandParser

from example_shop.demo import ADMIN_PASSWORD, ADMIN_USERNAME, load_demo_data


class Command(BaseCommand):
    help = (
        "Load the demo catalogue, customers, orders, enquiries and quote requests "
        "(reproducible: fixed random seed). Skips if products exist, unless --reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the catalogue, orders, enquiries, quotes and non-staff users first.",
        )

    def handle(self, *args, reset: bool = False, **options) -> None:
        counts = load_demo_data(reset=reset, log=self.stdout.write)
        for label, count in counts.items():
            self.stdout.write(f"{label:>36}: {count}")
        self.stdout.write(
            self.style.WARNING(
                f"Demo staff account: username '{ADMIN_USERNAME}', password '{ADMIN_PASSWORD}'. "
                "DEMO ONLY: never use this data or account on a real shop."
            )
        )
