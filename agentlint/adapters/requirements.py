"""pip requirements files: every exact pin (``pkg==1.2.3``, ``pkg===1.2.3``) becomes a
``DependencyPin``, so that framework defaults are quoted for the pinned version and a
deployment dependency pinned here is not reported as floating. Ranges, URLs, paths and
editable installs pin nothing; ``-r``/``-c`` files are read on their own when discovered."""

from __future__ import annotations

from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.deployment import normalise_package
from agentlint.model.entities import DependencyPin


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        for index, entry in enumerate(doc.data):
            if entry.get("kind") == "requirement" and entry.get("name") and entry.get("version"):
                span = doc.source_map.value((index, "version")) or doc.source_map.locate((index,))
                out.entities.append(DependencyPin(doc.ref((index,)), span, (), package=normalise_package(entry["name"]), version=entry["version"]))
    return out


ADAPTER = Adapter("requirements", frozenset({Syntax.REQUIREMENTS}), lambda path, text: path.lower().endswith(".txt"), adapt)
