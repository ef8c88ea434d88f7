"""``.gitignore`` files: the patterns that keep files out of commits, so that rules about
committed secrets skip a git-ignored ``.env``."""

from __future__ import annotations

import posixpath

from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.source import Span
from agentlint.model.vcs import IgnoreFile, IgnoreRule


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        rules = tuple(IgnoreRule(e["pattern"], e["negated"]) for e in doc.data if isinstance(e, dict))
        out.entities.append(IgnoreFile(doc.ref(), Span.point(1), (), posixpath.dirname(file.path) or ".", rules))
    return out


ADAPTER = Adapter("gitignore", frozenset({Syntax.GITIGNORE}), lambda path, text: path.endswith(".gitignore"), adapt)
