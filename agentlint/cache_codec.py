"""The cache's pickle codec (agentlint.cache keeps the entries): fast reducers for agentlint's
frozen dataclasses and named tuples, and an unpickler that builds only those and enums, so a
committed or foreign entry cannot run code."""

from __future__ import annotations

import dataclasses
import enum
import operator
import sys
from functools import cache
from typing import Any

from agentlint.model.source import Pos, Span, pos, shared_span


# Entities are frozen slotted dataclasses; pickle's default rebuilds each one through the
# dataclass's Python __setstate__ (which looks the fields up again per object) and each
# NamedTuple (Pos, Span) through copyreg: ~3 µs an object, more than loading the file anew.
# Rebuilt by calling the class (dataclasses) or tuple.__new__ (named tuples), and with the
# cyclic collector paused while ~700 objects a file are created, an entry loads ~5x faster.


_NAMES: dict[type, tuple[str, ...] | None] = {}
_CLASSES: dict[tuple[str, str], Any] = {}  # (module, name) -> what find_class allowed


def _fields(cls: type) -> tuple[str, ...] | None:
    """The fields a dataclass is rebuilt from by calling it, None when calling it would not
    give the same object back (a field outside __init__, a subclass that is not itself a
    dataclass): those are pickled as pickle does by default. A ``__post_init__`` runs again on
    the stored values: it may validate or normalise (``Located`` interns its spans), which a
    frozen dataclass's can only do idempotently."""
    names = _NAMES.get(cls, ())
    if names == ():
        fields = dataclasses.fields(cls)
        params = cls.__dict__.get("__dataclass_params__")  # not inherited: a subclass may have its own __init__
        ok = params is not None and params.init and all(f.init for f in fields)
        names = _NAMES[cls] = tuple(f.name for f in fields) if ok else None
    return names


def _named_tuple(cls: type, values: tuple) -> tuple:
    return tuple.__new__(cls, values)


def _span(start_line: int, start_column: int, end_line: int, end_column: int) -> Span:
    """A Span and its two Pos in one call (a large project has hundreds of thousands), shared
    as the loaders' are (model.source.pos, shared_span)."""
    return shared_span(_new(Span, (pos(start_line, start_column), pos(end_line, end_column))))


_new = tuple.__new__
_FUNCTIONS = {"_named_tuple": _named_tuple, "_span": _span}


class _Reducers(dict):
    """type -> reducer, made on the first object of each type; the C pickler looks it up for
    every later object of that type (a reducer_override would be a Python call per object)."""

    def __missing__(self, cls: type) -> Any:
        if issubclass(cls, type):
            raise KeyError(cls)  # a class (an enum's metaclass): pickled by name, as usual
        reducer = self[cls] = _reducer_for(cls)
        return reducer


def _reducer_for(cls: type) -> Any:
    if cls is Span:
        return _reduce_span
    if issubclass(cls, tuple) and hasattr(cls, "_fields"):
        return _reduce_named_tuple
    names = _fields(cls) if dataclasses.is_dataclass(cls) else None
    if names is None:
        return _reduce_default
    if not names:
        return lambda obj: (cls, ())
    values = operator.attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (cls, (values(obj),))
    return lambda obj: (cls, values(obj))


def _reduce_span(obj: Span) -> Any:
    start, end = obj
    if type(start) is Pos and type(end) is Pos:
        return _span, (*start, *end)
    return _named_tuple, (Span, tuple(obj))


def _reduce_named_tuple(obj: tuple) -> Any:
    return _named_tuple, (type(obj), tuple(obj))


def _reduce_default(obj: Any) -> Any:
    return obj.__reduce_ex__(5)


def _allowed(found: Any) -> bool:
    """agentlint's own dataclasses, enums and named tuples: what an entry may build."""
    if not isinstance(found, type):
        return False
    return dataclasses.is_dataclass(found) or issubclass(found, enum.Enum) or (issubclass(found, tuple) and hasattr(found, "_fields"))


@cache
def _pickle() -> tuple[type, type]:
    """The pickler and unpickler classes, made on first use (pickle is not a start-up import)."""
    import pickle

    class Pickler(pickle.Pickler):
        dispatch_table = _Reducers()

    class Unpickler(pickle.Unpickler):
        """Builds agentlint's own dataclasses, enums and named tuples, and nothing else."""

        def find_class(self, module: str, name: str) -> Any:
            found = _CLASSES.get((module, name))
            if found is not None:
                return found
            if module == __name__ and name in _FUNCTIONS:
                found = _FUNCTIONS[name]
            elif module.startswith("agentlint.") and "." not in name:
                found = getattr(sys.modules.get(module) or _import(module), name, None)
                if not _allowed(found):
                    found = None
            if found is None:
                raise pickle.UnpicklingError(f"not an agentlint class: {module}.{name}")
            _CLASSES[module, name] = found
            return found

    return Pickler, Unpickler


def _import(module: str) -> Any:
    import importlib

    return importlib.import_module(module)
