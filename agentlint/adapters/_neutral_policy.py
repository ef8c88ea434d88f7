"""``kind: ToolPolicy`` documents -> PolicyEntry, Tool and ExampleConfig entities.

Values inherit: a tool's entry takes what it does not set from its server's entry, which
takes it from the document's ``defaults``; entities carry the effective values.
"""

from __future__ import annotations

from typing import Any

from agentlint.adapters._mcp_common import schema
from agentlint.adapters.base import Adapted, field_spans, pydantic_problems
from agentlint.loaders.base import LocatedDoc
from agentlint.model.source import Pointer
from agentlint.model.tools import ExampleConfig, FailureMode, PolicyEntry, Tool

_LIMIT_FIELDS = ("timeout", "rate_limit", "on_failure", "permissions_reviewed")


def adapt_policy(doc: LocatedDoc, data: dict[str, Any], out: Adapted, fast: bool = True) -> None:
    from agentlint.adapters._neutral_fast_policy import plain_policy

    spec: Any = plain_policy(data) if fast else None
    if spec is None:  # not plainly valid: pydantic's messages and positions
        from pydantic import ValidationError

        from agentlint.adapters.shapes.policy import ToolPolicyDoc

        try:
            spec = ToolPolicyDoc.model_validate(data)
        except ValidationError as exc:
            out.problems.extend(pydantic_problems(doc, (), exc.errors(include_url=False)))
            return
    smap = doc.source_map
    defaults = _limits(spec.defaults)
    for server_name, server in spec.servers.items():
        pointer: Pointer = ("servers", server_name)
        server_limits = _merge(_limits(server), defaults)
        out.entities.append(_entry(doc, pointer, server_name, None, server_limits, server.permissions_reviewed is not None))
        for tool_name, tool in server.tools.items():
            tool_pointer = pointer + ("tools", tool_name)
            out.entities.append(
                _entry(doc, tool_pointer, server_name, tool_name, _merge(_limits(tool), server_limits), server.permissions_reviewed is not None)
            )
            raw = data["servers"][server_name]["tools"][tool_name]
            input_schema = schema(doc, tool_pointer + ("input_schema",), raw.get("input_schema"))
            out.entities.append(
                Tool(
                    ref=doc.ref(tool_pointer),
                    span=smap.key(tool_pointer) or smap.locate(tool_pointer),
                    fields=field_spans(doc, tool_pointer, ("description", "input_schema", "output_schema", "annotations")),
                    name=tool_name,
                    server=server_name,
                    source="policy",
                    description=tool.description,
                    input_schema=input_schema,
                    output_schema=schema(doc, tool_pointer + ("output_schema",), raw.get("output_schema")),
                    annotations=tuple(sorted(tool.annotations.items())) if tool.annotations is not None else None,
                    group=f"{doc.path}#/servers/{server_name}/tools",
                )
            )
            for index, example in enumerate(raw.get("examples", [])):
                at = tool_pointer + ("examples", index)
                out.entities.append(
                    ExampleConfig(
                        ref=doc.ref(at),
                        span=smap.locate(at),
                        fields=(),
                        data=example,
                        schema=input_schema,
                        what=f"example {index + 1} of {server_name}.{tool_name}",
                        tool=f"{server_name}.{tool_name}",
                        source_map=smap,
                    )
                )


def _limits(spec: Any) -> dict[str, Any]:
    from agentlint.adapters._neutral_fast import seconds

    values: dict[str, Any] = {}
    if spec.timeout is not None:
        values["timeout"] = seconds(spec.timeout)
    if spec.rate_limit is not None:
        values["rate_limit"] = spec.rate_limit
    failure = spec.on_failure
    if failure == "abort":
        values["failure_mode"] = FailureMode.ABORT
    elif failure is not None and hasattr(failure, "retry"):
        values["failure_mode"] = FailureMode.RETRY
        values["max_attempts"] = failure.retry.max_attempts
    elif failure is not None:
        values["failure_mode"] = FailureMode.FALLBACK
        values["fallback"] = failure.fallback
    return values


def _merge(own: dict[str, Any], inherited: dict[str, Any]) -> dict[str, Any]:
    merged = dict(inherited)
    if "failure_mode" in own:  # a failure mode replaces the inherited one whole
        for key in ("failure_mode", "max_attempts", "fallback"):
            merged.pop(key, None)
    merged.update(own)
    return merged


def _entry(doc: LocatedDoc, pointer: Pointer, server: str, tool: str | None, values: dict[str, Any], reviewed: bool) -> PolicyEntry:
    smap = doc.source_map
    return PolicyEntry(
        ref=doc.ref(pointer),
        span=smap.key(pointer) or smap.locate(pointer),
        fields=field_spans(doc, pointer, _LIMIT_FIELDS),
        server=server,
        tool=tool,
        timeout_seconds=values.get("timeout"),
        rate_limit=values.get("rate_limit"),
        failure_mode=values.get("failure_mode"),
        max_attempts=values.get("max_attempts"),
        fallback=values.get("fallback"),
        permissions_reviewed=reviewed,
    )
