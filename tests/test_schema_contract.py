"""The printed SDL is committed; changing the API must be a deliberate, reviewed diff."""

from __future__ import annotations

from pathlib import Path

from schema.schema import print_sdl


def test_sdl_matches_the_committed_snapshot(repo_root: Path) -> None:
    committed = (repo_root / "schema" / "schema.graphql").read_text(encoding="utf-8")
    assert print_sdl() == committed, (
        "The GraphQL schema changed. If intended, run `registry schema > schema/schema.graphql` "
        "and commit the diff."
    )
