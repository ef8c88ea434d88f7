"""Prompts fetched in code -> PromptReference entities, and the AL401 (floating) and AL402
(undefined in the project's own registry) findings they give: exact entities and spans,
Langfuse's default ``production`` label named in the message, unknown selectors never
reported, AL402 only against sources that could hold the prompt, real shapes from public
repositories, and a fuzz test that the adapter never raises."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.prompt_refs_code import ADAPTER
from agentlint.loaders.python import load_python
from agentlint.model.prompts import PromptReference
from agentlint.model.source import NodeRef, Pos, Span
from tests.helpers import project_findings, project_result


def refs(source: str, path: str = "app.py") -> list[PromptReference]:
    return [e for e in ADAPTER.adapt(load_python(path, source)).entities if isinstance(e, PromptReference)]


def findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, int]]:
    return [(code, path, line) for code, path, line, _ in project_findings(tmp_path, files, ("AL401", "AL402"))]


_LANGFUSE_EXPORT = (
    '{"name": "router", "type": "text", "version": 4, "prompt": "Route {{ticket}}.", '
    '"labels": ["production"], "commitMessage": "first"}\n'
)


def test_exact_entity_for_a_bare_langfuse_fetch() -> None:
    source = "from langfuse import Langfuse\n\nlf = Langfuse()\np = lf.get_prompt('router')\n"
    (ref,) = refs(source)
    assert ref == PromptReference(
        NodeRef("app.py", ("prompt_refs", "<module>", "router", 0)),
        Span(Pos(4, 5), Pos(4, 28)),
        (("name", Span(Pos(4, 19), Pos(4, 27))),),
        agent="app.py",
        name="router",
        sources=("langfuse",),
        default_label="production",
    )
    assert not ref.pinned


def test_version_and_label_spans_in_a_function() -> None:
    source = (
        "from langfuse import get_client\n"
        "\n"
        "def build():\n"
        "    client = get_client()\n"
        "    a = client.get_prompt('router', 3)\n"
        "    b = client.get_prompt(name='critic', label='staging')\n"
    )
    a, b = refs(source)
    assert (a.agent, a.name, a.version, a.label, a.default_label) == ("build", "router", "3", None, None)
    assert a.span_of("version") == Span(Pos(5, 37), Pos(5, 38))
    assert (b.name, b.label, b.pinned) == ("critic", "staging", True)
    assert b.span_of("label") == Span(Pos(6, 48), Pos(6, 57))
    assert b.ref == NodeRef("app.py", ("prompt_refs", "build", "critic", 0))


def test_langsmith_identifiers() -> None:
    source = (
        "from langchain import hub as h\n"
        "from langsmith import Client\n"
        "a = h.pull('rlm/rag-prompt')\n"
        "b = h.pull('rlm/rag-prompt:50442af1')\n"
        "c = Client().pull_prompt('acme/support:prod')\n"
        "d = Client().pull_prompt(prompt_identifier='acme/support:latest')\n"
    )
    a, b, c, d = refs(source)
    assert (a.name, a.version, a.label, a.default_label, a.sources) == ("rlm/rag-prompt", None, None, "latest", ())
    assert (b.name, b.version, b.pinned) == ("rlm/rag-prompt", "50442af1", True)
    assert (c.name, c.label, c.pinned) == ("acme/support", "prod", True)
    assert (d.label, d.pinned) == ("latest", False)


def test_mlflow_uris() -> None:
    source = (
        "import mlflow\n"
        "a = mlflow.genai.load_prompt('prompts:/qa/3')\n"
        "b = mlflow.load_prompt('prompts:/qa@latest')\n"
        "c = mlflow.genai.load_prompt('qa')\n"
        "d = mlflow.genai.load_prompt('qa', version=2)\n"
        "name = 'mycatalog.myschema.qa_prompt'\n"
        "e = mlflow.genai.load_prompt(name_or_uri=f'prompts:/{name}/latest')\n"
    )
    a, b, c, d, e = refs(source)
    assert (e.name, e.label, e.pinned) == ("mycatalog.myschema.qa_prompt", "latest", False)
    assert (a.name, a.version, a.pinned) == ("qa", "3", True)
    assert (b.name, b.label, b.pinned) == ("qa", "latest", False)
    assert (c.selector_unknown, c.pinned) == (True, True)  # a bare name: not judged
    assert (d.version, d.pinned) == ("2", True)


def test_unknown_is_not_missing() -> None:
    source = (
        "from langfuse import Langfuse\n"
        "langfuse = Langfuse()\n"
        "def get(name, label=None, **kw):\n"
        "    a = langfuse.get_prompt(name)\n"  # name unknown: no reference
        "    b = langfuse.get_prompt('router', label=label)\n"
        "    c = langfuse.get_prompt('router', **kw)\n"
        "    d = langfuse.get_prompt('router', version=None)\n"  # None: no version
        "    e = langfuse.get_prompt('router', label=os.getenv('PROMPT_LABEL', 'latest'))\n"
        "    f = langfuse.get_prompt(os.getenv('PROMPT', 'router'))\n"  # the name is the deployment's
    )
    b, c, d, e = refs("import os\n" + source)
    assert (e.selector_unknown, e.pinned) == (True, True)
    assert (b.selector_unknown, b.pinned, c.selector_unknown, c.pinned) == (True, True, True, True)
    assert (d.pinned, d.default_label) == (False, "production")


def test_receivers_that_are_not_langfuse_are_skipped() -> None:
    source = (
        "from langfuse import Langfuse\n"
        "from app.prompts import manager\n"
        "class Repo:\n"
        "    def get_prompt(self, name): ...\n"
        "repo = Repo()\n"
        "a = repo.get_prompt('router')\n"
        "b = manager.get_prompt('router')\n"
        "c = self.langfuse.get_prompt('critic')\n"
        "d = Langfuse().get_prompt('writer')\n"
    )
    assert [r.name for r in refs(source)] == ["critic", "writer"]
    # without an import of langfuse, a get_prompt is somebody else's
    assert refs("lf = make()\nlf.get_prompt('x')\nlangfuse.get_prompt('y')\n") == []


def test_a_client_kept_on_self() -> None:
    source = (
        "from langfuse import Langfuse\n"
        "class Prompts:\n"
        "    def __init__(self):\n"
        "        self.client = Langfuse()\n"
        "        self.other = Langfuse()\n"
        "        self.repo = make_repo()\n"
        "    def reset(self):\n"
        "        self.other = None\n"
        "    def router(self):\n"
        "        return self.client.get_prompt('router')\n"
        "    def critic(self):\n"
        "        return self.other.get_prompt('critic')\n"  # also assigned None: not surely Langfuse
        "    def writer(self):\n"
        "        return self.repo.get_prompt('writer')\n"
    )
    (ref,) = refs(source)
    assert (ref.agent, ref.name, ref.span.start.line) == ("router", "router", 10)


def test_findings_langfuse_and_hub(tmp_path: Path) -> None:
    app = (
        "from langchain import hub\n"  # 1
        "from langfuse import Langfuse\n"  # 2
        "\n"  # 3
        "langfuse = Langfuse()\n"  # 4
        "router = langfuse.get_prompt('router')\n"  # 5 AL401 (production by default)
        "pinned = langfuse.get_prompt('router', version=4)\n"  # 6
        "missing = langfuse.get_prompt('critic', version=1)\n"  # 7 AL402 (export lacks it)
        "rag = hub.pull('rlm/rag-prompt')\n"  # 8 AL401; no AL402 (the hub is not in the repo)
    )
    files = {"app.py": app, "prompts/router.json": _LANGFUSE_EXPORT}
    assert findings(tmp_path, files) == [("AL401", "app.py", 5), ("AL401", "app.py", 8), ("AL402", "app.py", 7)]
    result = project_result(tmp_path, files)
    (floating,) = [f for f in result.findings if f.code == "AL401" and f.line == 5]
    assert "label 'production' (the default)" in floating.message
    (undefined,) = [f for f in result.findings if f.code == "AL402"]
    assert "no langfuse prompt of the project defines it" in undefined.message


def test_no_al402_without_a_source_that_could_hold_it(tmp_path: Path) -> None:
    app = "from langfuse import Langfuse\nlangfuse = Langfuse()\np = langfuse.get_prompt('critic', version=2)\n"
    registry = (
        "apiVersion: agentlint/v1\nkind: PromptRegistry\nmetadata: {name: p}\nprompts:\n"
        "  router:\n    versions:\n      - {version: 1, text: Route.}\n"
    )
    # an agentlint registry is not where Langfuse fetches from: no AL402 on 'critic'
    assert findings(tmp_path, {"app.py": app, "prompts.yaml": registry}) == []


def test_real_shapes(tmp_path: Path) -> None:
    # Perfect-Health-n-Man/phm-backend ai/prompt.py: a parameter as name, production label
    wrapper = (
        "from langfuse import Langfuse\n"
        "from langchain_core.prompts import ChatPromptTemplate\n"
        "\n"
        "langfuse = Langfuse()\n"
        "\n"
        "def get_prompt(prompt_name: str):\n"
        "    langfuse_prompt = langfuse.get_prompt(name=prompt_name, label=\"production\")\n"
        "    return ChatPromptTemplate(langfuse_prompt.get_langchain_prompt())\n"
    )
    # nathanyun/dev_agi 02_prompt_caching.py: the production version, cache TTL only
    caching = (
        "from langfuse import Langfuse\n"
        "\n"
        "langfuse = Langfuse()\n"
        "\n"
        "langfuse_prompt = langfuse.get_prompt(\"test_v1\", cache_ttl_seconds=300)\n"
        "prompt = langfuse_prompt.compile(user_input=\"Hello\")\n"
    )
    # inspirehep/feynbot utils/langfuse.py: the label chosen at run time
    feynbot = (
        "from langfuse import Langfuse\n"
        "langfuse = Langfuse()\n"
        "def get_prompt(prompt_name: str):\n"
        "    def fetch_prompt(label: str = None):\n"
        "        return langfuse.get_prompt(prompt_name, cache_ttl_seconds=0, label=label)\n"
        "    return fetch_prompt(label='latest')\n"
    )
    # the LangChain RAG quickstart shape
    rag = "from langchain import hub\n\nprompt = hub.pull(\"rlm/rag-prompt\")\n"
    # metalossAI/solven-agentserver-langgraph src/agent_customer_chat/prompt.py
    solven = (
        "from langsmith import Client\n"
        "from langchain_core.prompts import ChatPromptTemplate\n"
        "client = Client()\n"
        "main_prompt : ChatPromptTemplate = client.pull_prompt(\"solven-customer-chat\")\n"
    )
    # a LangSmith service whose identifier is a keyword parameter: unknown name, no reference
    service = (
        "from langsmith import Client\n"
        "class LangSmithService:\n"
        "    LANGSMITH_CLIENT = Client()\n"
        "    @classmethod\n"
        "    def get_prompt(cls, *, prompt_id: str):\n"
        "        return cls.LANGSMITH_CLIENT.pull_prompt(prompt_identifier=prompt_id)\n"
    )
    files = {
        "phm/prompt.py": wrapper,
        "dev_agi/caching.py": caching,
        "feynbot/langfuse.py": feynbot,
        "rag.py": rag,
        "solven/prompt.py": solven,
        "service.py": service,
    }
    assert findings(tmp_path, files) == [("AL401", "dev_agi/caching.py", 5), ("AL401", "rag.py", 3), ("AL401", "solven/prompt.py", 4)]


_NAMES = st.sampled_from(
    ["langfuse", "lf", "Langfuse()", "get_client()", "hub", "Client()", "mlflow.genai", "self.langfuse", "x",
     "opik.Opik()", "opik_client", "PromptLayer().templates", "promptlayer_client.templates", "Humanloop().prompts",
     "humanloop.prompts", "braintrust"]
)
_METHODS = st.sampled_from(["get_prompt", "pull", "pull_prompt", "load_prompt", "get_chat_prompt", "get"])
_ARGS = st.sampled_from(
    ["'a'", "'o/a:'", "':x'", "'prompts:/'", "'prompts:/a@'", "'prompts:/a/'", "name", "''", "1", "None", "*a", "**kw",
     "version=None", "version=True", "label=3", "label=''", "version=v", "'a', 2", "f'{x}'", "'a' * 3", "b'x'",
     "commit='abc'", "commit=c", "{'version': 3}", "{'label': 'p', **o}", "{1: 2}", "params", "version_id='v'",
     "environment=e", "slug='s'", "id=i", "{'version': True}"]
)


@st.composite
def _sources(draw: st.DrawFn) -> str:
    lines = ["from langfuse import Langfuse, get_client", "from langchain import hub", "from langsmith import Client", "import mlflow",
             "import opik, braintrust", "from promptlayer import PromptLayer", "from humanloop import Humanloop"]
    lines.append(draw(st.sampled_from(["lf = Langfuse()", "lf = get_client()", "lf = 1", "pass"])))
    for _ in range(draw(st.integers(1, 6))):
        args = ", ".join(draw(st.lists(_ARGS, max_size=3)))
        call = f"{draw(_NAMES)}.{draw(_METHODS)}({args})"
        lines.append(draw(st.sampled_from(["p = {}", "def f(name, v, *a, **kw):\n    return {}", "{}"])).format(call))
    return "\n".join(lines) + "\n"


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_sources())
def test_fuzz_adapter_never_raises(source: str) -> None:
    try:
        compile(source, "app.py", "exec")
    except SyntaxError:
        return
    for ref in refs(source):
        assert ref.name and ref.span.start.line >= 1


_OPIK = (
    "import opik\n"
    "from opik import Opik\n"
    "\n"
    "client = opik.Opik()\n"
    "router = client.get_prompt(name='router')\n"  # line 5: no commit -> latest (AL401)
    "critic = client.get_chat_prompt('critic', commit='3f1c2a9e')\n"  # a commit pins it
    "def load(opik_client, commit):\n"
    "    return opik_client.get_prompt('writer', commit=commit)\n"  # unknown commit: no finding
    "summary = Opik(project_name='support').get_prompt('summary')\n"  # line 9: AL401
)


def test_opik_prompts_by_commit_or_latest(tmp_path: Path) -> None:
    router, critic, writer, summary = refs(_OPIK)
    assert router == PromptReference(
        NodeRef("app.py", ("prompt_refs", "<module>", "router", 0)),
        Span(Pos(5, 10), Pos(5, 42)),
        (("name", Span(Pos(5, 33), Pos(5, 41))),),
        agent="app.py",
        name="router",
        sources=(),
        default_label="latest",
    )
    assert (critic.version, critic.pinned, critic.default_label) == ("3f1c2a9e", True, None)
    assert (writer.selector_unknown, writer.pinned) == (True, True)
    assert (summary.name, summary.default_label) == ("summary", "latest")
    assert findings(tmp_path, {"app.py": _OPIK}) == [("AL401", "app.py", 5), ("AL401", "app.py", 9)]


def test_get_prompt_of_other_clients_in_an_opik_module_is_skipped() -> None:
    source = (
        "import opik\n"
        "from app.prompts import manager\n"
        "a = manager.get_prompt('router')\n"
        "store = PromptStore()\n"
        "b = store.get_chat_prompt('critic')\n"
    )
    assert refs(source) == []
    assert refs("opik_client = make()\nopik_client.get_prompt('x')\n") == []  # no import of opik


_PROMPTLAYER = (
    "from promptlayer import PromptLayer\n"
    "\n"
    "promptlayer_client = PromptLayer()\n"
    "router = promptlayer_client.templates.get('router')\n"  # line 4: nothing pins it (AL401)
    "critic = promptlayer_client.templates.get('critic', {'version': 3})\n"
    "writer = promptlayer_client.templates.get('writer', {'label': 'prod'})\n"
    "PARAMS = {'provider': 'openai'}\n"
    "summary = PromptLayer().templates.get('summary', PARAMS)\n"  # line 8: a provider is no pin (AL401)
    "def load(params):\n"
    "    return promptlayer_client.templates.get('planner', params)\n"  # unknown: no finding
)


def test_promptlayer_templates_by_version_or_release_label(tmp_path: Path) -> None:
    router, critic, writer, summary, planner = refs(_PROMPTLAYER)
    assert router == PromptReference(
        NodeRef("app.py", ("prompt_refs", "<module>", "router", 0)),
        Span(Pos(4, 10), Pos(4, 52)),
        (("name", Span(Pos(4, 43), Pos(4, 51))),),
        agent="app.py",
        name="router",
        sources=(),
    )
    assert (critic.version, critic.pinned, critic.fields[1]) == ("3", True, ("version", Span(Pos(5, 65), Pos(5, 66))))
    assert (writer.label, writer.pinned) == ("prod", True)
    assert (summary.name, summary.pinned, planner.selector_unknown) == ("summary", False, True)
    assert findings(tmp_path, {"app.py": _PROMPTLAYER}) == [("AL401", "app.py", 4), ("AL401", "app.py", 8)]
    # a templates.get of anything else is not PromptLayer's
    assert refs("import promptlayer\nx = jinja_env.templates.get('router')\n") == []


_HUMANLOOP = (
    "from humanloop import Humanloop\n"
    "\n"
    "client = Humanloop(api_key=KEY)\n"
    "router = client.prompts.get(id='pr_30gco7dx6JDq4200GVOHa')\n"  # line 4: the default deployment (AL401)
    "critic = client.prompts.get('pr_critic', version_id='prv_7Hx2')\n"
    "writer = client.prompts.get('pr_writer', environment='production')\n"
    "def load(env):\n"
    "    return client.prompts.get('pr_planner', environment=env)\n"  # unknown: no finding
)


def test_humanloop_prompts_by_version_or_environment(tmp_path: Path) -> None:
    router, critic, writer, planner = refs(_HUMANLOOP)
    assert (router.name, router.span, router.pinned, router.default_label) == (
        "pr_30gco7dx6JDq4200GVOHa", Span(Pos(4, 10), Pos(4, 59)), False, None
    )
    assert (critic.version, critic.pinned, critic.fields[1][0]) == ("prv_7Hx2", True, "version")
    assert (writer.label, writer.pinned, planner.selector_unknown) == ("production", True, True)
    assert findings(tmp_path, {"app.py": _HUMANLOOP}) == [("AL401", "app.py", 4)]
    assert refs("import humanloop\nx = registry.prompts.get('router')\n") == []  # not a Humanloop client


_BRAINTRUST = (
    "import braintrust\n"
    "from braintrust import load_prompt\n"
    "\n"
    "router = braintrust.load_prompt('support', 'router')\n"  # line 4: latest (AL401)
    "critic = load_prompt(project='support', slug='critic', version='5878bd218351fb8e')\n"
    "writer = load_prompt('support', 'writer', environment='production')\n"
    "summary = load_prompt(id=PROMPT_ID)\n"  # by id: not named here
    "def load(version):\n"
    "    return load_prompt('support', 'planner', version=version)\n"  # unknown: no finding
)


def test_braintrust_prompts_by_version_or_environment(tmp_path: Path) -> None:
    router, critic, writer, planner = [r for r in refs(_BRAINTRUST)]
    assert (router.name, router.span, router.fields, router.default_label) == (
        "router", Span(Pos(4, 10), Pos(4, 53)), (("name", Span(Pos(4, 44), Pos(4, 52))),), "latest"
    )
    assert (critic.version, critic.pinned, writer.label, writer.pinned) == ("5878bd218351fb8e", True, "production", True)
    assert (planner.name, planner.selector_unknown) == ("planner", True)
    assert findings(tmp_path, {"app.py": _BRAINTRUST}) == [("AL401", "app.py", 4)]
