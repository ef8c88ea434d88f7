"""The command line's grammar: the argparse parser of every ``agentlint`` command (agentlint.cli wires)."""

from __future__ import annotations

import argparse

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
    _cache_args(check)
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
    _reading_args(baseline_write)

    graph = sub.add_parser("graph", help="render the agent topology (mermaid, dot, json) or check a committed diagram")
    graph.add_argument("paths", nargs="*", default=[], help="files or directories")
    graph.add_argument("--format", choices=("mermaid", "dot", "json"), help="default: from the --check/--output file name, else mermaid")
    graph.add_argument("--graph", action="append", metavar="NAME", help="show only this graph (repeatable; default: all)")
    graph.add_argument("--check", metavar="FILE", help="exit 1 with a diff when FILE (.mmd/.dot/.json, or Markdown blocks) no longer matches")
    graph.add_argument("--output", metavar="FILE", help="write the rendering to FILE (in Markdown: replace or append its block)")
    graph.add_argument("--no-findings", action="store_true", help="leave findings out of the picture")
    graph.add_argument("--select", help="comma-separated rules whose findings to mark (replaces the config)")
    graph.add_argument("--ignore", default="", help="comma-separated rules not to run")
    _reading_args(graph)

    report = sub.add_parser("report", help="the readiness checklist (Markdown or self-contained HTML), item by item")
    report.add_argument("paths", nargs="*", default=[], help="files or directories")
    report.add_argument("--format", choices=("md", "html"), default="md", help="default: md (fit for $GITHUB_STEP_SUMMARY)")
    report.add_argument("--output", metavar="FILE", help="write to FILE (evidence links relative to its folder) instead of stdout")
    _reading_args(report)
    report.add_argument("--no-progress", action="store_true", help="no progress bar on stderr (it only appears on a terminal when a run takes over a second)")
    report.add_argument("--reproducible", action="store_true", help="leave the date and commit out of the header: the output depends only on the files read")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rule = sub.add_parser("rule", help="show one rule's documentation")
    rule.add_argument("code", help="rule code or name, e.g. AL101 or endless-cycle")

    server = sub.add_parser("server", help="run the language server over stdio (needs the server extra)")
    server.add_argument("--no-cache", action="store_true", help="read every file at start, without using or writing the cache (also AGENTLINT_NO_CACHE=1)")
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


def _cache_args(parser: argparse.ArgumentParser) -> None:
    """The persistent cache's flags, the same for every command that reads the project."""
    parser.add_argument("--no-cache", action="store_true", help="read every file, without using or writing the cache (also AGENTLINT_NO_CACHE=1)")
    parser.add_argument(
        "--cache-dir", metavar="DIR", help="where per-file results are kept (default: .agentlint_cache at the project root; also AGENTLINT_CACHE_DIR)"
    )


def _reading_args(parser: argparse.ArgumentParser) -> None:
    """What every command that reads the project takes besides its own flags: the config, the
    symlink policy and the cache."""
    parser.add_argument("--config", help="use this config file instead of discovering one")
    parser.add_argument("--isolated", action="store_true", help="ignore all config files")
    parser.add_argument("--follow-symlinks", action="store_true", help="follow symlinks that point outside the checked folders (default: listed as skipped)")
    _cache_args(parser)
