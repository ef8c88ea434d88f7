"""agentlint: a static pre-deployment readiness linter and agent-topology analyzer."""

__version__ = "0.1.0"
