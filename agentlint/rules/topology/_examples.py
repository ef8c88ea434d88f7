"""Shared text for the topology and limit rule examples (a valid document header)."""

HEADER = """apiVersion: agentlint/v1
kind: AgentGraph
metadata:
  name: support-desk
"""
