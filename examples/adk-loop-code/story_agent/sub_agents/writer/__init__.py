from .agent import writer_agent
