"""Model-written code run on the host (AL226) outside smolagents: LangChain's Python REPL tools
(shape: langchain_experimental's PythonREPLTool given to an agent) and exec()/eval() of an LLM
answer in the same function (shapes: an OpenAI chat completion's content stripped and exec'd; a
litellm acompletion eval'd inline). Text passed through a parameter, a helper or str() is not."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.code_execution_code import adapt, claims
from agentlint.loaders.python import load_python
from agentlint.model.code_execution import ExecutionKind
from tests.helpers import mutated_source, project_findings

SOURCE = '''\
from openai import OpenAI
from langchain_experimental.tools import PythonREPLTool
from langchain_experimental.tools.python.tool import PythonAstREPLTool
import litellm

client = OpenAI()
tools = [PythonREPLTool(), PythonAstREPLTool(locals={"df": None})]


def solve(question):
    response = client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[{"role": "user", "content": question}])
    code = response.choices[0].message.content.strip()
    exec(code)


def not_clear(text):
    exec(text)
    r = client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[])
    eval(str(r))
    eval(extract_code(r.choices[0].message.content))


async def judge():
    answer = await litellm.acompletion(model="gpt-4o-2024-08-06", messages=[])
    return eval(answer.choices[0].message.content)


def shadowed(exec):
    exec(client.chat.completions.create(model="m", messages=[]).choices[0].message.content)
'''


def test_repl_tools_and_exec_of_an_llm_answer() -> None:
    found = [(e.kind, e.subject, e.span.start.line, e.span.start.column) for e in adapt(load_python("app.py", SOURCE)).entities]
    assert found == [
        (ExecutionKind.PYTHON_REPL_TOOL, "PythonREPLTool()", 7, 10),
        (ExecutionKind.PYTHON_REPL_TOOL, "PythonAstREPLTool()", 7, 28),
        (ExecutionKind.EXEC_OF_MODEL_OUTPUT, "exec()", 13, 5),
        (ExecutionKind.EXEC_OF_MODEL_OUTPUT, "eval()", 25, 12),
    ]


def test_findings_through_the_cli(tmp_path: Path) -> None:
    found = project_findings(tmp_path, {"app.py": SOURCE})
    assert [f for f in found if f[0] == "AL226"] == [
        ("AL226", "app.py", 7, 10), ("AL226", "app.py", 7, 28), ("AL226", "app.py", 13, 5), ("AL226", "app.py", 25, 12)
    ]


def test_claims() -> None:
    assert claims("a.py", "x = eval(y)") and not claims("a.py", "import os")
    assert adapt(load_python("a.py", "import builtins\nexec('1')\nmodel.eval()\n")).entities == []


NOISE = (", **kw", "(", ")", "[0]", ".strip()", "await x", "exec(code)")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_sources_never_crash(data: st.DataObject) -> None:
    adapt(load_python("app.py", mutated_source(data, SOURCE.splitlines(), NOISE)))  # never raises
