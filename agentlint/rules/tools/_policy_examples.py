"""Shared text for tool-policy rule examples."""

POLICY_HEAD = """apiVersion: agentlint/v1
kind: ToolPolicy
metadata:
  name: support-tools
"""
