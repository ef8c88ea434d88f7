"""LLM clients in Python code -> LLMClient entities, and the findings AL304 (no timeout), AL303
(retries above the maximum) and AL222 (literal API key) give on them: exact codes, paths and
lines per library, aliases, clients built in functions, unknown values never reported, real
shapes from public repositories (tests/fixtures/llm_clients/NOTICE), and a fuzz test that the
adapter never raises on generated sources."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.llm_clients import ADAPTER
from agentlint.loaders.python import load_python
from agentlint.model.clients import ClientSetting, LiteralKey, LLMClient, SettingState
from agentlint.model.source import NodeRef, Pos, Span
from tests.helpers import project_findings

FIXTURES = Path(__file__).parent / "fixtures" / "llm_clients"
CODES = ("AL222", "AL303", "AL304")


def findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int]]:
    return [(code, path, line) for code, path, line, _ in project_findings(tmp_path, files, CODES)]


def clients(source: str, path: str = "app.py") -> list[LLMClient]:
    return [e for e in ADAPTER.adapt(load_python(path, source)).entities if isinstance(e, LLMClient)]


def test_exact_entity_for_an_openai_client() -> None:
    source = "import os\nfrom openai import OpenAI\n\nclient = OpenAI(timeout=float(os.getenv('T', '30')), max_retries=4)\n"
    (client,) = clients(source)
    assert client == LLMClient(
        ref=NodeRef("app.py", ("llm_clients", "<module>", "client", 0)),
        span=Span(Pos(4, 10), Pos(4, 68)),
        fields=(("timeout", Span(Pos(4, 17), Pos(4, 52))), ("retries", Span(Pos(4, 54), Pos(4, 67)))),
        library="openai",
        constructor="OpenAI",
        timeout=ClientSetting(SettingState.STATIC, 30.0, "timeout", "T"),
        retries=ClientSetting(SettingState.STATIC, 4, "max_retries"),
    )


def test_each_library_without_a_timeout(tmp_path: Path) -> None:
    source = (
        "import litellm\n"  # 1
        "from openai import AsyncAzureOpenAI\n"
        "from anthropic import AnthropicBedrock\n"
        "from langchain_openai import AzureChatOpenAI\n"
        "from langchain_anthropic import ChatAnthropic\n"  # 5
        "from langchain_google_genai import ChatGoogleGenerativeAI\n"
        "from langchain.chat_models import init_chat_model\n"
        "from google import genai\n"
        "\n"
        "a = AsyncAzureOpenAI(api_version='2024-10-21')\n"  # 10
        "b = AnthropicBedrock(aws_region='us-east-1')\n"
        "c = AzureChatOpenAI(azure_deployment='gpt-4o')\n"
        "d = ChatAnthropic(model='claude-sonnet-4-5')\n"
        "e = ChatGoogleGenerativeAI(model='gemini-2.5-flash')\n"
        "f = init_chat_model('openai:gpt-4o')\n"  # 15
        "g = genai.Client(http_options={'api_version': 'v1'})\n"
        "h = litellm.acompletion(model='gpt-4o', messages=[])\n"
    )
    assert findings(tmp_path, {"app.py": source}) == [("AL304", "app.py", line) for line in range(10, 18)]


def test_messages_quote_the_default_and_the_fix() -> None:
    from agentlint.model.project import Project
    from agentlint.rules.limits.al304_llm_client_timeout import LLMClientTimeout

    source = "import openai\nfrom google import genai\n\nx = openai.OpenAI()\ny = genai.Client()\n"
    project = Project.build([], clients(source))
    messages = [v.message for v in LLMClientTimeout().check(project, None)]
    assert messages == [
        "openai.OpenAI(...) has no timeout: the openai SDK waits 600 s per request by default (and retries twice);"
        " pass timeout=30 (seconds)",
        "genai.Client(...) has no timeout: google-genai sets no request timeout by default (HttpOptions.timeout is None);"
        " pass http_options=types.HttpOptions(timeout=30_000) (milliseconds)",
    ]


def test_aliases_and_clients_built_in_functions(tmp_path: Path) -> None:
    source = (
        "import anthropic as ac\n"
        "from openai import OpenAI as Client\n"
        "from langchain_openai import chat_models as lc\n"
        "\n"
        "class Service:\n"  # 5
        "    def __init__(self):\n"
        "        self.llm = ac.AsyncAnthropic()\n"
        "\n"
        "def factory():\n"
        "    client = Client()\n"  # 10
        "    return lc.ChatOpenAI(model='gpt-4o')\n"
        "\n"
        "async def run():\n"
        "    async with ac.AsyncAnthropic() as claude:\n"
        "        return claude\n"  # 15
    )
    assert findings(tmp_path, {"app.py": source}) == [
        ("AL304", "app.py", 7),
        ("AL304", "app.py", 10),
        ("AL304", "app.py", 11),
        ("AL304", "app.py", 14),
    ]


def test_unknown_values_and_per_request_timeouts_are_silent(tmp_path: Path) -> None:
    source = (
        "import os\n"
        "import httpx\n"
        "import litellm\n"
        "from openai import OpenAI, AsyncOpenAI\n"
        "from langchain_openai import ChatOpenAI\n"
        "from app.settings import settings, TIMEOUT\n"
        "\n"
        "a = OpenAI(timeout=settings.llm_timeout, max_retries=settings.retries)\n"
        "b = OpenAI(timeout=TIMEOUT)\n"
        "c = OpenAI(timeout=httpx.Timeout(30.0, connect=5.0))\n"
        "d = OpenAI(http_client=httpx.Client(timeout=20))\n"
        "e = OpenAI(timeout=os.getenv('OPENAI_TIMEOUT'))\n"
        "f = AsyncOpenAI()\n"
        "g = OpenAI().with_options(timeout=10, max_retries=1)\n"
        "h = ChatOpenAI(model='gpt-4o').bind(timeout=15)\n"
        "k = ChatOpenAI(model='gpt-4o')\n"
        "\n"
        "def build(**kwargs):\n"
        "    return OpenAI(**kwargs)\n"
        "\n"
        "def call(params):\n"
        "    litellm.completion(**params)\n"
        "    return f.chat.completions.create(model='gpt-4o', messages=[], timeout=20)\n"
        "\n"
        "def ask(question, config):\n"
        "    return k.invoke(question, **config)\n"
    )
    assert findings(tmp_path, {"app.py": source}) == []


def test_spread_of_a_local_dict_is_read_when_nothing_else_touches_it(tmp_path: Path) -> None:
    source = (
        "import litellm\n"  # 1
        "from langchain_openai import ChatOpenAI\n"
        "\n"
        "def safe_completion(model, messages, tools=None):\n"
        "    kwargs = {'model': model, 'messages': messages}\n"  # 5
        "    if tools:\n"
        "        kwargs['tools'] = tools\n"
        "    return litellm.completion(**kwargs)\n"
        "\n"
        "def retried(model, messages):\n"  # 10
        "    kwargs = {'model': model, 'messages': messages, 'timeout': 30,\n"
        "              'num_retries': 9}\n"
        "    return litellm.completion(**kwargs)\n"
        "\n"
        "def updated(model, messages, extra):\n"  # 15
        "    kwargs = {'model': model, 'messages': messages}\n"
        "    kwargs.update(extra)\n"
        "    return litellm.completion(**kwargs)\n"
        "\n"
        "def conditional(model, messages, t):\n"  # 20
        "    kwargs = {'model': model, 'messages': messages}\n"
        "    if t:\n"
        "        kwargs['timeout'] = t\n"
        "    return litellm.completion(**kwargs)\n"
        "\n"  # 25
        "CONFIG = {'model': 'gpt-4o', 'temperature': 0}\n"
        "llm = ChatOpenAI(**CONFIG)\n"
        "\n"
        "def passed_in(config):\n"
        "    return ChatOpenAI(**config)\n"  # 30
    )
    assert findings(tmp_path, {"app.py": source}) == [
        ("AL303", "app.py", 12),
        ("AL304", "app.py", 8),
        ("AL304", "app.py", 27),
    ]


def test_a_global_litellm_timeout_covers_every_module(tmp_path: Path) -> None:
    files = {
        "app/config.py": "import litellm\n\nlitellm.request_timeout = 45\n",
        "app/agent.py": "from litellm import completion\n\nreply = completion(model='gpt-4o', messages=[])\n",
    }
    assert findings(tmp_path, files) == []
    assert findings(tmp_path / "alone", {"agent.py": files["app/agent.py"]}) == [("AL304", "agent.py", 3)]


def test_timeout_none_is_reported_at_the_keyword(tmp_path: Path) -> None:
    source = "from anthropic import Anthropic\n\nclaude = Anthropic(\n    max_retries=3,\n    timeout=None,\n)\n"
    assert findings(tmp_path, {"app.py": source}) == [("AL304", "app.py", 5)]


def test_google_genai_milliseconds_and_retries_counted_as_attempts() -> None:
    source = (
        "from google import genai\n"
        "from google.genai import types\n"
        "from langchain_google_genai import ChatGoogleGenerativeAI\n"
        "a = genai.Client(http_options=types.HttpOptions(timeout=45_000))\n"
        "b = genai.Client(http_options={'timeout': 1500})\n"
        "c = ChatGoogleGenerativeAI(model='gemini-2.5-pro', timeout=60, max_retries=1)\n"
        "d = ChatGoogleGenerativeAI(model='gemini-2.5-pro', timeout=60, max_retries=0)\n"
    )
    found = clients(source)
    assert [c.timeout.value for c in found] == [45.0, 1.5, 60.0, 60.0]
    assert [c.retries.state for c in found[2:]] == [SettingState.STATIC, SettingState.UNKNOWN]
    assert found[2].retries.value == 0  # max_retries=1 is the first attempt only


def test_google_genai_retry_options(tmp_path: Path) -> None:
    source = (
        "from google import genai\n"
        "from google.genai import types\n"
        "a = genai.Client(http_options=types.HttpOptions(timeout=30_000, retry_options=types.HttpRetryOptions(attempts=5)))\n"
        "b = genai.Client(\n"
        "    http_options={'timeout': 30_000, 'retry_options': {'attempts': 9}},\n"
        ")\n"
        "c = genai.Client(http_options=types.HttpOptions(timeout=30_000, retry_options=types.HttpRetryOptions(initial_delay=2)))\n"
    )
    assert [c.retries.value for c in clients(source)] == [4, 8, 4]  # attempts left out: 5
    assert findings(tmp_path, {"app.py": source}) == [("AL303", "app.py", 5)]


def test_retries_above_the_maximum(tmp_path: Path) -> None:
    source = (
        "import litellm\n"
        "from openai import OpenAI\n"
        "from anthropic import Anthropic\n"
        "a = OpenAI(timeout=30, max_retries=4)\n"
        "b = OpenAI(timeout=30, max_retries=5)\n"
        "c = Anthropic(timeout=30, max_retries=0)\n"
        "litellm.completion(model='gpt-4o', messages=[], timeout=30, num_retries=8)\n"
    )
    assert findings(tmp_path, {"app.py": source}) == [("AL303", "app.py", 5), ("AL303", "app.py", 7)]


def test_literal_keys_are_located_and_never_printed(tmp_path: Path) -> None:
    secret = "sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS"
    source = (
        "import os\n"
        "from openai import OpenAI\n"
        "from langchain_anthropic import ChatAnthropic\n"
        f"KEY = '{secret}'\n"
        "\n"
        "def make():\n"
        "    return OpenAI(api_key=KEY, timeout=30)\n"
        "\n"
        "judge = ChatAnthropic(model='claude-sonnet-4-5', timeout=30,\n"
        "                      anthropic_api_key=os.environ.get('ANTHROPIC_API_KEY') or 'sk-ant-api03-Zk4vQ9mT2wR7pL5nB8xC3yD6fG1hJ0sKaE')\n"
        "local = OpenAI(base_url='http://localhost:1234/v1', api_key='lm-studio', timeout=30)\n"
    )
    assert findings(tmp_path, {"app.py": source}) == [("AL222", "app.py", 4), ("AL222", "app.py", 10)]
    (first, _, local) = clients(source)
    assert first.api_key == LiteralKey("OpenAI API key", Span(Pos(4, 7), Pos(4, 48)))
    assert local.api_key is None
    from agentlint.model.project import Project
    from agentlint.rules.tools.al222_literal_api_key import LiteralApiKey

    messages = [v.message for v in LiteralApiKey().check(Project.build([], clients(source)), None)]
    assert all(secret not in m and "Zk4vQ9" not in m for m in messages)
    assert messages[1].startswith("ChatAnthropic(...): the os.getenv default for ANTHROPIC_API_KEY is a literal Anthropic API key")


def test_one_finding_per_literal_key(tmp_path: Path) -> None:
    source = (
        "import os\n"
        "from openai import OpenAI\n"
        "KEY = os.getenv('OPENAI_API_KEY', 'sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS')\n"
        "client = OpenAI(api_key=KEY, timeout=30)\n"
        "other = OpenAI(api_key=KEY, timeout=30)\n"
        "os.environ['SERVICE_NAME'] = 'support-assistant'\n"
        "REGION = os.getenv('AWS_REGION', 'eu-west-1')\n"
    )
    assert findings(tmp_path, {"app.py": source}) == [("AL222", "app.py", 3)]


def test_real_shapes_from_public_repositories(tmp_path: Path) -> None:
    project = tmp_path / "real"
    shutil.copytree(FIXTURES, project, ignore=shutil.ignore_patterns("NOTICE"))
    files = {p.name: p.read_text(encoding="utf-8") for p in project.glob("*.py")}
    assert findings(project, files) == [
        ("AL304", "ai_provider.py", 8),  # OpenAI(api_key=...) only: 600 s, twice retried
        ("AL304", "anthropic_model.py", 7),  # ChatAnthropic(timeout=None): no limit at all
        ("AL304", "kaggle_notebook.py", 7),  # genai.Client without http_options
        ("AL304", "plan_node.py", 7),  # init_chat_model("anthropic:…"); "sk-..." is a placeholder
        ("AL304", "simple_deep_agent_utils.py", 9),  # ChatOpenAI(model=, temperature=)
    ]  # data_analyst_models.py (ChatOpenAI(**config)), robust.py and gemini_timeout.py: silent


def test_test_modules_are_not_deployed(tmp_path: Path) -> None:
    client = "from openai import OpenAI\n\nclient = OpenAI(max_retries=9, api_key='sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS')\n"
    files = {"tests/test_agent.py": client, "conftest.py": client, "src/agent_test.py": client}
    assert findings(tmp_path, files) == [  # a real key in a test is leaked all the same
        ("AL222", "conftest.py", 3),
        ("AL222", "src/agent_test.py", 3),
        ("AL222", "tests/test_agent.py", 3),
    ]


def test_python_comments_suppress_client_findings(tmp_path: Path) -> None:
    source = (
        "from openai import OpenAI\n"
        "\n"
        "# agentlint: ignore[AL304] the gateway in front of the SDK enforces 20 s\n"
        "client = OpenAI()\n"
        "other = OpenAI()  # agentlint: todo[AL304] add a timeout (TICKET-7)\n"
        "third = OpenAI()\n"
    )
    assert findings(tmp_path, {"app.py": source}) == [("AL304", "app.py", 6)]


def test_readiness_report_counts_clients_for_timeouts_and_retries_only(tmp_path: Path, monkeypatch, capsys) -> None:
    from agentlint.cli import main

    (tmp_path / "app.py").write_text("from openai import OpenAI\n\nclient = OpenAI(timeout=30)\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["report", "--format", "md", "."])
    rows = {line.split(" | ")[0].strip("| "): line for line in capsys.readouterr().out.splitlines() if line.startswith("| 1.1.")}
    assert "[PASS] pass" in rows["1.1.4"] and "| 1 agents, LLM clients and LLM client settings |" in rows["1.1.4"]
    assert "[PASS] pass" in rows["1.1.5"]
    assert "[N/A] not assessed" in rows["1.1.1"] and "| 0 agents |" in rows["1.1.1"]  # no agents: roles not assessed


def test_files_without_clients_and_broken_files(tmp_path: Path) -> None:
    files = {
        "types_only.py": "from openai import OpenAI\n\ndef f(client: OpenAI) -> None:\n    class Mine(OpenAI):\n        pass\n",
        "broken.py": "from openai import OpenAI\nclient = OpenAI(\n",
    }
    assert findings(tmp_path, files) == []
    assert clients(files["types_only.py"]) == []


_CONSTRUCTORS = st.sampled_from(
    ["OpenAI", "oa.AsyncOpenAI", "Anthropic", "ChatOpenAI", "litellm.completion", "genai.Client", "init_chat_model", "x.y"]
)
_VALUES = st.sampled_from(
    ["30", "None", "-1", "1e400", "'30'", "'abc'", "(5, 30)", "[1]", "{'timeout': 5}", "{**d}", "types.HttpOptions(timeout=9)",
     "os.getenv('T')", "int(os.getenv('R', 'x'))", "KEY", "f'{KEY}'", "lambda: 1", "*a", "(yield)", "await z", "x if y else 3"]
)
_KEYWORDS = st.sampled_from(["*d", "timeout", "max_retries", "num_retries", "api_key", "http_options", "request_timeout", "retries", ""])


@st.composite
def _sources(draw: st.DrawFn) -> str:
    lines = ["import os, litellm", "import openai as oa", "from openai import OpenAI", "from anthropic import Anthropic",
             "from langchain_openai import ChatOpenAI", "from langchain.chat_models import init_chat_model",
             "from google import genai", "from google.genai import types", "KEY = 'sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS'"]
    lines.append(draw(st.sampled_from(["d = {'timeout': None, 'api_key': KEY}", "d = {**kw}", "d = dict(timeout=3)", "d[k] = 1", "pass"])))
    for _ in range(draw(st.integers(1, 6))):
        arguments = []
        for _ in range(draw(st.integers(0, 3))):
            keyword, value = draw(_KEYWORDS), draw(_VALUES)
            if keyword == "*d":
                arguments.append("**d")
            elif value.startswith("*"):
                arguments.append(f"**{value[1:]}" if keyword else value[1:])
            else:
                arguments.append(f"{keyword}={value}" if keyword else value)
        arguments.sort(key=lambda a: "=" in a.split("(")[0] or a.startswith("**"))  # positionals first
        call = f"{draw(_CONSTRUCTORS)}({', '.join(arguments)})"
        shape = draw(st.sampled_from(["c = {}", "self.c = {}", "{}.with_options(timeout=1)", "return {}", "async with {} as c: pass", "{}.chat.create(timeout=2)", "d['x'] = {}"]))
        lines.append(shape.format(call))
    body = "\n".join("    " + line for line in lines[9:])
    return "\n".join(lines[:9]) + "\nasync def f(self, **kw):\n" + body + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_sources())
def test_fuzz_adapter_never_raises(source: str) -> None:
    loaded = load_python("fuzz.py", source)
    adapted = ADAPTER.adapt(loaded)
    if "**d" in source and not any(odd in source for odd in ("(yield)", "await", "lambda", "*a", "{**d}")):
        assert loaded.module is not None, source  # the generator makes valid Python
    for entity in adapted.entities:
        assert entity.ref.path == "fuzz.py"
        if isinstance(entity, LLMClient):
            assert entity.timeout.state in SettingState and entity.retries.state in SettingState
