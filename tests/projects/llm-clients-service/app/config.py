"""Settings for the support assistant, read once at start-up."""

import os

import litellm

litellm.request_timeout = 45  # every litellm call of the process
LLM_TIMEOUT = float(os.getenv("LLM_TIMEOUT", "30"))
OPENAI_KEY = os.getenv("OPENAI_API_KEY", "sk-proj-Xq8Lm2Vb7Nc4Rt1Yz6Pw3Ks9Dh5Jf0Ga")
