"""LangChain prompt files (FORMATS.md §3.6): the legacy hub's ``prompt.json`` / ``prompt.yaml``
(what ``PromptTemplate.save()`` writes: ``_type: prompt``, ``input_variables``, ``template``,
``template_format``) and LangChain-serialised ``PromptTemplate`` / ``ChatPromptTemplate``
objects (``{"lc": 1, "type": "constructor", "id": [..., "PromptTemplate"], "kwargs": …}``).

One PromptVersion per file, named after the prompt's folder for a hub ``prompt.json``
(``prompts/llm_bash/prompt.json`` is ``llm_bash``), else after the file. It has no version
(the hub pinned prompts by git path) and no model. Declared variables are ``input_variables``
(plus ``partial_variables`` and ``optional_variables``), at their entries; used variables are
the template's placeholders -- f-string ``{question}`` (``{{``/``}}`` are literal braces),
mustache or Jinja2 by ``template_format`` -- at their exact spans inside the JSON or YAML
string. A chat template's messages are mapped as ``role: template`` lines; a
``MessagesPlaceholder`` uses its ``variable_name``. Few-shot and other prompt types are not
mapped.
"""

from __future__ import annotations

from agentlint.adapters.base import Adapter, deferred, forward
from agentlint.loaders.base import Syntax


def claims(path: str, text: str) -> bool:
    lowered = path.lower()
    if not lowered.endswith((".json", ".yaml", ".yml")):
        return False
    return "input_variables" in text and "template" in text


adapt = deferred("agentlint.adapters._langchain_hub_read")
__getattr__ = forward("agentlint.adapters._langchain_hub_read", __name__)

ADAPTER = Adapter("langchain-hub", frozenset({Syntax.JSON, Syntax.YAML}), claims, adapt)
