"""dotenv files (``.env``, ``.env.local``, ``prod.env``): the variables they set, with the
position of each name and value. Rules decide which files matter (one a deployment config
loads) and which values are credentials."""

from __future__ import annotations

from agentlint.adapters.base import Adapted, Adapter
from agentlint.loaders.base import LoadedFile, Syntax
from agentlint.model.deployment import EnvOrigin, EnvSettings
from agentlint.model.source import Span
from agentlint.model.tools import Setting


def adapt(file: LoadedFile) -> Adapted:
    out = Adapted()
    for doc in file.docs:
        if not isinstance(doc.data, dict):
            continue
        smap = doc.source_map
        settings = tuple(
            Setting(name, value, smap.key((name,)) or Span.point(1), smap.value((name,)) or Span.point(1), doc.ref((name,)))
            for name, value in doc.data.items()
        )
        out.entities.append(EnvSettings(doc.ref(), Span.point(1), (), EnvOrigin.FILE, settings, file.path))
    return out


def claims(path: str, text: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


ADAPTER = Adapter("dotenv", frozenset({Syntax.DOTENV}), claims, adapt)
