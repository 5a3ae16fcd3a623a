"""Run every benchmark: ``python -m bench`` (or ``make bench``); ``python -m bench notice`` filters."""

import importlib
import os
import pkgutil
import sys

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if os.environ.get("JSG_BENCH_POSTGRES") == "1":  # the database is made on first use
        from bench.bench_ledger import ensure_database

        problem = ensure_database(
            os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jsg_bench")
        )
        if problem:
            print(f"PostgreSQL: not measured, {problem}")
            return
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import bench

    names = sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_")
    )
    chosen = [n for n in names if not argv or any(a in n for a in argv)]
    for name in chosen:
        module = importlib.import_module(f"bench.{name}")
        for result in module.run():
            print(result, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
