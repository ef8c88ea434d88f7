"""argv -> settings -> api -> reporter -> exit code. Nothing else happens here.

Exit codes (ruff's contract): 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage, configuration or internal error (a crashed rule is a finding *and* exit 2).
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence

from agentlint.cli.args import FORMATS, _parser
from agentlint.cli.check import _check
from agentlint.cli.commands import _baseline, _explain, _graph, _report
from agentlint.cli.util import _Progress as _Progress  # re-exported: the progress tests reach it here
from agentlint.cli.util import _progress as _progress


def main(argv: Sequence[str] | None = None) -> int:
    # Loading a large project creates millions of long-lived objects and no cyclic garbage;
    # the default thresholds spent ~40% of a 10,000-agent run in full collections.
    gc.set_threshold(100_000, 50, 100)
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "graph":
            return _graph(args)
        if args.command == "baseline":
            return _baseline(args)
        if args.command == "report":
            return _report(args)
        if args.command == "rules":
            from agentlint.docs import rules_table

            sys.stdout.write(rules_table(args.format))
            return 0
        if args.command == "rule":
            from agentlint.docs import find_rule, rule_page

            rule = find_rule(args.code)
            if rule is None:
                print(f"agentlint: error: unknown rule '{args.code}' (see 'agentlint rules')", file=sys.stderr)
                return 2
            sys.stdout.write(rule_page(rule))
            return 0
        if args.command == "config":
            return _explain(args)
        if args.command == "server":
            from agentlint.server import main as serve

            off = os.environ.get("AGENTLINT_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no")
            return serve(cache=not (args.no_cache or off))
        _parser().print_help()
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # usage/config errors carry a message; anything else is a bug
        from agentlint.config import ConfigError

        if isinstance(exc, ConfigError):
            print(f"agentlint: error: {exc}", file=sys.stderr)
            return 2
        import traceback

        print(f"agentlint: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if os.environ.get("AGENTLINT_DEBUG"):
            traceback.print_exc()
        return 2
