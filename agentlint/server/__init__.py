"""``agentlint server``: a language server over stdio (needs the ``server`` extra: pygls,
lsprotocol). Imported only by that subcommand."""

from __future__ import annotations

import sys

MISSING = "agentlint: error: 'agentlint server' needs the server extra: pip install 'agentlint[server]'"


def main(cache: bool = True) -> int:
    """Serve over stdio; ``cache``: read files unchanged since any earlier run (the CLI's, the
    hook's) from the project's ``.agentlint_cache`` at start and when the server has not kept them."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        print(MISSING, file=sys.stderr)
        return 2
    try:
        from agentlint.server.app import build
    except ImportError as exc:  # pygls 1.x has no pygls.lsp.server
        print(f"agentlint: error: 'agentlint server' needs pygls 2 (pip install 'agentlint[server]'): {exc}", file=sys.stderr)
        return 2

    build(cache).start_io()
    return 0
