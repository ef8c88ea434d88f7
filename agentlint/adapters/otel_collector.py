"""OpenTelemetry Collector configurations (FORMATS.md §5): ``otelcol*.yaml``,
``otel-collector*.yaml``, ``*collector*config*.yaml``, any YAML whose top level has ``service``
with ``pipelines`` next to ``receivers``/``exporters``, and the ``spec.config`` mapping of an
``OpenTelemetryCollector`` resource (operator ``v1beta1``). A config written as a string (the
``v1alpha1`` ``spec.config: |``, a ``ConfigMap`` ``data`` value) is not read: parsing it is a
loader's job, and adapters only receive located documents.

Each document becomes one :class:`CollectorConfig` (components, pipelines, exporter targets,
attribute edits, samplers) and the :class:`TelemetrySwitch` facts of its traces and logs
pipelines, ``Origin.COLLECTOR`` (the AL51x rules judge those):

- TRANSPORT, one per exporter used by a traces/logs pipeline whose transport the file states:
  gRPC exporters (``otlp``, ``otlp_grpc``) use TLS unless ``tls.insecure: true`` (configtls
  default false; an ``https://`` endpoint always uses TLS); HTTP exporters (``otlphttp``,
  ``otlp_http``, ``zipkin``) are plaintext exactly when their URL is ``http://``. Plaintext to
  a loopback address, or to a dotless host (``jaeger:4317``: a service on the same compose
  network) or a Kubernetes service name (``*.svc``, ``*.svc.cluster.local``) does not leave the
  host or cluster network: not risky, and ``detail`` says which. A value the file does not
  state (``${env:OTLP_ENDPOINT}``) is unknown: no switch;
- CONTENT_CAPTURE, a ``debug`` (or legacy ``logging``) exporter with ``verbosity: detailed``
  (legacy ``loglevel: debug``) in a traces/logs pipeline prints every attribute, prompts
  included, to the Collector's log; ``basic``/``normal`` are not risky;
- SAMPLING, per traces pipeline that exports to a backend (not only ``nop``/``debug``): without
  a ``probabilistic_sampler`` or ``tail_sampling`` processor on its way (connectors followed)
  every trace is kept, an implicit risky switch at the pipeline's key; a sampler is a non-risky
  switch at its list entry (one at ``sampling_percentage: 100``, or a tail sampler with only
  ``always_sample`` policies, keeps every trace: risky).
"""

from __future__ import annotations

import posixpath
import re

from agentlint.adapters.base import Adapter, deferred, forward
from agentlint.loaders.base import Syntax

_SERVICE = re.compile(r"(?m)^service:")
_SECTION = re.compile(r"(?m)^(?:receivers|exporters):")
_CR_KIND = re.compile(r"""(?m)^kind:[ \t]*["']?OpenTelemetryCollector["']?[ \t]*(?:#.*)?$""")


def claims(path: str, text: str) -> bool:
    base = posixpath.basename(path).lower()
    if "{{" in text:  # Helm and Go templates are not YAML until rendered
        return False
    if _CR_KIND.search(text) is not None:
        return "config:" in text
    named = base.startswith(("otelcol", "otel-collector")) or ("collector" in base and "config" in base)
    if named and base.endswith((".yaml", ".yml")):  # a file of components without pipelines is merged with another --config file
        return "pipelines" in text or "receivers" in text or "exporters" in text
    return _SERVICE.search(text) is not None and "pipelines:" in text and _SECTION.search(text) is not None


adapt = deferred("agentlint.adapters._otel_collector_read")
__getattr__ = forward("agentlint.adapters._otel_collector_read", __name__)

ADAPTER = Adapter("otel-collector", frozenset({Syntax.YAML}), claims, adapt)
