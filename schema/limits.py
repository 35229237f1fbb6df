"""Limits on what one GraphQL request may cost, checked in time bounded by the size of the document.

A document's fragments are measured once each (memoised), so a chain of fragments that doubles at every
level, which a walker that re-expands every spread takes exponential time over, costs one pass here. The
limits apply in every mode; production only adds masking and hides introspection and suggestions.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    validate,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

MAX_TOKENS = 2_000  # the parser stops counting here: a document is at most this long
MAX_DEPTH = 10  # nested selections, fragments expanded (introspection's subtrees are not counted)
MAX_FIELDS = 2_000  # field selections once every fragment is expanded
MAX_ALIASES = 15  # aliases once every fragment is expanded: each alias can run a resolver again


@dataclass(frozen=True)
class Cost:
    fields: int = 0
    aliases: int = 0
    depth: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.fields + other.fields, self.aliases + other.aliases, max(self.depth, other.depth))


def measure(document: DocumentNode) -> dict[str, Cost]:
    """The cost of each operation of the document, with fragments expanded; one visit per node."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    measured: dict[str, Cost] = {}
    open_fragments: set[str] = set()

    def of_fragment(name: str) -> Cost:
        if name in measured:
            return measured[name]
        if name in open_fragments or name not in fragments:
            return Cost()  # a cycle or an unknown fragment: validation reports it
        open_fragments.add(name)
        measured[name] = of_selections(fragments[name].selection_set)
        open_fragments.discard(name)
        return measured[name]

    def of_selections(selection_set: SelectionSetNode | None) -> Cost:
        total = Cost()
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                inner = of_selections(selection.selection_set)
                # Introspection (__schema, __type) is as deep as the schema's types, and bounded by them.
                depth = 0 if selection.name.value.startswith("__") else 1 + inner.depth
                total += Cost(1 + inner.fields, (1 if selection.alias else 0) + inner.aliases, depth)
            elif isinstance(selection, InlineFragmentNode):
                total += of_selections(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                total += of_fragment(selection.name.value)
        return total

    return {
        (d.name.value if d.name else ""): of_selections(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    }


def limit_problem(document: DocumentNode) -> GraphQLError | None:
    """Why the document costs too much, or None."""
    for cost in measure(document).values():
        if cost.fields > MAX_FIELDS:
            return GraphQLError(
                f"the query selects {cost.fields} fields once fragments are expanded; at most {MAX_FIELDS} are allowed",
                extensions={"code": "QUERY_TOO_COMPLEX"},
            )
        if cost.aliases > MAX_ALIASES:
            return GraphQLError(
                f"the query uses {cost.aliases} aliases; at most {MAX_ALIASES} are allowed",
                extensions={"code": "QUERY_TOO_COMPLEX"},
            )
        depth = cost.depth - 1  # the operation's own fields are at depth 0
        if depth > MAX_DEPTH:
            return GraphQLError(
                f"the query is {depth} levels deep; at most {MAX_DEPTH} are allowed",
                extensions={"code": "QUERY_TOO_COMPLEX"},
            )
    return None


@lru_cache(maxsize=256)
def _validate(
    schema: GraphQLSchema, document: DocumentNode, rules: tuple[Any, ...], hide_suggestions: bool
) -> list[GraphQLError]:
    return validate(schema, document, rules, hide_suggestions=hide_suggestions)


class BoundedValidation(SchemaExtension):
    """Reject a document that costs too much before any other walk of it, then validate it (cached), with
    graphql-core's suggestions ("Did you mean ...?") hidden when asked."""

    def __init__(self, *, hide_suggestions: bool = False) -> None:
        super().__init__()
        self.hide_suggestions = hide_suggestions

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is not None:
            problem = limit_problem(document)
            if problem is not None:
                context.pre_execution_errors = [problem]
            else:
                rules = (*context.validation_rules, MaybeNullValidationRule, OneOfInputValidationRule)
                context.pre_execution_errors = _validate(context.schema._schema, document, rules, self.hide_suggestions)
        yield
