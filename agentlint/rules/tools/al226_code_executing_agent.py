from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.code_execution import CodeExecution, ExecutionKind
from agentlint.model.project import Project
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule

_FIX = {
    ExecutionKind.LOCAL_CODE_AGENT: 'run it in a sandbox (executor_type="e2b", "docker", "modal" or "wasm") or use a ToolCallingAgent',
    ExecutionKind.PYTHON_REPL_TOOL: "give the agent narrow tools instead, or run the REPL in a sandbox",
    ExecutionKind.EXEC_OF_MODEL_OUTPUT: "parse the answer into data (json.loads, a schema) instead, or run it in a sandbox",
}


class CodeExecutingAgent(Rule):
    """Model-written code that runs on the host.

    ## What it does
    Reports Python that makes an LLM's output run as code in this process:

    - a smolagents `CodeAgent` whose `executor_type` is `"local"` or unset (the default is
      `"local"`: the code the model writes runs in smolagents' local interpreter, inside the
      application's process); a remote executor (`"e2b"`, `"docker"`, `"modal"`, `"wasm"` …)
      or an `executor=` object is not reported;
    - LangChain's `PythonREPLTool()` and `PythonAstREPLTool()`, which run any Python the model
      sends them;
    - `exec(...)`/`eval(...)` of a value that, in the same function, is the text of an LLM call's
      answer (`response.choices[0].message.content`). Only the statically clear case is
      reported: text passed through a helper or a parameter is not.

    ## Why is this bad?
    Whoever can steer the model (a prompt injection in a web page, a document, a tool result)
    then runs code with the application's rights: its files, its environment variables and
    secrets, its network. smolagents' local interpreter restricts imports and operations, but
    its own guide ("Secure code execution": by default a CodeAgent runs LLM-generated code in
    your environment) says that this is not watertight and points to the remote executors for
    isolation. Least privilege asks that generated code run in a sandbox, or not at all.
    """

    code = "AL226"
    name = "code-executing-agent"
    summary = "Agent or code that runs model-written code on the host"
    severity = Severity.WARNING
    checklist = Checklist.TOOLS_LEAST_PRIVILEGE
    entities = ("CodeExecution",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        for found in project.of(CodeExecution):
            yield self.violation(
                f"{found.subject} runs model-written code on the host ({found.detail}): {_FIX[found.kind]}",
                found,
                args=(found.kind.value, found.subject),
            )

    valid = (
        Example.of(
            "from smolagents import CodeAgent, InferenceClientModel, WebSearchTool\n\n"
            "model = InferenceClientModel()\n"
            'agent = CodeAgent(tools=[WebSearchTool()], model=model, executor_type="e2b")\n',
            path="agent.py",
            title="A CodeAgent whose code runs in an E2B sandbox",
        ),
        Example.of(
            "import json\n\nfrom openai import OpenAI\n\nclient = OpenAI()\n\n\n"
            "def plan(question):\n"
            '    response = client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[{"role": "user", "content": question}])\n'
            "    return json.loads(response.choices[0].message.content)\n",
            path="planner.py",
            title="The answer is parsed as data, never run",
        ),
    )
    invalid = (
        Example.of(
            "from smolagents import CodeAgent, InferenceClientModel, ToolCallingAgent, WebSearchTool\n\n"
            'model = InferenceClientModel(model_id="Qwen/Qwen2.5-Coder-32B-Instruct")\n'
            'web_agent = ToolCallingAgent(tools=[WebSearchTool()], model=model, max_steps=10, name="web_search_agent")\n'
            "manager_agent = CodeAgent(  # expect: AL226\n"
            "    tools=[],\n"
            "    model=model,\n"
            "    managed_agents=[web_agent],\n"
            '    additional_authorized_imports=["time", "numpy", "pandas"],\n'
            ")\n",
            path="agent.py",
            title="A manager CodeAgent on the default local executor",
        ),
        Example.of(
            "from langchain_experimental.tools import PythonREPLTool\n\n"
            "tools = [PythonREPLTool()]  # expect: AL226\n",
            path="tools.py",
            title="LangChain's Python REPL given to an agent",
        ),
        Example.of(
            "from openai import OpenAI\n\nclient = OpenAI()\n\n\n"
            "def solve(question):\n"
            '    response = client.chat.completions.create(model="gpt-4o-2024-08-06", messages=[{"role": "user", "content": question}])\n'
            "    code = response.choices[0].message.content.strip()\n"
            "    exec(code)  # expect: AL226\n",
            path="solver.py",
            title="exec() of the model's answer",
        ),
    )
