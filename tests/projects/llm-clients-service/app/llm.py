"""The models the assistant uses."""

from anthropic import AsyncAnthropic
from google import genai
from google.genai import types
from langchain_anthropic import ChatAnthropic
from langchain_openai import ChatOpenAI
from openai import OpenAI

from app.config import LLM_TIMEOUT, OPENAI_KEY
from app.config import OPENAI_KEY as KEY_AGAIN

embeddings = OpenAI(api_key=OPENAI_KEY, timeout=LLM_TIMEOUT)
router = ChatAnthropic(model="claude-haiku-4-5", max_tokens=512)
gemini = genai.Client(http_options=types.HttpOptions(timeout=20_000))
# agentlint: ignore[AL304] the mesh sidecar enforces a 25 s deadline on this route
fallback = AsyncAnthropic()


def make_judge():
    return ChatOpenAI(model="gpt-4o", temperature=0)


def grade(answer: str) -> str:
    judge = make_judge()
    return judge.bind(timeout=20).invoke(f"Grade this answer: {answer}").content
