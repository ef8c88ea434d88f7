"""Rule documentation rendered from the rule classes: CLI pages and the generated rules/."""

from __future__ import annotations

import json
import os

from agentlint.config import Settings
from agentlint.options import describe
from agentlint.registry import all_rules
from agentlint.rule import Example, Rule

FAMILIES = {"0": "loading", "1": "topology", "2": "tools", "3": "limits", "4": "prompts", "5": "observability", "9": "meta"}


def family(rule: type[Rule]) -> str:
    return FAMILIES.get(rule.code[2], "other")


def find_rule(key: str) -> type[Rule] | None:
    rules = all_rules()
    if key.upper() in rules:
        return rules[key.upper()]
    return next((r for r in rules.values() if r.name == key), None)


def rules_table(fmt: str = "text") -> str:
    rules = all_rules()
    if fmt == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "summary": r.summary,
                "severity": r.severity.value,
                "family": family(r),
                "checklist": r.checklist.number,
                "enabled_by_default": r.enabled_by_default,
            }
            for r in rules.values()
        ]
        return json.dumps(rows, indent=2) + "\n"
    width = max(len(r.name) for r in rules.values())
    lines = [f"{'code':<6} {'name':<{width}} {'severity':<8} {'checklist':<9} summary"]
    for r in rules.values():
        lines.append(f"{r.code:<6} {r.name:<{width}} {r.severity.value:<8} {r.checklist.number:<9} {r.summary}")
    return "\n".join(lines) + "\n"


def _fence(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    return {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonc": "jsonc", ".toml": "toml", ".py": "python"}.get(ext, "")


def _example(example: Example, index: int) -> list[str]:
    out = [f"**{example.title or f'Example {index}'}**", ""]
    if example.options:
        opts = ", ".join(f"`{k.replace('_', '-')} = {json.dumps(v)}`" for k, v in example.options)
        out += [f"With options {opts}:", ""]
    for path, text in example.files:
        out.append(f"`{path}`:")
        out.append("")
        if isinstance(text, bytes):
            out += ["```", repr(text), "```", ""]
        else:
            out += [f"```{_fence(path)}", text.rstrip("\n"), "```", ""]
    if example.expect:
        out += ["Expected: " + ", ".join(f"{code} at {path}:{line}" for path, line, code in sorted(example.expect)), ""]
    return out


def rule_page(rule: type[Rule]) -> str:
    lines = [f"# {rule.name} ({rule.code})", ""]
    lines.append(
        f"Severity: **{rule.severity.value}** · Family: {family(rule)} · "
        f"Checklist: {rule.checklist.number} {rule.checklist.title}"
        + ("" if rule.enabled_by_default else " · Off by default")
    )
    lines.append("")
    doc = rule.doc_sections().split("\n", 1)
    lines.append(doc[0])
    if len(doc) > 1:
        lines.append(doc[1].rstrip())
    lines.append("")
    rows = describe(rule.Options)
    lines.append("## Options")
    lines.append("")
    if rule.options_from:
        keys = ", ".join(f"`{name.replace('_', '-')}`" for name, *_ in describe(all_rules()[rule.options_from].Options))
        lines.append(f"Those of [{rule.options_from}]({rule.options_from}.md) ({keys}): set them in `[tool.agentlint.rules.{rule.options_from}]`.")
    elif rows:
        lines += ["| option | type | default | description |", "|---|---|---|---|"]
        for name, type_name, default, description in rows:
            lines.append(f"| `{name.replace('_', '-')}` | {type_name} | `{json.dumps(default)}` | {description} |")
        lines.append("")
        lines.append(f"Set them in `[tool.agentlint.rules.{rule.code}]`.")
    else:
        lines.append("None.")
    lines.append("")
    lines += ["## Examples", "", "### Valid (no finding)", ""]
    for i, example in enumerate(rule.valid, start=1):
        lines += _example(example, i)
    if rule.invalid:
        lines += ["### Invalid (`# expect:` marks each finding)", ""]
        for i, example in enumerate(rule.invalid, start=1):
            lines += _example(example, i)
    elif rule.untestable:
        lines += [f"No invalid example: {rule.untestable}.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def index_page() -> str:
    lines = ["# agentlint rules", "", "Generated from the rule classes (`AGENTLINT_UPDATE=1 pytest` rewrites it).", ""]
    lines += ["| code | name | severity | checklist | summary |", "|---|---|---|---|---|"]
    for r in all_rules().values():
        lines.append(f"| [{r.code}]({r.code}.md) | {r.name} | {r.severity.value} | {r.checklist.number} | {r.summary} |")
    return "\n".join(lines) + "\n"


def explain(rule: type[Rule], settings: Settings) -> str:
    origins = settings.origins
    code = rule.code
    lines = [f"{code} ({rule.name})", f"  config file: {settings.config_path or '(none found)'}"]
    enabled = code in settings.selected
    lines.append(f"  enabled:  {'yes' if enabled else 'no':<8} from {origins.get(f'{code}.enabled', 'default')}")
    lines.append(f"  severity: {settings.severities[code].value:<8} from {origins.get(f'{code}.severity', 'default')}")
    for override in settings.overrides:
        if code in override.ignore:
            lines.append(f"  ignored for {', '.join(override.files)} by {override.origin}")
        for c, level in override.severity:
            if c == code:
                lines.append(f"  severity {level.value} for {', '.join(override.files)} by {override.origin}")
    owner = rule.options_from or code
    options = settings.options[owner]
    for name, _type, default, _description in describe(all_rules()[owner].Options):
        key = name.replace("_", "-")
        value = getattr(options, name)
        origin = origins.get(f"{owner}.option.{key}", "default") + (f" (of {owner})" if owner != code else "")
        lines.append(f"  option {key} = {json.dumps(value)} from {origin}")
    lines.append(f"  fail-on:  {settings.fail_on.value:<8} from {origins.get('fail-on', 'default')}")
    return "\n".join(lines) + "\n"


def show_settings(settings: Settings) -> str:
    """``agentlint config`` (``--show-settings``): every effective setting, TOML-like, with
    where it came from. Settings for one config file: the one that applies to the given path."""

    def value(v: object) -> str:
        return json.dumps(v, ensure_ascii=False, default=lambda o: sorted(o) if isinstance(o, (set, frozenset)) else str(o))

    origins = settings.origins
    lines = [
        "# agentlint effective configuration",
        f"# config file: {settings.config_path or '(none found: defaults)'}",
        f"fail-on = {value(settings.fail_on.value)}  # {origins.get('fail-on', 'default')}",
        f"exclude = {value(list(settings.exclude))}",
        f"max-file-size = {settings.limits.max_file_bytes}",
        f"max-depth = {settings.limits.max_depth}",
        f"inline-suppressions = {value(settings.inline_suppressions)}",
    ]
    for override in settings.overrides:
        ignored = ", ".join(sorted(override.ignore))
        levels = ", ".join(f"{code} = {level.value}" for code, level in override.severity)
        lines.append(f"# {override.origin}: files {value(list(override.files))}" + (f" ignore [{ignored}]" if ignored else "") + (f" severity {{{levels}}}" if levels else ""))
    for entry in settings.suppressions:
        lines.append(f"# {entry.origin.path}:{entry.origin.span.start.line}: suppress {entry.kind.value}{list(entry.codes)} at {entry.path}#{entry.pointer}: {entry.reason}")
    rules = all_rules()
    for code, rule in rules.items():
        lines += ["", f"[rules.{code}]  # {rule.name}"]
        lines.append(f"enabled = {value(code in settings.selected)}  # {origins.get(f'{code}.enabled', 'default')}")
        lines.append(f"severity = {value(settings.severities[code].value)}  # {origins.get(f'{code}.severity', 'default')}")
        owner = rule.options_from or code
        for name, _type, _default, _description in describe(rules[owner].Options):
            key = name.replace("_", "-")
            origin = origins.get(f"{owner}.option.{key}", "default") + (f" (of {owner})" if owner != code else "")
            lines.append(f"{key} = {value(getattr(settings.options[owner], name))}  # {origin}")
    return "\n".join(lines) + "\n"


def published_files() -> dict[str, str]:
    """Repository-relative path -> content of every generated file (rules/ and schemas/)."""
    from agentlint.adapters.shapes import neutral, policy, prompts

    from agentlint.config_schema import json_schema as config_json_schema

    files = {"rules/README.md": index_page()}
    files["schemas/agentlint-config.schema.json"] = json.dumps(config_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    for rule in all_rules().values():
        files[f"rules/{rule.code}.md"] = rule_page(rule)
    for name, module in (("agentgraph", neutral), ("toolpolicy", policy), ("promptregistry", prompts)):
        schema = json.dumps(module.json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        files[f"schemas/{name}.schema.json"] = schema
        files[f"agentlint/schemas/{name}.schema.json"] = schema
    return files


def sarif_rule_metadata(code: str) -> dict | None:
    """Rule metadata for the SARIF reporter (installed by the CLI: reporters do not import
    the registry)."""
    from agentlint.registry import rule_index
    from agentlint.report import sarif

    info = rule_index().get(code)
    if info is None:
        return None
    rule = info.load()  # this rule only, not all of them
    return {
        "name": rule.name,
        "summary": rule.summary,
        "description": sarif.first_paragraph(rule.doc_sections()),
        "help": rule_page(rule),
        "severity": rule.severity,
        "tags": [family(rule), f"checklist-{rule.checklist.number}"],
    }
