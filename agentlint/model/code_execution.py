"""Places where code makes the model's output run as code on the host.

Read from Python by the code adapters: a smolagents ``CodeAgent`` left on its local executor
(``smolagents_code``), a LangChain Python REPL tool given to an agent, and ``exec``/``eval`` of
a value that, within the same function, is the text of an LLM call's answer
(``code_execution_code``). AL226 reports them (TOOLS_LEAST_PRIVILEGE).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from agentlint.model.entities import Located


class ExecutionKind(enum.Enum):
    LOCAL_CODE_AGENT = "local-code-agent"  # smolagents CodeAgent, executor_type "local" (the default)
    PYTHON_REPL_TOOL = "python-repl-tool"  # LangChain PythonREPLTool / PythonAstREPLTool
    EXEC_OF_MODEL_OUTPUT = "exec-of-model-output"  # exec()/eval() of an LLM answer


@dataclass(frozen=True, slots=True)
class CodeExecution(Located):
    kind: ExecutionKind
    subject: str  # "CodeAgent 'manager_agent'", "PythonREPLTool()", "exec()"
    detail: str = ""  # what makes it run on the host, for the message
