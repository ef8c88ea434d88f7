"""CrewAI Flows in Python read into the neutral model: flow methods as agents, listeners and
router labels as edges, a router cycle as a loop whose bound is a state counter the router
compares and the loop increments. Shapes transcribed from real files: crewAI-examples
self_evaluation_loop_flow (router cycle retry -> generate guarded by ``retry_count > 3``),
lead-score-flow (a router that loops on a human's ``input()``), meeting_assistant_flow (one
listener fanned out to three), email_auto_responder_flow (``@start("wait_next_run")``), and a
chat flow on unstructured (dict) state with ``@persist`` and ``or_(label, method)``."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentlint.adapters.crewai_flow_code import adapt, claims
from agentlint.loaders.python import load_python
from agentlint.model.defaults import resolve
from tests.helpers import mutated_source, project_findings

SELF_EVALUATION = '''\
from typing import Optional

from crewai.flow.flow import Flow, listen, router, start
from pydantic import BaseModel

from self_evaluation_loop_flow.crews.shakespeare_crew.shakespeare_crew import (
    ShakespeareanXPostCrew,
)
from self_evaluation_loop_flow.crews.x_post_review_crew.x_post_review_crew import (
    XPostReviewCrew,
)


class ShakespeareXPostFlowState(BaseModel):
    x_post: str = ""
    feedback: Optional[str] = None
    valid: bool = False
    retry_count: int = 0


class ShakespeareXPostFlow(Flow[ShakespeareXPostFlowState]):

    @start("retry")
    def generate_shakespeare_x_post(self):
        topic = "Flying cars"
        result = (
            ShakespeareanXPostCrew()
            .crew()
            .kickoff(inputs={"topic": topic, "feedback": self.state.feedback})
        )
        self.state.x_post = result.raw

    @router(generate_shakespeare_x_post)
    def evaluate_x_post(self):
        if self.state.retry_count > 3:
            return "max_retry_exceeded"

        result = XPostReviewCrew().crew().kickoff(inputs={"x_post": self.state.x_post})
        self.state.valid = result["valid"]
        self.state.feedback = result["feedback"]
        self.state.retry_count += 1

        if self.state.valid:
            return "complete"

        return "retry"

    @listen("complete")
    def save_result(self):
        with open("x_post.txt", "w") as file:
            file.write(self.state.x_post)

    @listen("max_retry_exceeded")
    def max_retry_exceeded_exit(self):
        print("Max retry count exceeded")


def kickoff():
    shakespeare_flow = ShakespeareXPostFlow()
    shakespeare_flow.kickoff()
'''

LEAD_SCORE = '''\
from crewai.flow.flow import Flow, listen, or_, router, start
from pydantic import BaseModel


class LeadScoreState(BaseModel):
    candidates: list = []
    scored_leads_feedback: str = ""


class LeadScoreFlow(Flow[LeadScoreState]):
    initial_state = LeadScoreState

    @start()
    def load_leads(self):
        self.state.candidates = read_candidates()

    @listen(or_(load_leads, "scored_leads_feedback"))
    async def score_leads(self):
        await score_all(self.state.candidates, self.state.scored_leads_feedback)

    @router(score_leads)
    def human_in_the_loop(self):
        choice = input("Enter the number of your choice: ")
        if choice == "1":
            exit()
        elif choice == "2":
            self.state.scored_leads_feedback = input("Additional feedback: ")
            return "scored_leads_feedback"
        elif choice == "3":
            return "generate_emails"
        else:
            return "human_in_the_loop"

    @listen("generate_emails")
    async def write_and_save_emails(self):
        await write_emails(self.state.candidates)
'''

MEETING = '''\
from crewai.flow.flow import Flow, listen, start
from pydantic import BaseModel


class MeetingState(BaseModel):
    transcript: str = "Meeting transcript goes here"
    tasks: list = []


class MeetingFlow(Flow[MeetingState]):
    initial_state = MeetingState

    @start()
    def load_meeting_notes(self):
        with open("meeting_notes.txt", "r") as file:
            self.state.transcript = file.read()

    @listen(load_meeting_notes)
    def generate_tasks_from_meeting_transcript(self):
        output = MeetingAssistantCrew().crew().kickoff(inputs={"transcript": self.state.transcript})
        self.state.tasks = output["tasks"]

    @listen(generate_tasks_from_meeting_transcript)
    def add_tasks_to_trello(self):
        save_tasks_to_trello(self.state.tasks)

    @listen(generate_tasks_from_meeting_transcript)
    def save_new_tasks_to_csv(self):
        write_csv(self.state.tasks)

    @listen(generate_tasks_from_meeting_transcript)
    def send_slack_notification(self):
        send_message_to_channel(f"{len(self.state.tasks)} New tasks have been added to Trello!")
'''

EMAIL = '''\
import time

from crewai.flow.flow import Flow, listen, start


class EmailAutoResponderFlow(Flow[AutoResponderState]):
    initial_state = AutoResponderState

    @start("wait_next_run")
    def fetch_new_emails(self):
        self.state.emails, self.state.checked_emails_ids = check_email(self.state.checked_emails_ids)

    @listen(fetch_new_emails)
    def generate_draft_responses(self):
        if len(self.state.emails) > 0:
            EmailFilterCrew().crew().kickoff(inputs={"emails": format_emails(self.state.emails)})
            self.state.emails = []
        time.sleep(180)
'''

CHAT = '''\
from crewai.flow import or_, router
from crewai.flow.flow import Flow, listen, start
from crewai.flow.persistence.decorators import persist


@persist()
class OutputExampleFlow(Flow):

    @start()
    def initialize(self):
        if "retry_count" not in self.state:
            self.state["retry_count"] = 2

    @listen(initialize)
    def handle_user_input(self) -> str | None:
        return self.state.get("last_user_input")

    @router(handle_user_input)
    def routing(self) -> str:
        if "completed" in self.state and self.state["completed"]:
            return "event_say_goodbye"
        elif self.state["retry_count"] > 0:
            return "event_retry"
        return "event_start_processing"

    @listen("event_retry")
    def handle_retry(self):
        self.state["retry_count"] -= 1

    @listen(or_("event_start_processing", handle_retry))
    def handle_start_processing(self):
        self.state["raw_results"] = ["a", "b"]

    @listen("event_say_goodbye")
    def handle_say_goodbye(self):
        self.state["completed"] = True
        return "event_finished"
'''


def _edges(part):
    return [(e.source, e.target, e.kind.value, e.span.start.line, e.max_traversals) for e in part.edges]


def _pin(version: str) -> dict[str, str]:
    return {"pyproject.toml": f'[project]\nname = "f"\nversion = "0.1.0"\ndependencies = ["crewai[tools]=={version}"]\n'}


def test_self_evaluation_loop_is_bounded_by_its_retry_counter(tmp_path: Path) -> None:
    (part,) = adapt(load_python("main.py", SELF_EVALUATION)).parts
    assert (part.name, part.entry, part.complete) == ("main.py:ShakespeareXPostFlow", "generate_shakespeare_x_post", True)
    assert part.terminals == ("save_result", "max_retry_exceeded_exit")
    # retry_count starts at 0 and passes the guard at 0, 1, 2, 3: four retries at most
    assert _edges(part) == [
        ("evaluate_x_post", "generate_shakespeare_x_post", "handoff", 46, 4),
        ("generate_shakespeare_x_post", "evaluate_x_post", "sequence", 33, None),
        ("evaluate_x_post", "save_result", "handoff", 44, None),
        ("evaluate_x_post", "max_retry_exceeded_exit", "handoff", 36, None),
    ]
    assert part.edges[0].span_of("max_traversals").start.line == 35
    assert part.edges[0].condition == "evaluate_x_post returns 'retry'"
    assert [(a.name, a.span.start.line, a.span.start.column, a.settable) for a in part.agents][:2] == [
        ("generate_shakespeare_x_post", 24, 9, frozenset()), ("evaluate_x_post", 34, 9, frozenset())
    ]
    for pins in ({}, _pin("1.6.1")):
        assert project_findings(tmp_path / str(len(pins)), {"main.py": SELF_EVALUATION, **pins}, families=("AL1", "AL3")) == []


def test_the_same_loop_without_its_guard_is_reported(tmp_path: Path) -> None:
    unguarded = SELF_EVALUATION.replace('        if self.state.retry_count > 3:\n            return "max_retry_exceeded"\n', "")
    # crewai 1.6.1 has no flow-level cap: AL102 (the exit label is no longer returned: AL104)
    assert project_findings(tmp_path / "old", {"main.py": unguarded, **_pin("1.6.1")}, families=("AL1",)) == [
        ("AL102", "main.py", 33, 13),
        ("AL104", "main.py", 52, 9),
    ]
    # since 1.10.1 a method called 100 times in one kickoff raises RecursionError: the default bounds it
    assert project_findings(tmp_path / "new", {"main.py": unguarded, **_pin("1.12.0")}, families=("AL1",)) == [
        ("AL104", "main.py", 52, 9),
        ("AL111", "main.py", 33, 13),
    ]
    assert resolve("crewai.flow_max_method_calls", {"crewai": "1.10.0"}).value is None
    assert resolve("crewai.flow_max_method_calls", {"crewai": "1.10.1"}).value == 100


def test_a_router_a_human_drives_is_unknown_not_unbounded(tmp_path: Path) -> None:
    (part,) = adapt(load_python("main.py", LEAD_SCORE)).parts
    assert part.complete is False  # the feedback loop's route is not drawn: its bound is a person
    assert _edges(part) == [
        ("load_leads", "score_leads", "sequence", 17, None),
        ("score_leads", "human_in_the_loop", "sequence", 21, None),
        ("human_in_the_loop", "write_and_save_emails", "handoff", 30, None),
    ]
    assert part.terminals == ("human_in_the_loop", "write_and_save_emails")  # "human_in_the_loop" has no listener
    assert [(a.name, a.span.start.line, a.span.start.column) for a in part.agents][1] == ("score_leads", 18, 15)  # async def
    assert project_findings(tmp_path, {"main.py": LEAD_SCORE, **_pin("1.6.1")}, families=("AL1",)) == []


def test_listeners_fan_out_and_a_labelled_start_runs_at_kickoff(tmp_path: Path) -> None:
    (meeting,) = adapt(load_python("meeting.py", MEETING)).parts
    assert meeting.terminals == ("add_tasks_to_trello", "save_new_tasks_to_csv", "send_slack_notification")
    assert [e.target for e in meeting.edges][1:] == ["add_tasks_to_trello", "save_new_tasks_to_csv", "send_slack_notification"]
    (email,) = adapt(load_python("email.py", EMAIL)).parts
    assert (email.entry, _edges(email), email.complete) == (
        "fetch_new_emails", [("fetch_new_emails", "generate_draft_responses", "sequence", 13, None)], True
    )
    assert project_findings(tmp_path, {"meeting.py": MEETING, "email.py": EMAIL}, families=("AL1",)) == []


def test_unstructured_state_labels_and_methods_in_or(tmp_path: Path) -> None:
    (part,) = adapt(load_python("chat.py", CHAT)).parts
    assert [(e.source, e.target) for e in part.edges] == [
        ("initialize", "handle_user_input"),
        ("handle_user_input", "routing"),
        ("routing", "handle_retry"),
        ("routing", "handle_start_processing"),
        ("handle_retry", "handle_start_processing"),
        ("routing", "handle_say_goodbye"),
    ]
    assert part.complete and part.terminals == ("handle_start_processing", "handle_say_goodbye")
    assert project_findings(tmp_path, {"chat.py": CHAT}, families=("AL1",)) == []


LOOPS = '''\
from crewai.flow.flow import Flow, listen, router, start
from pydantic import BaseModel, Field


class State(BaseModel):
    attempts: int = Field(default=1)
    approved: bool = False


class Inclusive(Flow[State]):
    @start("again")
    def draft(self):
        self.state.attempts += 1

    @router(draft)
    def review(self):
        if not self.state.approved and self.state.attempts <= 3:
            return "again"
        return "done"


class ElseBranch(Flow[State]):
    @start("again")
    def draft(self):
        pass

    @router(draft)
    def review(self):
        if self.state.attempts >= 5:
            return None
        else:
            self.state.attempts = self.state.attempts + 2
            return "again"


class FromSettings(Flow[State]):
    @start("again")
    def draft(self):
        pass

    @router(draft)
    def review(self):
        if self.state.attempts >= settings.max_attempts:
            return "done"
        self.state.attempts += 1
        return "again"


class Reset(Flow[State]):
    @start("again")
    def draft(self):
        self.state.attempts = 0

    @router(draft)
    def review(self):
        if self.state.attempts >= 3:
            return "done"
        self.state.attempts += 1
        return "again"


class Verdict(Flow[State]):
    @start("again")
    def draft(self):
        pass

    @router(draft)
    def review(self):
        if self.state.approved:
            return "done"
        return "again"


class Endless(Flow):
    @start()
    def plan(self):
        pass

    @listen(plan)
    def act(self):
        pass

    @listen(act)
    def observe(self):
        pass

    @listen(observe)
    def plan_again(self):
        pass

    @listen(plan_again)
    def act_again(self):
        pass

    @router(act_again)
    def loop(self):
        return "act"
'''


def test_guards_bound_unknown_or_absent(tmp_path: Path) -> None:
    parts = {p.name.split(":")[1]: p for p in adapt(load_python("loops.py", LOOPS)).parts}
    # attempts starts at 1: passes at 1, 2, 3
    assert [e.max_traversals for e in parts["Inclusive"].edges if e.source == "review"] == [3]
    # 1, 3 pass; 5 stops
    assert [(e.target, e.max_traversals, e.span_of("max_traversals").start.line) for e in parts["ElseBranch"].edges if e.source == "review"] == [
        ("draft", 2, 29)
    ]
    # a limit the module does not state, a counter reset inside the loop: the loop's route is not drawn
    for name in ("FromSettings", "Reset"):
        assert ([e.source for e in parts[name].edges], parts[name].complete) == (["draft"], False)
    assert ([e.max_traversals for e in parts["Verdict"].edges], parts["Verdict"].complete) == ([None, None], True)
    found = project_findings(tmp_path, {"loops.py": LOOPS, **_pin("1.6.1")}, families=("AL1",))
    assert found == [
        ("AL101", "loops.py", 87, 13),  # observe → plan_again → act_again → loop → observe: "act" names act's listeners
        ("AL102", "loops.py", 67, 13),  # only the model's verdict ends it
        ("AL105", "loops.py", 76, 9),  # plan and act lead into it
        ("AL105", "loops.py", 80, 9),
    ]


MIXED = '''\
from crewai.flow.flow import Flow, listen, or_, router, start
from pydantic import BaseModel


class State(BaseModel):
    retries: int = 0
    score: float = 0.0


class Mixed(Flow[State]):
    @start()
    def draft(self):
        pass

    @listen(or_(draft, "retry", "rewrite"))
    def review(self):
        self.state.retries += 1

    @router(review)
    def decide(self):
        if self.state.retries > 2:
            return "give_up"
        if self.state.score < 0.2:
            return "rewrite"
        return "retry"

    @listen("give_up")
    def stop(self):
        pass


class Threshold(Flow[State]):
    @start("revise")
    def draft(self):
        pass

    @router(draft)
    def decide(self):
        if self.state.score >= 8:
            return "approved"
        return "revise"
'''


def test_one_unguarded_route_keeps_the_loop_open_and_a_threshold_is_unknown(tmp_path: Path) -> None:
    parts = {p.name.split(":")[1]: p for p in adapt(load_python("m.py", MIXED)).parts}
    # both routes pass the retries guard (review counts up): the loop is bounded
    assert [(e.target, e.condition, e.max_traversals) for e in parts["Mixed"].edges if e.source == "decide"] == [
        ("review", "decide returns 'retry'", 3), ("review", "decide returns 'rewrite'", 3), ("stop", "decide returns 'give_up'", None)
    ]
    # a score threshold compares what the model (or code) sets, never counted: unknown, not drawn
    threshold = parts["Threshold"]
    assert ([(e.source, e.target) for e in threshold.edges], threshold.complete) == ([("draft", "decide")], False)
    unguarded = MIXED.replace("        if self.state.retries > 2:\n            return \"give_up\"\n", "")
    (mixed, _) = adapt(load_python("m.py", unguarded)).parts
    assert ([e.source for e in mixed.edges], mixed.complete) == (["draft", "review"], False)
    # "rewrite" is returned before the guard is read: the guard bounds "retry" only, the loop stays open
    late = MIXED.replace(
        "        if self.state.retries > 2:\n            return \"give_up\"\n        if self.state.score < 0.2:\n            return \"rewrite\"\n",
        "        if not self.state.approved:\n            return \"rewrite\"\n        if self.state.retries > 2:\n            return \"give_up\"\n",
    )
    (mixed, _) = adapt(load_python("m.py", late)).parts
    assert [(e.target, e.max_traversals) for e in mixed.edges if e.source == "decide"] == [("review", None), ("review", None), ("stop", None)]
    assert project_findings(tmp_path, {"m.py": late, **_pin("1.6.1")}, families=("AL10",)) == [("AL102", "m.py", 19, 13)]


def test_a_guard_that_raises_at_a_module_constant(tmp_path: Path) -> None:
    source = (
        "from crewai.flow.flow import Flow, listen, router, start\nfrom pydantic import BaseModel\n\nMAX_ROUNDS = 2\n\n\n"
        "class State(BaseModel):\n    rounds: int = 0\n\n\n"
        "class Debate(Flow[State]):\n    @start(\"next_round\")\n    def argue(self):\n        self.state.rounds += 1\n\n"
        "    @router(argue)\n    def judge(self):\n        if self.state.rounds >= MAX_ROUNDS:\n            raise RuntimeError(\"no agreement\")\n"
        "        if agreed(self.state):\n            return \"agreed\"\n        return \"next_round\"\n\n"
        "    @listen(\"agreed\")\n    def publish(self):\n        pass\n"
    )
    inside_try = source.replace(
        "        if self.state.rounds >= MAX_ROUNDS:\n            raise RuntimeError(\"no agreement\")\n"
        "        if agreed(self.state):\n            return \"agreed\"\n        return \"next_round\"\n",
        "        try:\n            if self.state.rounds >= MAX_ROUNDS:\n                raise RuntimeError(\"no agreement\")\n"
        "            if agreed(self.state):\n                return \"agreed\"\n            return \"next_round\"\n"
        "        except ValueError:\n            return \"next_round\"\n",
    )
    # inside the try the guard runs first, but a failure re-enters the loop past it, and agreed() decides: unknown
    (part,) = adapt(load_python("debate.py", inside_try)).parts
    assert ([e.target for e in part.edges if e.source == "judge"], part.complete) == (["publish"], False)
    without_handler = inside_try.replace("        except ValueError:\n            return \"next_round\"\n", "        finally:\n            pass\n")
    (part,) = adapt(load_python("debate.py", without_handler)).parts
    assert [e.max_traversals for e in part.edges if e.source == "judge" and e.target == "argue"] == [2]
    (part,) = adapt(load_python("debate.py", source)).parts
    # rounds is 1 when judge first reads it (argue counts first): 1 passes; the count assumes 0, an upper bound
    assert [(e.source, e.target, e.max_traversals, e.span_of("max_traversals").start.line) for e in part.edges if e.max_traversals] == [
        ("judge", "argue", 2, 18)
    ]
    assert project_findings(tmp_path, {"debate.py": source, **_pin("1.6.1")}, families=("AL1",)) == []


def test_a_long_elif_chain_is_read_without_recursion() -> None:
    branches = "".join(f"        elif self.state.step == {i}:\n            return 'l{i}'\n" for i in range(2500))
    source = (
        "from crewai.flow.flow import Flow, router, start\n\nclass F(Flow):\n    @start()\n    def a(self):\n        pass\n\n"
        "    @router(a)\n    def r(self):\n        if self.state.step == -1:\n            return 'x'\n" + branches
    )
    (part,) = adapt(load_python("f.py", source)).parts
    assert part.terminals == ("r",) and len(part.agents) == 2


def test_max_method_calls_stated_at_instantiation(tmp_path: Path) -> None:
    verdict = LOOPS[: LOOPS.index("class Endless")]
    stated = verdict + "\nflow = Verdict(max_method_calls=5)\n"
    (part,) = [p for p in adapt(load_python("f.py", stated)).parts if p.name.endswith(":Verdict")]
    assert (part.turn_limit, part.turn_limit_setting, part.span_of("turn_limit").start.line, part.turn_limit_default) == (
        5, "max_method_calls", 75, None
    )
    assert [f for f in project_findings(tmp_path / "a", {"f.py": stated, **_pin("1.12.0")}, families=("AL1",)) if f[0] != "AL104"] == []
    unstated = verdict + "\nflow = Verdict(max_method_calls=cfg.calls)\nother = Verdict()\n"
    (part,) = [p for p in adapt(load_python("f.py", unstated)).parts if p.name.endswith(":Verdict")]
    assert (part.turn_limit, part.turn_limit_unstated, part.turn_limit_default) == (None, False, "crewai.flow_max_method_calls")
    only_unstated = verdict + "\nflow = Verdict(max_method_calls=cfg.calls)\n"
    (part,) = [p for p in adapt(load_python("f.py", only_unstated)).parts if p.name.endswith(":Verdict")]
    assert (part.turn_limit, part.turn_limit_unstated, part.turn_limit_default) == (None, True, None)


STARTS = '''\
from crewai.flow.flow import Flow, and_, listen, router, start
from crewai.flow.human_feedback import human_feedback


class Research(Flow):
    @start()
    def search_web(self):
        pass

    @start()
    def search_docs(self):
        pass

    @listen(and_(search_web, search_docs))
    def summarize(self):
        pass

    @listen(summarize)
    @human_feedback(message="Approve the summary?", emit=["approved", "rejected"])
    def review(self):
        pass

    @listen("rejected")
    def rewrite(self):
        pass

    @listen(rewrite)
    def resubmit(self):
        pass

    @listen("approved")
    def publish(self):
        pass
'''


def test_several_starts_fan_out_from_kickoff_and_human_feedback_routes(tmp_path: Path) -> None:
    (part,) = adapt(load_python("r.py", STARTS)).parts
    assert (part.entry, part.agents[0].name, part.complete) == ("kickoff", "kickoff", True)
    assert [(e.source, e.target, e.span.start.line) for e in part.edges] == [
        ("kickoff", "search_web", 6),
        ("kickoff", "search_docs", 10),
        ("search_web", "summarize", 14),
        ("search_docs", "summarize", 14),
        ("summarize", "review", 18),
        ("review", "rewrite", 19),
        ("rewrite", "resubmit", 27),
        ("review", "publish", 19),
    ]
    assert part.terminals == ("resubmit", "publish")
    assert project_findings(tmp_path, {"r.py": STARTS}, families=("AL1",)) == []


def test_claims_and_what_is_not_a_flow() -> None:
    assert claims("a.py", "from crewai.flow.flow import Flow") and not claims("a.py", "from crewai import Agent")
    assert not claims("a.yaml", "crewai Flow")
    source = "from crewai.flow.flow import Flow\nclass Empty(Flow):\n    def helper(self):\n        pass\nclass Other(Base):\n    pass\n"
    assert adapt(load_python("a.py", source)).parts == []
    feedback_only = (
        "from crewai.flow.flow import Flow, start\nfrom crewai.flow.human_feedback import human_feedback\n"
        "class F(Flow):\n    @start()\n    def a(self):\n        pass\n\n"
        '    @human_feedback(message="ok?", emit=["yes"])\n    def b(self):\n        pass\n'
    )
    (part,) = adapt(load_python("f.py", feedback_only)).parts
    assert [a.name for a in part.agents] == ["a"]  # no flow decorator: CrewAI never runs b


LINES = (SELF_EVALUATION + LEAD_SCORE + LOOPS + STARTS).splitlines()
NOISE = ("(", ")", ", **kw", '"again"', " or self.state.attempts > 2", "\n    @router(draft)", "\n        return x", " + 1")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_sources_never_crash(data: st.DataObject) -> None:
    adapt(load_python("main.py", mutated_source(data, LINES, NOISE)))  # never raises


def test_each_app_of_a_monorepo_is_judged_with_its_own_pin(tmp_path: Path) -> None:
    """Two apps pin different crewai versions: each flow is quoted for its own (the folder line),
    never for the other app's; a module with no pin in its line takes the project's one version."""
    unguarded = SELF_EVALUATION.replace('        if self.state.retry_count > 3:\n            return "max_retry_exceeded"\n', "")
    old, new = _pin("1.6.1")["pyproject.toml"], _pin("1.12.0")["pyproject.toml"]
    files = {"old/main.py": unguarded, "old/pyproject.toml": old, "new/src/main.py": unguarded, "new/pyproject.toml": new}
    assert project_findings(tmp_path / "mono", files, families=("AL1",)) == [
        ("AL102", "old/main.py", 33, 13),  # 1.6.1: no flow-level cap
        ("AL104", "new/src/main.py", 52, 9),
        ("AL104", "old/main.py", 52, 9),
        ("AL111", "new/src/main.py", 33, 13),  # 1.12.0: max_method_calls 100
    ]
    apart = {"src/main.py": unguarded, "deps/pyproject.toml": new}  # requirements kept apart from the code
    assert project_findings(tmp_path / "apart", apart, families=("AL1",)) == [("AL104", "src/main.py", 52, 9), ("AL111", "src/main.py", 33, 13)]


SCORED = '''from crewai.flow.flow import Flow, listen, router, start
from pydantic import BaseModel


class State(BaseModel):
    draft: str = ""
    score: float = 0.0


class RefineFlow(Flow[State]):
    @start("retry")
    def write(self):
        self.state.draft = "..."

    @router(write)
    def grade(self):
        self.state.score = Critic().crew().kickoff(inputs={"draft": self.state.draft}).pydantic.score
        if self.state.score >= 8:
            return "done"
        return "retry"

    @listen("done")
    def publish(self):
        print(self.state.draft)
'''


def test_a_threshold_on_the_critics_score_is_no_bound(tmp_path: Path) -> None:
    """The router retries until the critic's score reaches 8: the score is the model's say, not a
    count, so only the model ends the loop (it was left unclear: no finding)."""
    assert project_findings(tmp_path / "a", {"main.py": SCORED, **_pin("1.6.1")}, families=("AL1",)) == [("AL102", "main.py", 15, 13)]
    counted = SCORED.replace("self.state.score = Critic()", "self.state.score = self.state.score + Critic()")
    assert project_findings(tmp_path / "b", {"main.py": counted, **_pin("1.6.1")}, families=("AL1",)) == []  # computed from itself: unclear


def test_flow_methods_are_not_counted_as_agents_without_tracing(tmp_path: Path) -> None:
    """AL540 names the project's agents and LLM clients; a flow's methods are steps, not agents."""
    from tests.helpers import project_result

    crew = 'from crewai import Agent\n\ncritic = Agent(role="Critic", goal="grade", backstory="strict", max_execution_time=60, max_retry_limit=2)\n'
    result = project_result(tmp_path, {"main.py": SCORED, "crew.py": crew, **_pin("1.6.1")})
    (finding,) = [f for f in result.findings if f.code == "AL540"]
    assert (finding.path, finding.line) == ("crew.py", 3)
    assert finding.message.startswith("agent 'critic' (crewai), but no tracing is set up")  # was "and 3 more agents or clients"
