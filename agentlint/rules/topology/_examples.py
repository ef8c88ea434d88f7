"""Shared text for the topology and limit rule examples (a valid document header)."""

# router → helpr (a typo) → helper → done: whether the entry reaches helper, and whether router
# can finish, depends on the missing agent (unreachable-agent and no-terminal-reachable say nothing)
THROUGH_UNDEFINED = """entry: router
terminals: [done]
agents:
  router: {role: router}
  helper: {role: helper}
  done: {role: finisher}
edges:
  - {from: router, to: helpr}
  - {from: helpr, to: helper}
  - {from: helper, to: done}
"""

HEADER = """apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: support-desk
"""

# A Microsoft Agent Framework workflow: the critic sends the draft back until it is approved
# (maxTurns, the run-level cap, defaults to 100 supersteps). ``{head}`` goes before ``kind``,
# ``{expect}`` after the line the loop is reported at.
MAF_REVIEW = """{head}kind: Workflow
trigger:
  kind: OnConversationStart
  id: review
  actions:
    - kind: InvokeAzureAgent
      id: writer
      agent:
        name: WriterAgent
    - kind: InvokeAzureAgent
      id: critic{expect}
      agent:
        name: CriticAgent
    - kind: ConditionGroup
      id: verdict
      conditions:
        - condition: =Local.Verdict = "revise"
          id: needs_changes
          actions:
            - kind: GotoAction
              id: back_to_writer
              actionId: writer
"""

# An AutoGen round-robin team that stops when the critic says so; ``{cap}`` adds config keys.
AUTOGEN_TEAM = """provider: autogen_agentchat.teams.RoundRobinGroupChat
component_type: team
label: Writers
config:
  participants:{expect}
    - provider: autogen_agentchat.agents.AssistantAgent
      config: {{name: writer, description: Writes the draft.}}
    - provider: autogen_agentchat.agents.AssistantAgent
      config: {{name: critic, description: Reviews the draft.}}
  termination_condition:
    provider: autogen_agentchat.conditions.TextMentionTermination
    config: {{text: APPROVED}}
{cap}"""

# A Google ADK LoopAgent whose critic may call exit_loop; ADK caps a run at
# RunConfig.max_llm_calls (500 by default). ``expect`` marks the loop's line (its class).
_ADK_AGENT = "name: {name}\ndescription: The {name}.\nmodel: gemini-2.5-flash\ninstruction: Do the {name} work.\n"


def adk_loop(bound: str = "", expect: str = "") -> tuple[tuple[str, str], ...]:
    return (
        ("refine/root_agent.yaml", f"agent_class: LoopAgent{expect}\nname: refine\ndescription: Refine a draft.\n{bound}"
         "sub_agents:\n  - config_path: critic.yaml\n  - config_path: reviser.yaml\n"),
        ("refine/critic.yaml", _ADK_AGENT.format(name="critic") + "tools:\n  - name: exit_loop\n"),
        ("refine/reviser.yaml", _ADK_AGENT.format(name="reviser")),
    )


LANGGRAPH_MANAGER = """\
from typing import Literal

from langgraph.graph import START, StateGraph
from langgraph.types import Command


def manager(state) -> Command[Literal["worker", "__end__"]]:
    return Command(goto="worker" if state["todo"] else "__end__")


def worker(state):
    return {{"todo": state["todo"][1:]}}


builder = StateGraph(dict)
builder.add_node(manager)
builder.add_node(worker)
builder.add_edge(START, "manager")
{tail}graph = builder.compile()
"""
