"""promptfoo configs (``promptfooconfig.yaml``, FORMATS.md §3.4): the prompts written inline.

Only what the file holds is mapped. Each inline prompt of ``prompts`` -- a string, or
``{raw, label, id}`` -- is one PromptVersion with its text and its Nunjucks placeholders
(``{{topic}}``, Jinja2 syntax) at their exact spans; it has no version, no model (every
prompt runs against every provider of the file) and declares no variables (``tests[].vars``
are test values, often loaded from files, not a declaration). It is named by its ``label``,
else its ``id``, else ``prompts[N]``. References to prompt files (``file://…``, bare paths
such as ``prompts/triage.txt``) are left to those files; providers and tests are not prompts.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from agentlint.adapters.base import Adapter, deferred, forward
from agentlint.loaders.base import Syntax

_CONFIG = re.compile(r"promptfooconfig[\w.-]*\.(?:ya?ml|json)\Z", re.IGNORECASE)


def claims(path: str, text: str) -> bool:
    return _CONFIG.search(PurePosixPath(path).name) is not None or "promptfoo.dev/config-schema" in text


adapt = deferred("agentlint.adapters._promptfoo_read")
__getattr__ = forward("agentlint.adapters._promptfoo_read", __name__)

ADAPTER = Adapter("promptfoo", frozenset({Syntax.YAML, Syntax.JSON}), claims, adapt)
