from .agent import critic_agent
