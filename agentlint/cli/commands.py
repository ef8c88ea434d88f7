"""``agentlint baseline write``, ``graph``, ``report`` and ``config``: each reads the project
through the api and writes one artefact or one answer."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from agentlint.cli.check import _cache
from agentlint.cli.util import _missing, _progress, _split, _write_atomic


def _analysed(args: argparse.Namespace, paths: list[str], settings: Any, **options: Any) -> tuple[Any, Any]:
    """``api.analyse`` through the project's cache (``--no-cache``, ``--cache-dir``, as ``check``)."""
    from agentlint import api

    cache = _cache(args, settings)
    try:
        return api.analyse(paths, settings, cache=cache, **options)
    finally:
        if cache is not None:
            cache.close()


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
    result, _ = _analysed(args, paths, settings)
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
    result, project = _analysed(args, absolute, settings, root=root)
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
        result, project = _analysed(args, paths, settings, progress=progress)
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
