"""Assembles the strawberry schema, with production hardening when asked."""

from __future__ import annotations

import functools

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.badge_policy import BadgePolicyMutations, BadgePolicyQueries
from schema.compiled import CompiledCompletion
from schema.errors import AuthError
from schema.mutations.activity import ActivityMutations, LeaveMutations
from schema.mutations.participants import ParticipantMutations
from schema.mutations.standing import build_transition_mutations
from schema.queries import Query
from schema.subscriptions import Subscription
from schema.webhooks import WebhookMutations, WebhookQueries

MAX_DEPTH = 10
MAX_TOKENS = 2000
MAX_ALIASES = 15


def _mask(error: GraphQLError) -> bool:
    """Mask everything but our own errors and GraphQL's own validation messages."""
    original = error.original_error
    return original is not None and not isinstance(original, AuthError)


class StandingExecutionContext(CompiledCompletion, StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, completing plain objects from compiled plans (schema/compiled.py)."""

    def build_per_event_executor(self, payload):  # type: ignore[no-untyped-def]
        # graphql-core 3.3 runs each subscription event on a shallow copy of the subscription's executor, so every
        # event shared its sub-field memo, keyed by ids of lists built anew per event: it grew ~2.4 KB per event per
        # subscriber (bench/fanout.py). Each event's executor gets its own memo, and its own compiled plans.
        executor = super().build_per_event_executor(payload)
        executor._relevant_sub_fields = {}
        executor.forget_plans()
        return executor


class CachedNameConverter(NameConverter):
    """Strawberry converts every argument's Python name to camelCase on every call of every resolver
    with arguments: 8 % of a single participant's read (bench/api.py profile). The conversion depends
    only on the name, so each name is converted once."""

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one converter per schema, living as long as it
    def apply_naming_config(self, name: str) -> str:
        return super().apply_naming_config(name)


class StandingSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        # A missing token or a wrong role is the caller's business, not a server fault to log.
        unexpected = [e for e in errors if not isinstance(e.original_error, AuthError) and not isinstance(e, AuthError)]
        super().process_errors(unexpected, execution_context)


def build_schema(*, production: bool = False) -> strawberry.Schema:
    mutation = strawberry.type(
        type(
            "Mutation",
            (
                ParticipantMutations,
                build_transition_mutations(),
                ActivityMutations,
                LeaveMutations,
                WebhookMutations,
                BadgePolicyMutations,
            ),
            {},
        )
    )
    extensions: list = [lambda: ParserCache(maxsize=256), lambda: ValidationCache(maxsize=256)]
    if production:
        extensions += [
            DisableIntrospection,
            lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
            lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
            lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
            lambda: MaskErrors(should_mask_error=_mask),
        ]
    query = strawberry.type(type("Query", (Query, WebhookQueries, BadgePolicyQueries), {}))
    return StandingSchema(
        query=query,
        mutation=mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=StandingExecutionContext,
        config=StrawberryConfig(name_converter=CachedNameConverter()),
    )


def schema_sdl() -> str:
    """The SDL committed as schema.graphql (always the development schema: production only hides it)."""
    return build_schema().as_str() + "\n"
