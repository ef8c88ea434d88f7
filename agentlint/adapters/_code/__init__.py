"""Groundwork shared by the adapters that read Python code (LangGraph, LLM clients …).

One pass per module, cached on the LocatedModule: imports and aliases, module-level and
function-local assignments, and a small evaluator whose answer is a static value or *unknown*.
Dialects recognise their calls on top of it; none of them walks the tree again for imports.
"""
