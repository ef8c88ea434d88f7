"""``agentlint check``: settings from the flags, the run (with the cache, --fix or --diff), the
output on stdout and in --output-format files, notes on stderr, and the exit code."""

from __future__ import annotations

import argparse
import os
import sys

from agentlint.cli.args import FORMATS
from agentlint.cli.util import _missing, _plural, _progress, _split, _write_atomic


def _cache(args: argparse.Namespace, settings: object) -> object:
    """The persistent cache of a check (agentlint.cache): --cache-dir, else AGENTLINT_CACHE_DIR,
    else .agentlint_cache in the project folder (the config's, else the git work tree, else
    the working directory); None with --no-cache or AGENTLINT_NO_CACHE set (not 0/false)."""
    if args.no_cache or os.environ.get("AGENTLINT_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no"):
        return None
    from pathlib import Path

    from agentlint.api import project_dir
    from agentlint.cache import DIR_NAME, Cache

    folder = args.cache_dir or os.environ.get("AGENTLINT_CACHE_DIR") or project_dir(settings, Path.cwd()) / DIR_NAME  # type: ignore[arg-type]
    return Cache(folder)


def _check(args: argparse.Namespace) -> int:
    from agentlint import api
    from agentlint.config import CliOverrides
    from agentlint.findings import Severity
    from agentlint.report import render

    cli = CliOverrides(
        select=_split(args.select) if args.select is not None else None,
        extend_select=_split(args.extend_select),
        ignore=_split(args.ignore),
        fail_on=Severity(args.fail_on) if args.fail_on else None,
        inline_suppressions=not args.no_inline_suppressions,
        follow_symlinks=args.follow_symlinks,
    )
    outputs: list[tuple[str, str]] = args.output_format
    targets = [os.path.abspath(path) for _, path in outputs]
    if len(set(targets)) != len(targets):
        print("agentlint: error: --output-format names the same PATH twice", file=sys.stderr)
        return 2
    paths = list(args.paths) or ["."]
    stdin = None
    if "-" in paths or args.stdin_filename:
        if args.fix or args.diff:
            print("agentlint: error: --fix and --diff change files on disk, not stdin", file=sys.stderr)
            return 2
        if paths != ["-"] or not args.stdin_filename:
            print("agentlint: error: stdin is checked as one file: give '-' as the only target, with --stdin-filename PATH", file=sys.stderr)
            return 2
        paths = [args.stdin_filename]
        stdin = sys.stdin.buffer.read()
    else:
        _missing(paths)
    settings = api.settings_for(paths, cli, args.config, args.isolated)
    baseline = None
    if args.baseline:
        from agentlint.baseline import load

        baseline = load(args.baseline)
    progress = _progress(args)
    cache = _cache(args, settings)
    try:
        result = api.check(paths, settings, whole_project=args.whole_project, baseline=baseline, progress=progress, stdin=stdin, cache=cache)
    finally:
        if progress is not None:
            progress.close()
        if cache is not None:
            cache.close()
    if args.show_files:
        from agentlint.report._common import file_list

        sys.stdout.write(file_list(result))
        return 2 if result.internal_error else 0
    fixed = None
    if args.fix or args.diff:
        from pathlib import Path

        from agentlint import fix as fixes

        def recheck(overlay):  # the fixed texts laid over the files, nothing written yet
            return api.check(paths, settings, whole_project=args.whole_project, baseline=baseline, overlay=overlay)

        fixed = fixes.apply(result, recheck, Path.cwd(), settings)
        if args.diff:
            return _diff(fixed, result, args)
        errors = fixes.write(fixed.plan(), Path.cwd())
        if errors:  # what is on disk now, not what would have been
            before = {f.fingerprint for f in result.findings}
            result = api.check(paths, settings, whole_project=args.whole_project, baseline=baseline)
            count = len(before - {f.fingerprint for f in result.findings})
            from dataclasses import replace

            fixed = replace(fixed, result=result, fixed=count, problems=fixed.problems + tuple(errors))
        result = fixed.result
    tty = sys.stdout.isatty()
    fmt = args.format or os.environ.get("AGENTLINT_FORMAT") or "auto"
    if fmt == "auto":
        in_actions = bool(os.environ.get("GITHUB_ACTIONS")) and bool(os.environ.get("GITHUB_WORKFLOW"))
        fmt = "github" if in_actions else ("text" if tty else "concise")
    if fmt not in FORMATS:
        print(f"agentlint: error: unknown format '{fmt}' (choose from {', '.join(FORMATS)})", file=sys.stderr)
        return 2
    color = args.color == "always" or (args.color == "auto" and _auto_color(tty))
    if fmt == "sarif" or any(out_fmt == "sarif" for out_fmt, _ in outputs):
        from agentlint.docs import sarif_rule_metadata
        from agentlint.report import sarif

        sarif.set_rule_metadata_provider(sarif_rule_metadata)
    sys.stdout.write(_main_output(fmt, result, args, color))
    sys.stdout.flush()
    write_failed = False
    for out_fmt, out_path in outputs:  # one analysis, several renderings (never coloured)
        try:
            _write_atomic(out_path, render(out_fmt, result, color=False, show_suppressed=args.show_suppressed))
        except OSError as exc:
            print(f"agentlint: error: cannot write {out_path}: {exc.strerror or exc}", file=sys.stderr)
            write_failed = True
    if fixed is not None:
        for problem in fixed.problems:
            print(f"agentlint: warning: {problem}", file=sys.stderr)
        if not args.quiet:
            print(f"agentlint: Fixed {_plural(fixed.fixed, 'problem')} ({len(result.findings)} remaining).", file=sys.stderr)
    if result.fixed and not args.quiet:
        from agentlint.baseline import fixed_message

        print(f"agentlint: {fixed_message(len(result.fixed))}", file=sys.stderr)
    if not args.quiet:
        _notes(fmt, result, args)
    if result.internal_error or write_failed:
        return 2
    if args.exit_zero:
        return 0
    return 1 if api.failed(result, settings) else 0  # each finding against the fail-on of its file's config


def _diff(fixed, result, args: argparse.Namespace) -> int:
    """``check --diff``: the safe fixes (every pass, as ``--fix`` would write them) as a unified
    diff on stdout, nothing written; exit 1 when there is a change (as ruff), 0 when none, 2
    when the run had an internal error."""
    from agentlint import fix as fixes

    sys.stdout.write(fixes.unified_diff(fixed.plan()))
    sys.stdout.flush()
    for problem in fixed.problems:
        print(f"agentlint: warning: {problem}", file=sys.stderr)
    if not args.quiet:
        count = _plural(fixed.fixed, "problem")
        print(f"agentlint: would fix {count}" if fixed.fixed else "agentlint: no fixes available", file=sys.stderr)
    if result.internal_error:
        return 2
    return 1 if fixed.changes and not args.exit_zero else 0


def _auto_color(tty: bool) -> bool:
    """``--color auto``: NO_COLOR (set and not empty) turns color off, else FORCE_COLOR (set
    and not empty) turns it on even when stdout is not a terminal, else color on a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or tty


def _main_output(fmt: str, result, args: argparse.Namespace, color: bool) -> str:
    """What goes to stdout: the findings in ``fmt``, or the per-rule counts (--statistics)."""
    from agentlint.report import render

    if args.statistics:
        from agentlint.report import _common

        if fmt == "json":
            import json

            rows = [{"code": code, "count": n, "name": name} for n, code, name in _common.statistics(result)]
            return json.dumps(rows, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return _common.statistics_text(result)
    if fmt == "text" and args.quiet:
        from agentlint.report import text

        return text.render(result, color=color, show_suppressed=args.show_suppressed, quiet=True)
    return render(fmt, result, color=color, show_suppressed=args.show_suppressed)


def _notes(fmt: str, result, args: argparse.Namespace) -> None:
    """stderr, never stdout (which stays machine-readable): the one-line summary after concise
    output or statistics, and what the run did not read."""
    from agentlint.report import _common

    if fmt == "concise" or (args.statistics and fmt != "json"):
        print(_common.summary(result), file=sys.stderr)  # it names the files not recognised
        fixable = sum(1 for finding in result.findings if finding.fix is not None)
        if fixable and fmt == "concise":  # as the text output's last line
            print(f"[*] {fixable} fixable with 'agentlint check --fix' (preview: --diff).", file=sys.stderr)
        return
    if fmt == "text" and not args.statistics:
        return  # the text output ends with the same summary line
    if result.nothing_found and not result.findings:
        print(f"agentlint: {_common.summary(result)}", file=sys.stderr)
        return
    note = _common.not_recognised_note(result)
    if note is not None:
        print(f"agentlint: {note}", file=sys.stderr)
