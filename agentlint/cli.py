"""argv -> settings -> api -> reporter -> exit code. Nothing else happens here.

Exit codes (ruff's contract): 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage, configuration or internal error (a crashed rule is a finding *and* exit 2).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from agentlint import __version__

FORMATS = ("text", "concise", "json", "github", "sarif", "gitlab", "junit", "auto")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agentlint",
        description="Static pre-deployment readiness linter and agent-topology analyzer.",
    )
    parser.add_argument("--version", action="version", version=f"agentlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check files and directories (default: .)")
    check.add_argument("paths", nargs="*", default=[], help="files or directories ('-': read one file from stdin, see --stdin-filename)")
    check.add_argument("--format", choices=FORMATS, help="output format (default: auto = github inside GitHub Actions, else text on a terminal, else concise)")
    check.add_argument("--select", help="comma-separated codes, prefixes or names to run (replaces the config)")
    check.add_argument("--extend-select", default="", help="comma-separated rules to add")
    check.add_argument("--ignore", default="", help="comma-separated rules not to run")
    check.add_argument("--fail-on", choices=("error", "warning", "info"), help="lowest severity that fails (default: warning)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even with findings (2 still means an error)")
    check.add_argument("--config", help="use this config file instead of discovering one")
    check.add_argument("--isolated", action="store_true", help="ignore all config files")
    check.add_argument("--no-progress", action="store_true", help="no progress bar on stderr (it only appears on a terminal when a run takes over a second)")
    check.add_argument("--no-inline-suppressions", action="store_true", help="report findings hidden by # agentlint: comments")
    check.add_argument("--show-suppressed", action="store_true", help="also list suppressed findings")
    check.add_argument(
        "--whole-project",
        action="store_true",
        help="load the whole project around the given files (cross-file graphs) but report only their findings",
    )
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it")
    check.add_argument("--stdin-filename", metavar="PATH", help="with '-' as the target: check stdin as if it were the file at PATH")
    check.add_argument("--show-files", action="store_true", help="list every file with the adapters that read it (or why it was skipped), then exit 0")
    check.add_argument("--statistics", action="store_true", help="print the number of findings per rule instead of the findings")
    check.add_argument("-q", "--quiet", action="store_true", help="print the findings only: no summary, no notes on stderr")
    check.add_argument("--baseline", metavar="FILE", help="hide the findings recorded in FILE (see 'agentlint baseline write')")
    check.add_argument("--follow-symlinks", action="store_true", help="follow symlinks that point outside the checked folders (default: listed as skipped)")
    check.add_argument("--no-cache", action="store_true", help="read every file, without using or writing the cache (also AGENTLINT_NO_CACHE=1)")
    check.add_argument("--cache-dir", metavar="DIR", help="where per-file results are kept (default: .agentlint_cache at the project root; also AGENTLINT_CACHE_DIR)")
    check.add_argument("--fix", action="store_true", help="apply the safe fixes of the findings ([*]), then report what remains")
    check.add_argument("--diff", action="store_true", help="print the safe fixes as a unified diff and write nothing (exit 1 if there are any)")
    check.add_argument(
        "--output-format",
        action="append",
        default=[],
        type=_output_spec,
        metavar="FORMAT=PATH",
        help="also write the results in FORMAT to PATH, e.g. sarif=agentlint.sarif (repeatable; --format still goes to stdout)",
    )

    baseline = sub.add_parser("baseline", help="record today's findings so that only new ones are reported")
    baseline_sub = baseline.add_subparsers(dest="baseline_command", metavar="ACTION", required=True)
    baseline_write = baseline_sub.add_parser("write", help="write the active findings of PATHS to a baseline file")
    baseline_write.add_argument("paths", nargs="*", default=[], help="files or directories")
    baseline_write.add_argument("--output", metavar="FILE", default=".agentlint-baseline.json", help="default: .agentlint-baseline.json")
    baseline_write.add_argument("--config", help="use this config file instead of discovering one")
    baseline_write.add_argument("--isolated", action="store_true", help="ignore all config files")
    baseline_write.add_argument("--follow-symlinks", action="store_true", help="follow symlinks that point outside the checked folders (default: listed as skipped)")

    graph = sub.add_parser("graph", help="render the agent topology (mermaid, dot, json) or check a committed diagram")
    graph.add_argument("paths", nargs="*", default=[], help="files or directories")
    graph.add_argument("--format", choices=("mermaid", "dot", "json"), help="default: from the --check/--output file name, else mermaid")
    graph.add_argument("--graph", action="append", metavar="NAME", help="show only this graph (repeatable; default: all)")
    graph.add_argument("--check", metavar="FILE", help="exit 1 with a diff when FILE (.mmd/.dot/.json, or Markdown blocks) no longer matches")
    graph.add_argument("--output", metavar="FILE", help="write the rendering to FILE (in Markdown: replace or append its block)")
    graph.add_argument("--no-findings", action="store_true", help="leave findings out of the picture")
    graph.add_argument("--select", help="comma-separated rules whose findings to mark (replaces the config)")
    graph.add_argument("--ignore", default="", help="comma-separated rules not to run")
    graph.add_argument("--config", help="use this config file instead of discovering one")
    graph.add_argument("--isolated", action="store_true", help="ignore all config files")
    graph.add_argument("--follow-symlinks", action="store_true", help="follow symlinks that point outside the checked folders (default: listed as skipped)")

    report = sub.add_parser("report", help="the readiness checklist (Markdown or self-contained HTML), item by item")
    report.add_argument("paths", nargs="*", default=[], help="files or directories")
    report.add_argument("--format", choices=("md", "html"), default="md", help="default: md (fit for $GITHUB_STEP_SUMMARY)")
    report.add_argument("--output", metavar="FILE", help="write to FILE (evidence links relative to its folder) instead of stdout")
    report.add_argument("--config", help="use this config file instead of discovering one")
    report.add_argument("--isolated", action="store_true", help="ignore all config files")
    report.add_argument("--follow-symlinks", action="store_true", help="follow symlinks that point outside the checked folders (default: listed as skipped)")
    report.add_argument("--no-progress", action="store_true", help="no progress bar on stderr (it only appears on a terminal when a run takes over a second)")
    report.add_argument("--reproducible", action="store_true", help="leave the date and commit out of the header: the output depends only on the files read")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rule = sub.add_parser("rule", help="show one rule's documentation")
    rule.add_argument("code", help="rule code or name, e.g. AL101 or endless-cycle")

    sub.add_parser("server", help="run the language server over stdio (needs the server extra)")
    config = sub.add_parser("config", help="show the effective configuration")
    config.add_argument("--explain", metavar="CODE", help="where each setting of a rule came from")
    config.add_argument("--show-settings", action="store_true", help="print the whole effective configuration (the default)")
    config.add_argument("path", nargs="?", default=".", help="file or directory whose config to show (the closest config above it)")
    config.add_argument("--config", help="use this config file")
    config.add_argument("--isolated", action="store_true")
    return parser


def _output_spec(value: str) -> tuple[str, str]:
    """``check --output-format FORMAT=PATH`` -> ``(format, path)``; argparse makes errors exit 2."""
    fmt, sep, path = value.partition("=")
    choices = [name for name in FORMATS if name != "auto"]
    if not sep or not fmt.strip() or not path:
        raise argparse.ArgumentTypeError(f"expected FORMAT=PATH (e.g. sarif=agentlint.sarif), got {value!r}")
    if fmt.strip() not in choices:
        raise argparse.ArgumentTypeError(f"unknown format {fmt.strip()!r} in {value!r} (choose from {', '.join(choices)})")
    return fmt.strip(), path


def _write_atomic(path: str, text: str) -> None:
    """Write a report to ``path`` as every ``--output`` is written (``agentlint.safe_write``):
    atomically to a regular file or a new path, through to a symlink, FIFO or device."""
    from agentlint.safe_write import write_text

    write_text(path, text)


class _Progress:
    """The ``progress`` callback of ``api.check``: a transient rich bar on stderr that starts
    only once the run has lasted ``DELAY`` seconds, so short (pre-commit) runs never show it
    and never import rich. Nothing is ever written to stdout."""

    DELAY = 1.0

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._started = self._clock()
        self._bar = None
        self._task = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if self._clock() - self._started < self.DELAY:
                return
            # The CLI may use rich (ARCHITECTURE.md §1); imported lazily, only for a long run.
            import rich.console as rich_console
            import rich.progress as rich_progress

            self._bar = rich_progress.Progress(
                rich_progress.TextColumn("agentlint: loading"),
                rich_progress.BarColumn(),
                rich_progress.MofNCompleteColumn(),
                rich_progress.TimeElapsedColumn(),
                console=rich_console.Console(file=sys.stderr),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("loading", total=total)
        self._bar.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _progress(args: argparse.Namespace) -> _Progress | None:
    """A progress callback only when stderr is a terminal and --no-progress is not given."""
    if getattr(args, "no_progress", False) or not sys.stderr.isatty():
        return None
    return _Progress()


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


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

            return serve()
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


def _missing(paths: Sequence[str]) -> None:
    """A path named on the command line that does not exist is a usage error (exit 2, on
    stderr), not a finding that ``--exit-zero`` or a baseline could hide. A dangling symlink
    exists (reading it is reported as AL003)."""
    from agentlint.config import ConfigError

    for path in paths:
        try:
            os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            raise ConfigError(f"{path}: no such file or directory") from None
        except (OSError, ValueError):
            continue  # e.g. permission denied on a parent: discovery reports it, located


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


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


def _baseline(args: argparse.Namespace) -> int:
    """``baseline write``: exit 0 written; 2 usage/config error or a crashed rule (nothing is
    written then: an incomplete run would drop entries)."""
    from agentlint import api
    from agentlint import baseline as baselines
    from agentlint.config import CliOverrides

    paths = list(args.paths) or ["."]
    _missing(paths)
    cli = CliOverrides(follow_symlinks=args.follow_symlinks)
    settings = api.settings_for(paths, cli, config_file=args.config, isolated=args.isolated)
    result = api.check(paths, settings)
    if result.internal_error:
        print("agentlint: error: a rule or adapter crashed; baseline not written (run 'agentlint check' for details)", file=sys.stderr)
        return 2
    from pathlib import Path

    from agentlint.discover import project_paths

    count = baselines.write(result, args.output, project_paths(paths, Path.cwd(), settings.folder, settings.fixed))
    print(f"agentlint: wrote {count} baseline entr{'y' if count == 1 else 'ies'} to {args.output}", file=sys.stderr)
    return 0


def _graph(args: argparse.Namespace) -> int:
    """Exit 0 rendered or current; 1 the --check file differs; 2 usage, unreadable file, or a
    crashed rule (the marks would be incomplete)."""
    from pathlib import Path

    from agentlint import api
    from agentlint.report import topology as export
    from agentlint.config import CliOverrides

    if args.check and args.output:
        print("agentlint: error: use either --check or --output", file=sys.stderr)
        return 2
    target = args.check or args.output
    fmt = args.format or export.format_for(target)
    if target and export.is_markdown(target) and fmt == "json":
        print("agentlint: error: Markdown files hold mermaid or dot blocks, not json", file=sys.stderr)
        return 2
    text = None
    if args.check:
        try:
            text = Path(args.check).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"agentlint: error: cannot read {args.check}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
            return 2
    cli = CliOverrides(
        select=_split(args.select) if args.select is not None else None, ignore=_split(args.ignore), follow_symlinks=args.follow_symlinks
    )
    paths = list(args.paths) or ["."]
    _missing(paths)
    # Names and paths relative to the project root, not the working directory: the same
    # export (and the same --check verdict) from the repository root and from a subfolder.
    root = api.project_root(paths, args.config)
    absolute = [os.path.abspath(path) for path in paths]
    settings = api.settings_for(absolute, cli, args.config, args.isolated, root=root)
    result, project = api.analyse(absolute, settings, root=root)
    if result.internal_error:
        print("agentlint: error: a rule or adapter crashed; run 'agentlint check' for details", file=sys.stderr)
        return 2
    findings = () if args.no_findings else result.findings
    known = sorted(g.name for g in project.graphs)
    unknown = [name for name in args.graph or () if name not in known]
    if unknown or not known:
        what = f"no agent graph named {', '.join(map(repr, unknown))}" if unknown else f"no agent graphs in {' '.join(paths)}"
        print(f"agentlint: error: {what} (graphs: {', '.join(known) or 'none'})", file=sys.stderr)
        return 2
    try:
        if text is not None:
            problems = export.check_file(args.check, text, args.format, project, findings, args.graph)
            for problem in problems:
                sys.stdout.write(problem if problem.endswith("\n") else problem + "\n")
            if not problems:
                sys.stdout.write(f"{args.check}: the topology diagram matches the code\n")
            return 1 if problems else 0
        rendering = export.render(fmt or "mermaid", project, findings, args.graph)
    except export.UnknownGraphError as exc:
        print(f"agentlint: error: {exc}", file=sys.stderr)
        return 2
    if args.output:
        out = Path(args.output)
        if export.is_markdown(args.output):
            names = sorted(set(args.graph)) if args.graph else known
            old = out.read_text(encoding="utf-8") if out.is_file() else ""  # a FIFO would block: write it whole
            rendering = export.update_markdown(old, fmt or "mermaid", rendering, names)
        try:
            _write_atomic(args.output, rendering)
        except OSError as exc:
            print(f"agentlint: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        return 0
    sys.stdout.write(rendering)
    return 0


def _report(args: argparse.Namespace) -> int:
    """Exit 0 written (whatever the statuses: gating is 'check''s job); 2 usage, config or
    write error, or a crashed rule (an incomplete run must not show passes)."""
    from pathlib import Path

    from agentlint import api
    from agentlint.report import checklist_rollup as checklist_report
    from agentlint.config import CliOverrides
    from agentlint.registry import all_rules

    paths = list(args.paths) or ["."]
    _missing(paths)
    cli = CliOverrides(follow_symlinks=args.follow_symlinks)
    settings = api.settings_for(paths, cli, config_file=args.config, isolated=args.isolated)
    progress = _progress(args)
    try:
        result, project = api.analyse(paths, settings, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    if result.internal_error:
        print("agentlint: error: a rule or adapter crashed; run 'agentlint check' for details", file=sys.stderr)
        return 2
    mermaid = checklist_report.topology_mermaid(project, result.findings)
    date = commit = None
    if not args.reproducible:
        from agentlint import provenance

        date, commit = provenance.run_date(), provenance.git_commit(paths[0])
    report = checklist_report.build(result, project, all_rules(), mermaid, date=date, commit=commit)
    link_prefix = ""
    if args.output:
        folder = Path(os.path.relpath(Path.cwd(), Path(args.output).resolve().parent)).as_posix()
        link_prefix = "" if folder == "." else folder + "/"
    from agentlint.report import checklist as checklist_renderers

    text = checklist_renderers.render(report, args.format, link_prefix=link_prefix)
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        _write_atomic(args.output, text)
    except OSError as exc:
        print(f"agentlint: error: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 0


def _explain(args: argparse.Namespace) -> int:
    from agentlint import api
    from agentlint.docs import explain, find_rule, show_settings

    if args.explain is None:  # --show-settings, or no option at all
        sys.stdout.write(show_settings(api.settings_at(args.path, config_file=args.config, isolated=args.isolated)))
        return 0
    rule = find_rule(args.explain)
    if rule is None:
        print(f"agentlint: error: unknown rule '{args.explain}' (see 'agentlint rules')", file=sys.stderr)
        return 2
    settings = api.settings_at(args.path, config_file=args.config, isolated=args.isolated)
    sys.stdout.write(explain(rule, settings))
    return 0
