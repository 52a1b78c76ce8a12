"""Loads N synthetic professionals (about two credentials each) and prints the load rate.

python -m bench.load_professionals --database-url sqlite:///./bench.db --professionals 100000
python -m bench.load_professionals --database-url postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse

from bench.common import bulk_load, prepare, settings_for


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--professionals", type=int, default=100_000)
    parser.add_argument(
        "--keep", action="store_true", help="add to existing data instead of resetting"
    )
    args = parser.parse_args()
    settings = settings_for(args.database_url)
    prepare(settings, reset=not args.keep)
    people, credentials, seconds = bulk_load(settings, args.professionals)
    backend = "sqlite" if settings.is_sqlite else "postgresql"
    print(
        f"load[{backend}]: {people:,} professionals, {credentials:,} qualifications "
        f"({credentials / people:.2f} each) in {seconds:.1f}s "
        f"= {people / seconds:,.0f} professionals/s"
    )


if __name__ == "__main__":
    main()
