"""``agentlint server``: a language server over stdio (needs the ``server`` extra: pygls,
lsprotocol). Imported only by that subcommand."""

from __future__ import annotations

import sys

MISSING = "agentlint: error: 'agentlint server' needs the server extra: pip install 'agentlint[server]'"


def main() -> int:
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        print(MISSING, file=sys.stderr)
        return 2
    from agentlint.server.app import build

    build().start_io()
    return 0
