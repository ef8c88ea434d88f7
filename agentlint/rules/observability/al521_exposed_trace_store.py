from __future__ import annotations

from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.model.trace_store import PublishedStore
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule
from agentlint.rules.observability._trace_store import in_force


class ExposedTraceStore(Rule):
    """A store of a self-hosted Langfuse is published on every host interface with a default secret.

    ## What it does
    In a docker compose file that runs Langfuse, reports each `ports` entry of Postgres,
    ClickHouse, Redis or MinIO published without a loopback address (`"5432:5432"`,
    `9090:9000`, a bare container port) while a secret of that store is still a documented
    default or placeholder (the ones AL520 reports, after the same `.env` check). Ports bound
    to `127.0.0.1` or `[::1]` and stores whose secrets are set at deploy time are not
    reported; Langfuse's own web port is not a store.

    ## Why is this bad?
    Compose publishes a port on every interface of the host by default, and Docker's port
    rules bypass most host firewalls. A store published that way with a password printed in
    Langfuse's documentation can be read by anyone who reaches the host: every trace, prompt
    and completion, with the stored API keys.

    ## How to fix
    Bind the port to loopback (`127.0.0.1:5432:5432`) or drop it (services on the compose
    network reach each other by name), and change the store's secret (AL520).
    """

    code = "AL521"
    name = "exposed-trace-store"
    summary = "Trace store published on all host interfaces with a default secret"
    severity = Severity.ERROR
    checklist = Checklist.TRACE_STORE_SECURED
    entities = ("PublishedStore",)  # StoreSecret is looked up

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        weak: dict[tuple, list[str]] = {}
        for secret, _ in in_force(project):
            weak.setdefault((secret.ref.path, secret.ref.doc, secret.store), []).append(secret.variable)
        for published in project.of(PublishedStore):
            variables = weak.get((published.ref.path, published.ref.doc, published.store))
            if not variables:
                continue
            names = ", ".join(dict.fromkeys(variables))
            yield self.violation(
                f"service {published.service} publishes {published.store.value} on every host interface "
                f"('{published.port}') while {names} {'is' if len(set(variables)) == 1 else 'are'} still a default: "
                f"anyone who reaches this host can log in; bind it to 127.0.0.1 or drop the port, and change the secret",
                published,
                args=(published.service, published.port),
            )

    valid = (
        Example.of(
            "services:\n"
            "  langfuse-web:\n"
            "    image: docker.io/langfuse/langfuse:3\n"
            "    ports:\n"
            "      - 3000:3000\n"
            "    environment:\n"
            "      DATABASE_URL: postgresql://postgres:postgres@postgres:5432/postgres # CHANGEME\n"
            "  postgres:\n"
            "    image: docker.io/postgres:17\n"
            "    environment:\n"
            "      POSTGRES_PASSWORD: postgres # CHANGEME\n"
            "    ports:\n"
            "      - 127.0.0.1:5432:5432\n"
            "  minio:\n"
            "    image: docker.io/minio/minio\n"
            "    environment:\n"
            "      MINIO_ROOT_PASSWORD: ${MINIO_ROOT_PASSWORD:?set it}\n"
            "    ports:\n"
            "      - 9090:9000\n",
            path="docker-compose.yml",
            title="Stores bound to loopback, or published with a secret from the environment",
        ),
    )
    invalid = (
        Example.of(
            "services:\n"
            "  langfuse-web:\n"
            "    image: docker.io/langfuse/langfuse:3\n"
            "    ports:\n"
            "      - 3000:3000\n"
            "    environment:\n"
            "      LANGFUSE_S3_EVENT_UPLOAD_SECRET_ACCESS_KEY: ${LANGFUSE_S3_EVENT_UPLOAD_SECRET_ACCESS_KEY:-miniosecret}\n"
            "  minio:\n"
            "    image: docker.io/minio/minio\n"
            "    environment:\n"
            "      MINIO_ROOT_USER: minio\n"
            "      MINIO_ROOT_PASSWORD: miniosecret # CHANGEME\n"
            "    ports:\n"
            "      - 9090:9000  # expect: AL521\n"
            "      - 127.0.0.1:9091:9001\n"
            "  postgres:\n"
            "    image: postgres:16\n"
            "    environment:\n"
            "      POSTGRES_PASSWORD: changeme\n"
            "    ports:\n"
            '      - "5432:5432"  # expect: AL521\n',
            path="docker-compose.yml",
            title="MinIO as Langfuse's compose file publishes it, and Postgres on every interface",
        ),
    )
