"""Two teams over the same agents: the review loop and the request desk."""

from autogen_agentchat.conditions import HandoffTermination, MaxMessageTermination, TextMentionTermination
from autogen_agentchat.teams import RoundRobinGroupChat, Swarm

from .agents import desk, editor, writer

# Ends only when the editor says APPROVE: an editor that is never satisfied never stops it.
review = RoundRobinGroupChat([writer, editor], termination_condition=TextMentionTermination("APPROVE"))

# Ends when the desk hands back to the user, and after 30 messages at the latest.
intake = Swarm(
    [desk, writer],
    termination_condition=HandoffTermination(target="user") | MaxMessageTermination(30),
)
