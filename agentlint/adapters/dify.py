"""Dify DSL app exports (YAML): ``workflow.graph.nodes[]`` / ``edges[]`` -> one agent graph.

Field names follow Dify's DSL (``api/services/app_dsl_service.py``) and node entities
(``BaseNodeData{title, error_strategy, retry_config{retry_enabled, max_retries,
retry_interval}}``, ``LoopNodeData{loop_count, break_conditions, start_node_id}``, agent
``agent_parameters.maximum_iterations``, HTTP ``timeout{connect, read, write}``):

- every node is a step named by its ``data.title`` (a title used by several nodes becomes
  ``title (id)``); notes are not steps; the ``iteration-start`` / ``loop-start`` markers are
  folded into their container;
- edges ``source -> target`` (node ids) are SEQUENCE edges; the ``sourceHandle`` of a branching
  node is the condition (if-else case id or ``false`` = else, question-classifier class,
  ``fail-branch``); a case left unconnected makes the node a terminal;
- ``loop`` nodes are bounded cycles: the loop node CALLs the first nodes of its body, and each
  last node of the body returns to the loop node through an edge with
  ``max_traversals = loop_count`` (located at ``loop_count``); ``iteration`` nodes run their body
  once per item of an input list: a CALL with no cycle (see ``_flow``);
- model-calling steps: ``llm`` (retries: ``retry_config``, ``max_retries`` + 1 attempts when
  enabled, 1 when written disabled; the DSL has no LLM timeout), ``agent``
  (``maximum_iterations``, default ``dify.max_iterations``), ``question-classifier`` and
  ``parameter-extractor`` (no limit fields the UI offers); everything else is plumbing
  (``settable`` empty); an HTTP Request's timeouts and any node's enabled retries are recorded;
- the entry is the ``start`` node (or the only trigger/datasource root);
- ``agent-chat`` apps (no workflow) are one agent: ``model_config.agent_mode.max_iteration``
  (read in ``_dify_chat``).
"""

from __future__ import annotations

import re

from agentlint.adapters.base import Adapter, deferred, forward
from agentlint.loaders.base import Syntax

_APP = re.compile(r"^app\s*:", re.M)
_KIND = re.compile(r"""^kind\s*:\s*["']?app["']?\s*$""", re.M)
_GRAPH = re.compile(r"^\s+graph\s*:", re.M)


def claims(path: str, text: str) -> bool:
    if not path.lower().endswith((".yml", ".yaml")) or _APP.search(text) is None:
        return False
    return _KIND.search(text) is not None or _GRAPH.search(text) is not None


adapt = deferred("agentlint.adapters._dify_read")
__getattr__ = forward("agentlint.adapters._dify_read", __name__)

ADAPTER = Adapter("dify", frozenset({Syntax.YAML}), claims, adapt)
