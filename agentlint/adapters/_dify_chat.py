"""Dify ``agent-chat`` apps (YAML DSL exports without a workflow): one agent whose loop is
bounded by ``model_config.agent_mode.max_iteration`` (default ``dify.max_iterations``), with
its tools (``agent_mode.tools[].tool_name``), model (``model_config.model.name``) and
``pre_prompt``. Workflow apps are read by ``agentlint.adapters.dify``.
"""

from __future__ import annotations

from typing import Any

from agentlint.adapters._flow import MODEL, Step, as_int, graph_name, graph_part
from agentlint.adapters.base import Adapted
from agentlint.loaders.base import LocatedDoc
from agentlint.model.source import Pointer


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def agent_chat(doc: LocatedDoc, out: Adapted) -> None:
    """An agent-chat app: one agent whose loop is bounded by ``agent_mode.max_iteration``."""
    config = doc.data["model_config"]
    mode = as_dict(config.get("agent_mode"))
    app = doc.data["app"]
    if app.get("mode") != "agent-chat" and not mode.get("enabled"):
        return
    smap = doc.source_map
    title = app.get("name") if isinstance(app.get("name"), str) and app.get("name") else "agent"
    at: Pointer = ("model_config", "agent_mode")
    step = Step(
        name=title,
        pointer=("app",),
        span=smap.value(("app", "name")) or smap.locate(("app",)),
        role="agent-chat",
        settable=MODEL | {"tools", "max_iterations"},
    )
    if "max_iteration" in mode:
        step.max_iterations = as_int(mode["max_iteration"])
        step.fields.append(("max_iterations", smap.value((*at, "max_iteration")) or smap.locate(at)))
    else:
        step.implicit = (("max_iterations", "dify.max_iterations"),)
    for tool in mode.get("tools") or ():
        name = tool.get("tool_name") if isinstance(tool, dict) else None
        if isinstance(name, str):
            step.tools.append(name)
    model = as_dict(config.get("model"))
    if isinstance(model.get("name"), str):
        step.model = model["name"]
        step.fields.append(("model", smap.value(("model_config", "model", "name")) or smap.locate(("model_config",))))
    step.prompt = config.get("pre_prompt") if isinstance(config.get("pre_prompt"), str) else None
    out.parts.append(
        graph_part(
            doc,
            name=graph_name(app.get("name"), doc.path),
            span=step.span,
            framework="dify",
            steps=[step],
            links=[],
            entry=step.name,
            ends=(step.name,),
        )
    )
