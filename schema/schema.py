"""The schema and its extensions. Extensions are passed as classes or factories so no
state is shared between requests."""

from __future__ import annotations

from functools import partial

import strawberry
from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.disable_introspection import DisableIntrospection
from strawberry.schema.config import StrawberryConfig

from registry.settings import Settings
from schema.errors import should_mask_error
from schema.mutations.credentials import CredentialMutations
from schema.mutations.professionals import ProfessionalMutations
from schema.queries import Query
from schema.types.credentials import Qualification
from schema.types.professionals import Professional


@strawberry.type
class Mutation(ProfessionalMutations, CredentialMutations):
    pass


def build_schema(settings: Settings) -> strawberry.Schema:
    extensions: list[type[SchemaExtension] | SchemaExtension] = [
        partial(MaskErrors, should_mask_error=should_mask_error),  # type: ignore[list-item]
        partial(QueryDepthLimiter, max_depth=settings.max_query_depth),  # type: ignore[list-item]
        partial(MaxAliasesLimiter, max_alias_count=settings.max_aliases),  # type: ignore[list-item]
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),  # type: ignore[list-item]
        partial(ParserCache, maxsize=settings.parser_cache_size),  # type: ignore[list-item]
        partial(ValidationCache, maxsize=settings.parser_cache_size),  # type: ignore[list-item]
    ]
    if settings.is_production:
        extensions.append(DisableIntrospection)
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[Professional, Qualification],
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=settings.is_production),
    )


def print_sdl() -> str:
    return build_schema(Settings()).as_str() + "\n"
