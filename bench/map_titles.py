"""Times `registry map-titles` on N titles, start-up included, on one core.

The input mixes alias texts as written, alias texts with typos, casing and extra words, and
the demo credential titles: what a recognition centre's export looks like. Never the dev set.

    python -m bench.map_titles --titles 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from matching.aliases import load_alias_table

PREFIXES = ["Diploma in ", "Certificate of ", "Senior ", "Chief ", "Bachelor of ", ""]
SUFFIXES = [" (f/m/d)", " II", ", specialist", " – licence", ""]


def noisy(text: str, rng: random.Random) -> str:
    if len(text) > 6 and rng.random() < 0.5:
        i = rng.randrange(1, len(text) - 1)
        text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # swapped letters
    if rng.random() < 0.3:
        text = text.upper()
    return rng.choice(PREFIXES) + text + rng.choice(SUFFIXES)


def generate(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    aliases = load_alias_table().aliases
    profiles = json.loads((resources.files("registry.demo") / "data" / "profiles.json").read_text())
    demo = [
        (t, p["title_language"])
        for p in profiles["profiles"].values()
        for ts in p["titles"].values()
        for t in ts
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "language", "country"])
        for _ in range(count):
            roll = rng.random()
            if roll < 0.4:
                alias = rng.choice(aliases)
                writer.writerow([alias.text, alias.language, ""])
            elif roll < 0.8:
                alias = rng.choice(aliases)
                writer.writerow([noisy(alias.text, rng), alias.language, ""])
            else:
                title, language = rng.choice(demo)
                writer.writerow([title, language, ""])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "titles.csv", Path(tmp) / "mapped.csv"
        generate(source, args.titles, args.seed)
        registry = Path(sys.executable).with_name("registry")
        started = time.perf_counter()
        # taskset pins the whole run, start-up included, to one core.
        subprocess.run(
            ["taskset", "-c", "0", str(registry), "map-titles", str(source), "-o", str(target)],
            check=True,
        )
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        with target.open(encoding="utf-8") as handle:
            rows = sum(1 for _ in handle) - 1
    print(
        f"map-titles: {rows:,} titles in {elapsed:.1f}s = {rows / elapsed:,.0f} titles/s "
        f"(one core, start-up included), peak memory {peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
