"""The schema and its extensions. Extensions are passed as classes or factories so no
state is shared between requests."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from functools import partial

import strawberry
from graphql import (
    ASTValidationRule,
    DirectiveNode,
    GraphQLError,
    ValidationContext,
    ValidationRule,
)
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
    max_aliases,
    query_depth_limiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from registry.settings import Settings
from schema.errors import should_mask_error
from schema.guards import UNAVAILABLE, is_unavailable
from schema.mutations.accreditation import AccreditationMutations
from schema.mutations.credentials import CredentialMutations
from schema.mutations.professionals import ProfessionalMutations
from schema.mutations.recruitment import RecruitmentMutations
from schema.mutations.shortages import ShortageMutations
from schema.queries import Query
from schema.types.accreditation import Licence, Organisation, RecognitionCase, Verification
from schema.types.credentials import Qualification
from schema.types.professionals import Professional
from schema.types.recruitment import BilateralAgreement, Recruitment

log = logging.getLogger("registry.graphql")


@strawberry.type
class Mutation(
    ProfessionalMutations,
    CredentialMutations,
    AccreditationMutations,
    RecruitmentMutations,
    ShortageMutations,
):
    pass


class RegistryMaskErrors(MaskErrors):
    """Unexpected errors are masked; a lost database says so, so that clients retry."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        if is_unavailable(error.original_error):
            return GraphQLError(
                UNAVAILABLE,
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                extensions={"code": "UNAVAILABLE"},
            )
        return super().anonymise_error(error)


def max_directives_rule(limit: int) -> type[ValidationRule]:
    class MaxDirectives(ValidationRule):
        """Refuses documents with more than ``limit`` directives: each one costs the
        server work and none of this API's operations needs many."""

        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.count = 0

        def enter_directive(self, node: DirectiveNode, *_: object) -> None:
            self.count += 1
            if self.count == limit + 1:
                self.report_error(
                    GraphQLError(f"more than {limit} directives in one document", node)
                )

    return MaxDirectives


class RegistrySchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Logs without personal data: messages of client errors echo input values and
        messages of database errors carry row values, so only types, paths and stack
        frames are written."""
        for error in errors:
            if should_mask_error(error):
                original = error.original_error
                assert original is not None
                frames = "".join(traceback.format_tb(original.__traceback__))
                log.error("unexpected %s at %s\n%s", type(original).__name__, error.path, frames)
            else:
                log.info("client error at %s", error.path)


def build_schema(settings: Settings) -> strawberry.Schema:
    # The depth, alias and introspection rules are built once, not by their extensions:
    # those are constructed per request and make a new rule class each time, so that
    # ValidationCache, which keys on the rules, never hit (strawberry issue #4635).
    rules: list[type[ASTValidationRule]] = [
        max_directives_rule(settings.max_directives),
        query_depth_limiter.create_validator(settings.max_query_depth, None),
        max_aliases.create_validator(settings.max_aliases),
    ]
    if settings.is_production:
        rules.append(NoSchemaIntrospectionCustomRule)
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        partial(RegistryMaskErrors, should_mask_error=should_mask_error),
        partial(AddValidationRules, rules),
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(ParserCache, maxsize=settings.parser_cache_size),
        partial(ValidationCache, maxsize=settings.parser_cache_size),
    ]
    return RegistrySchema(
        query=Query,
        mutation=Mutation,
        types=[
            Professional,
            Qualification,
            RecognitionCase,
            Verification,
            Licence,
            Organisation,
            Recruitment,
            BilateralAgreement,
        ],
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=settings.is_production),
    )


def print_sdl() -> str:
    return build_schema(Settings()).as_str() + "\n"
