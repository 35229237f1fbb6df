"""Completing the plain parts of a result without graphql-core's per-field machinery.

graphql-core completes every field through execute_field, build_resolve_info, the resolver and
complete_value: about 3.5 µs a field on this machine (bench/floor.py). A page of 100 participants is
about 900 fields, so it cost 3.2 ms before any of Standing's code ran, a ceiling of ~300 pages a
second per process whatever the resolvers did.

Most of a result is plain: Strawberry's basic fields (attribute reads), leaves, nested objects and
lists of them, plus a few synchronous resolvers. For an object whose whole selection is plain, this
module compiles the selection once per request (memoised like graphql-core's own sub-field memo) into
closures that build the same dict directly, calling the same things graphql-core would call: the
field's attribute (Strawberry's default resolver), its resolver with a real resolve info, and the
type's `coerce_output_value`.

Anything unusual (an awaitable, an exception, a null in a non-null position, an `is_type_of` that
says no, a directive other than @skip/@include, an abstract type, an async resolver, field
middleware) means "not plain": either the selection is not compiled, or the attempt is dropped and
graphql-core completes the object from scratch. Errors, error paths and nulls are therefore always
graphql-core's own. Dropping an attempt after calling a synchronous resolver calls it again, which is
safe because in Standing they are side-effect-free reads (a test keeps every field's result equal to
graphql-core's).
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import AsyncIterable, Callable, Mapping
from operator import attrgetter
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    is_object_type,
)
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined

# Off to compare with graphql-core's own completion (tests/api/test_compiled_completion.py), and turned off
# at start-up when the self-check (schema/fastpath_check.py) finds the two disagree.
ENABLED = True
# How often an object was completed by a compiled plan, and how often an attempt fell back.
stats: Counter[str] = Counter()

Complete = Callable[[Any, Path | None], Any]
PASS_THROUGH_DIRECTIVES = frozenset({"skip", "include"})  # already applied when fields are collected


class Unplain(Exception):
    """The value is not one a plan can complete: graphql-core must."""


class PlanCompiler:
    """Compiled plans for one executor (one request, or one subscription event)."""

    def __init__(self, executor: Any) -> None:
        self.executor = executor
        # (object type, id of its field group) -> (the group, kept alive so its id stays unique; the plan)
        self._plans: dict[tuple[GraphQLObjectType, int], tuple[Any, Complete | None]] = {}

    def object_plan(self, object_type: GraphQLObjectType, field_details_list: Any) -> Complete | None:
        key = (object_type, id(field_details_list))
        hit = self._plans.get(key)
        if hit is None:
            hit = (field_details_list, self._compile_object(object_type, field_details_list))
            self._plans[key] = hit
        return hit[1]

    def _compile_object(self, object_type: GraphQLObjectType, field_details_list: Any) -> Complete | None:
        grouped_field_set, new_defer_usages, _ = self.executor.collect_subfields(object_type, field_details_list)
        if new_defer_usages:
            return None
        fields = []
        for response_key, group in grouped_field_set.items():
            field = self._compile_field(object_type, response_key, group)
            if field is None:
                return None
            fields.append((response_key, field))

        def complete_object(source: Any, path: Path | None) -> dict[str, Any]:
            return {key: field(source, path) for key, field in fields}

        return complete_object

    def _compile_field(
        self, parent_type: GraphQLObjectType, response_key: str, group: Any
    ) -> Callable[[Any, Path | None], Any] | None:
        nodes = [details.node for details in group]
        if any(d.name.value not in PASS_THROUGH_DIRECTIVES for node in nodes for d in node.directives or ()):
            return None
        name = nodes[0].name.value
        if name == "__typename":
            typename = parent_type.name
            return lambda source, path: typename
        field_def = parent_type.fields.get(name)
        if field_def is None:
            return None
        compiled = self._compile_type(field_def.type, group)
        if compiled is None:
            return None
        complete, needs_path = compiled
        type_name = parent_type.name

        read = self._attribute_reader(field_def)
        if read is not None:
            if needs_path:
                return lambda source, path: complete(_read(read, source), Path(path, response_key, type_name))
            return lambda source, path: complete(_read(read, source), None)

        resolve = self._sync_resolver(field_def)
        if resolve is None:
            return None
        executor = self.executor
        try:
            args = (
                get_argument_values(
                    field_def,
                    nodes[0],
                    executor.variable_values,
                    group[0].fragment_variable_values,
                    executor.hide_suggestions,
                )
                if field_def.args or nodes[0].arguments
                else {}
            )
        except GraphQLError:  # graphql-core reports bad arguments with its own error
            return None
        is_awaitable = executor.is_awaitable
        build_info = executor.build_resolve_info

        def resolve_field(source: Any, path: Path | None) -> Any:
            field_path = Path(path, response_key, type_name)
            try:
                result = resolve(source, build_info(field_def, nodes, parent_type, field_path), **args)
            except Exception as raised:
                raise Unplain from raised
            if is_awaitable(result):
                if inspect.iscoroutine(result):
                    result.close()  # never started: nothing ran, nothing to warn about
                raise Unplain
            return complete(result, field_path)

        return resolve_field

    @staticmethod
    def _attribute_reader(field_def: GraphQLField) -> Callable[[Any], Any] | None:
        """Strawberry's basic fields read one attribute with the default resolver."""
        if not getattr(field_def.resolve, "_is_default", False):
            return None
        definition = (field_def.extensions or {}).get("strawberry-definition")
        if definition is None or definition.default_resolver is not getattr:
            return None
        return attrgetter(definition.python_name)

    def _sync_resolver(self, field_def: GraphQLField) -> Callable[..., Any] | None:
        definition = (field_def.extensions or {}).get("strawberry-definition")
        if definition is None or field_def.resolve is None or definition.is_async:
            return None
        return field_def.resolve

    def _compile_type(self, type_: GraphQLOutputType, group: Any) -> tuple[Complete, bool] | None:
        """A completer for values of this type, and whether it needs the value's path."""
        if is_non_null_type(type_) or is_list_type(type_):
            inner = self._compile_type(type_.of_type, group)
            if inner is None:
                return None
            return (_non_null if is_non_null_type(type_) else _list_of)(*inner)

        if is_leaf_type(type_):
            coerce = type_.coerce_output_value

            def complete_leaf(value: Any, path: Path | None) -> Any:
                try:
                    coerced = coerce(value)
                except (GraphQLError, TypeError, ValueError) as invalid:  # graphql-core reports the bad value
                    raise Unplain from invalid
                if coerced is None or coerced is Undefined:
                    raise Unplain
                return coerced

            return _nullable(complete_leaf), False

        if is_object_type(type_):
            plan = self.object_plan(type_, group)
            if plan is None:
                return None
            is_type_of = type_.is_type_of

            def complete_object(value: Any, path: Path | None) -> Any:
                # Strawberry's is_type_of ignores the info; one that needs it raises and is left to graphql-core.
                try:
                    if is_type_of is not None and is_type_of(value, None) is not True:  # type: ignore[arg-type]
                        raise Unplain
                except (AttributeError, TypeError) as needs_info:
                    raise Unplain from needs_info
                return plan(value, path)

            return _nullable(complete_object), True

        return None  # interfaces and unions: graphql-core resolves the runtime type


def _read(read: Callable[[Any], Any], source: Any) -> Any:
    try:
        return read(source)
    except AttributeError as missing:  # graphql-core's default resolver reports it
        raise Unplain from missing


def _nullable(complete: Complete) -> Complete:
    """A null stays null; an exception as a value is graphql-core's to report."""

    def complete_present(value: Any, path: Path | None) -> Any:
        if value is None or value is Undefined:
            return None
        if isinstance(value, Exception):
            raise Unplain
        return complete(value, path)

    return complete_present


def _non_null(complete_inner: Complete, needs_path: bool) -> tuple[Complete, bool]:
    def complete_non_null(value: Any, path: Path | None) -> Any:
        completed = complete_inner(value, path)
        if completed is None:
            raise Unplain  # graphql-core raises the field error and nulls the parent
        return completed

    return complete_non_null, needs_path


def _list_of(complete_item: Complete, item_needs_path: bool) -> tuple[Complete, bool]:
    def complete_list(value: Any, path: Path | None) -> Any:
        if value is None or value is Undefined:
            return None
        if isinstance(value, (str, bytes, Mapping, AsyncIterable, Exception)) or not hasattr(value, "__iter__"):
            raise Unplain
        if item_needs_path:
            return [complete_item(item, Path(path, index, None)) for index, item in enumerate(value)]
        return [complete_item(item, None) for item in value]

    return complete_list, item_needs_path


class CompiledCompletion:
    """Mixed into the execution context: complete objects from compiled plans where the selection is plain."""

    def complete_object_value(self, return_type, field_details_list, info, path, result, position_context):  # type: ignore[no-untyped-def]
        middleware = getattr(self, "middleware_manager", None)
        if ENABLED and (middleware is None or not middleware.middlewares):
            compiler = self.__dict__.get("_plan_compiler")
            if compiler is None:
                compiler = self._plan_compiler = PlanCompiler(self)
            plan = compiler.object_plan(return_type, field_details_list)
            if plan is not None:
                try:
                    is_type_of = return_type.is_type_of
                    if is_type_of is None or is_type_of(result, info) is True:
                        completed = plan(result, path)
                        stats["compiled"] += 1
                        return completed
                except Unplain:  # graphql-core completes it again and reports any error itself
                    pass
                stats["fell_back"] += 1
        return super().complete_object_value(  # type: ignore[misc]
            return_type, field_details_list, info, path, result, position_context
        )

    def forget_plans(self) -> None:
        """Plans are keyed by ids of field groups that a subscription rebuilds per event."""
        self.__dict__.pop("_plan_compiler", None)
