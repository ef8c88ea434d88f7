"""What bounds a CrewAI Flow router's loop: the shared state-counter reading (state_guards.py)
with CrewAI's state, ``self.state.x``, and its router results, the returned labels.

``if self.state.retry_count > 3: return "max_retry_exceeded"`` at the top of a router whose
``return "retry"`` re-enters the loop, with ``self.state.retry_count += 1`` in a method of the
loop, bounds the ``retry`` route to 4 passes (the counter's default in the state model is 0).
A router whose tests call anything, or ask a person (``input()``, ``self.ask()``), is unclear.
"""

from __future__ import annotations

from agentlint.adapters._code.state_guards import CrewAIReading, Guard, Verdict, judge, own_nodes, returns, state_key

__all__ = ["CrewAIReading", "Guard", "Verdict", "judge", "own_nodes", "returns", "state_key"]
