"""Issue 14, lever 6: the folder walk builds paths as strings, tests each entry's whole path and
name only (its folder's parts were tested when the folder was entered) and never re-sorts its
stack. What it finds must be what the documented rule gives: a path is skipped when it or any
part of it matches an exclude (``fnmatch``), and a skipped folder is not entered."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agentlint.discover import DEFAULT_EXCLUDES, Listing, discover, walked

NAMES = ["a.yaml", "b.json", "x.txt", "requirements.txt", ".env", "A.YAML", "build", "node_modules", "sub", "d1", "dir.py", "ab"]
PATTERNS = ["*.json", "a*", "sub/*", "build", "[ab]*", "*/x*", "?.yaml", "d1/a.yaml", "sub", "*.TXT", "d1/*/b.json"]

# A tree: folder name -> subtree (dict) or file (None).
TREES = st.recursive(
    st.none(),
    lambda inner: st.dictionaries(st.sampled_from(NAMES), inner, max_size=5),
    max_leaves=25,
).filter(lambda tree: isinstance(tree, dict))


def _write(folder: Path, tree: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, sub in tree.items():
        if sub is None:
            (folder / name).write_text("x\n", encoding="utf-8")
        else:
            _write(folder / name, sub)


def _reference(root: Path, target: str, patterns: tuple[str, ...]) -> tuple[set[str], set[str], set[str]]:
    """(candidates, listed files, listed folders) by the rule, with fnmatch on every part."""

    def skipped(rel: str) -> bool:
        return any(fnmatch.fnmatch(text, p) for text in (rel, *rel.split("/")) for p in patterns)

    candidates: set[str] = set()
    files: set[str] = set()
    folders: set[str] = set()

    def walk(folder: Path, folder_rel: str) -> None:
        folders.add(folder_rel)
        for name in sorted(os.listdir(folder)):
            rel = name if folder_rel == "." else f"{folder_rel}/{name}"
            if skipped(rel):
                files.add(rel)
            elif (folder / name).is_dir():
                walk(folder / name, rel)
            else:
                files.add(rel)
                if walked(rel):
                    candidates.add(rel)

    walk(root / target, Path(target).as_posix())
    return candidates, files, folders


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(TREES, st.lists(st.sampled_from(PATTERNS), max_size=3, unique=True), st.sampled_from([".", "d1", "sub", "build"]))
def test_walk_is_the_documented_rule(tmp_path_factory: Any, tree: dict[str, Any], patterns: list[str], target: str) -> None:
    root = tmp_path_factory.mktemp("tree")
    _write(root, {**tree, "d1": tree.get("d1") or {"a.yaml": None, "e": {"b.json": None}}})
    if not (root / target).is_dir():
        return
    listing = Listing(set(), set())
    found, problems = discover([target], root, patterns, listing=listing)
    assert problems == []
    candidates, files, folders = _reference(root, target, (*DEFAULT_EXCLUDES, *patterns))
    assert [c.path for c in found] == sorted(candidates)
    assert all(c.real == str(root / c.path) for c in found)
    assert (listing.files, listing.folders) == (files, folders)


def test_a_target_below_an_excluded_folder_lists_but_checks_nothing(tmp_path: Path) -> None:
    _write(tmp_path, {"build": {"gen": {"a.yaml": None}, "b.json": None}})
    listing = Listing(set(), set())
    found, _ = discover(["build/gen"], tmp_path, listing=listing)
    assert found == [] and listing.files == {"build/gen/a.yaml"} and listing.folders == {"build/gen"}


def test_depth_first_in_name_order(tmp_path: Path) -> None:
    """A folder linked twice is walked once, under the path met first in name order."""
    _write(tmp_path, {"b": {"real": {"t.yaml": None}}, "a": {"z": {}}, "c": {}})
    os.symlink(tmp_path / "b" / "real", tmp_path / "a" / "z" / "link")
    os.symlink(tmp_path / "b" / "real", tmp_path / "c" / "link")
    found, _ = discover(["."], tmp_path)
    assert [c.path for c in found] == ["a/z/link/t.yaml"]


TOKENS = [".", "a", "K", "\u212a", "\u017f", "yaml", "YML", "py", "json", "txt", "env", "requirements", "REQUIREMENTS", "constraints",
          "-", "_", "gitignore", "Dockerfile", "dockerfile", "Containerfile", "ignore", "s"]  # fmt: skip


@settings(max_examples=1500, deadline=None, database=None)
@given(
    st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map("".join),
    st.sampled_from(["", "d/", "requirements/", "a/Requirements/", "x/\u212a/", "a/b/c/"]),
)
@example("constraints.txt", "")
@example("Containerfile", "d/")
@example(".gitignore", "")
@example("dev.txt", "requirements/")
@example("prod.env", "")
@example("api.Dockerfile", "a/b/c/")
@example("requirements-dev.txt", "x/\u212a/")
def test_the_walks_file_test_is_walked(name: str, folder: str) -> None:
    from agentlint.discover import _by_name, _walked

    assert _walked(folder + name, name, _by_name().search) == walked(folder + name)
