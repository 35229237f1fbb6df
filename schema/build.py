"""Assembles the strawberry schema, with production hardening when asked."""

from __future__ import annotations

import functools
import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.appeals import AppealMutations, AppealQueries
from schema.badge_policy import BadgePolicyMutations, BadgePolicyQueries
from schema.cases import CaseMutations, CaseQueries
from schema.compiled import CompiledCompletion
from schema.erasure import ErasureMutations, ErasureQueries
from schema.facts import FactMutations, FactQueries
from schema.limits import MAX_TOKENS, BoundedValidation
from schema.locks import LockMutations, LockQueries
from schema.mutations.activity import ActivityMutations, LeaveMutations
from schema.mutations.participants import ParticipantMutations
from schema.mutations.standing import build_transition_mutations
from schema.notices import NoticeMutations, NoticeQueries
from schema.organization import OrganizationQueries
from schema.over_time import VerificationQueries
from schema.protection import ProtectionMutations, ProtectionQueries
from schema.queries import Query
from schema.scalars import SCALARS
from schema.shared_events import SharedEventExecution
from schema.subscriptions import Subscription, event_key
from schema.webhooks import WebhookMutations, WebhookQueries


def _mask(error: GraphQLError) -> bool:
    """Mask what a resolver raised unexpectedly. Validation and coercion messages (a wrong variable type) are the
    caller's to fix and reveal nothing, and our own errors (AuthError) are meant to be read: both stay."""
    return not is_client_error(error)


class OwnMemoPerEvent:
    """graphql-core 3.3 runs each subscription event on a shallow copy of the subscription's executor, so every
    event shared its sub-field memo, keyed by ids of lists built anew per event: it grew ~2.4 KB per event per
    subscriber (bench/fanout.py). Each event's executor gets its own memo, and its own compiled plans."""

    def build_per_event_executor(self, payload):  # type: ignore[no-untyped-def]
        executor = super().build_per_event_executor(payload)  # type: ignore[misc]
        executor._relevant_sub_fields = {}
        executor.forget_plans()
        return executor


class StandingExecutionContext(
    SharedEventExecution, OwnMemoPerEvent, CompiledCompletion, StrawberryGraphQLCoreExecutionContext
):
    """graphql-core's executor, completing plain objects from compiled plans (schema/compiled.py), and executing a
    subscription event once for every subscriber with the same selection (schema/shared_events.py): only an
    event whose result is not shared yet gets an executor of its own (`OwnMemoPerEvent`)."""

    event_key = staticmethod(event_key)


class QuietExecutionContext(StandingExecutionContext):
    """Production's executor: coercion errors say what is wrong without suggesting names ("Did you mean")."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        kwargs["hide_suggestions"] = True
        return super().build(*args, **kwargs)


class CachedNameConverter(NameConverter):
    """Strawberry converts every argument's Python name to camelCase on every call of every resolver
    with arguments: 8 % of a single participant's read (bench/api.py profile). The conversion depends
    only on the name, so each name is converted once."""

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one converter per schema, living as long as it
    def apply_naming_config(self, name: str) -> str:
        return super().apply_naming_config(name)


client_errors = logging.getLogger("standing.graphql.client")


def is_client_error(error: GraphQLError) -> bool:
    """A mistake the caller can fix (a syntax or validation error, a bad variable, a missing token), as opposed to
    an exception raised while resolving a field."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError) or error.path is None


class StandingSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context=None) -> None:
        # Client mistakes are logged at info, without a traceback; only unexpected errors are server faults.
        for error in errors:
            if is_client_error(error):
                client_errors.info("client error: %s", error.message)
        super().process_errors([e for e in errors if not is_client_error(e)], execution_context)


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
                CaseMutations,
                NoticeMutations,
                AppealMutations,
                LockMutations,
                FactMutations,
                ProtectionMutations,
                ErasureMutations,
            ),
            {},
        )
    )
    # The same limits in every mode (schema/limits.py); production also hides introspection and suggestions
    # and masks unexpected errors.
    extensions: list = [
        lambda: ParserCache(maxsize=256),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: BoundedValidation(hide_suggestions=production),
    ]
    if production:
        extensions += [DisableIntrospection, lambda: MaskErrors(should_mask_error=_mask)]
    queries = (
        Query,
        WebhookQueries,
        BadgePolicyQueries,
        CaseQueries,
        NoticeQueries,
        AppealQueries,
        LockQueries,
        OrganizationQueries,
        FactQueries,
        ProtectionQueries,
        VerificationQueries,
        ErasureQueries,
    )
    query = strawberry.type(type("Query", queries, {}))
    return StandingSchema(
        query=query,
        mutation=mutation,
        subscription=Subscription,
        extensions=extensions,
        execution_context_class=QuietExecutionContext if production else StandingExecutionContext,
        config=StrawberryConfig(name_converter=CachedNameConverter(), scalar_map=SCALARS),
    )


def schema_sdl() -> str:
    """The SDL committed as schema.graphql (always the development schema: production only hides it)."""
    return build_schema().as_str() + "\n"
