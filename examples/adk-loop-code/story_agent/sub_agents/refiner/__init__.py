from .agent import refiner_agent
