import logging
import os

from fastapi import FastAPI
from openai import OpenAI
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

logger = logging.getLogger("assistant")

provider = TracerProvider()
provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=os.environ["OTEL_EXPORTER_OTLP_ENDPOINT"])))
trace.set_tracer_provider(provider)
OpenAIInstrumentor().instrument()

app = FastAPI()
client = OpenAI(timeout=30, max_retries=2)


@app.post("/ask")
def ask(prompt: str, email: str) -> str:
    logger.info(f"prompt: {prompt}")
    reply = client.chat.completions.create(
        model="gpt-4o-2024-08-06",
        messages=[{"role": "user", "content": prompt}],
    )
    answer = reply.choices[0].message.content
    logger.info("answered %s", email)
    return answer
