from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from agentlint.checklist import Checklist
from agentlint.findings import Severity, Violation
from agentlint.model.project import Project
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule
from agentlint.rules.observability._trace_store import describe, in_force

class DefaultTraceStoreSecret(Rule):
    """A self-hosted Langfuse runs with a documented default or placeholder secret.

    ## What it does
    Reads docker compose files that run Langfuse (an image `langfuse/langfuse` or
    `langfuse/langfuse-worker`) and values files of the Langfuse Helm chart (`langfuse.salt`,
    `langfuse.nextauth.secret`, `langfuse.encryptionKey`, `postgresql.auth.password`,
    `clickhouse.auth.password`, `redis`/`valkey.auth.password`, `minio.auth.rootPassword`,
    and the store secrets in `langfuse.additionalEnv`), and reports each secret of Langfuse
    and of its stores left at a value anyone can look up: the defaults of Langfuse's own `docker-compose.yml` (`SALT:
    mysalt`, an `ENCRYPTION_KEY` of 64 zeros, `NEXTAUTH_SECRET: mysecret`, `postgres` as the
    password in `DATABASE_URL` and `POSTGRES_PASSWORD`, `clickhouse` for `CLICKHOUSE_PASSWORD`,
    `myredissecret` for `REDIS_AUTH` and Redis' `--requirepass`, `miniosecret` for
    `MINIO_ROOT_PASSWORD` and the `LANGFUSE_S3_*_SECRET_ACCESS_KEY` settings) or placeholders
    (`changeme`, `secret`, `password`, `<your-secret>`, an encryption key of one repeated
    character). Values set at deploy time (`${SALT}`, `${SALT:?set it}`) are not reported. A
    `${VAR:-default}` fallback is reported as a warning, since it applies only when `VAR` is
    unset, and not at all when a `.env` beside the compose file sets `VAR` to a real secret;
    the same fallback written twice is one finding. A `# CHANGEME` comment alone is no
    evidence (it stays after the value is changed): the value is what is judged.

    ## Why is this bad?
    A trace store holds every prompt, completion and tool result an application sent it. With
    the published defaults, anyone who can reach the database, ClickHouse, Redis or MinIO can
    read or delete them, anyone can forge a login session with the known `NEXTAUTH_SECRET`,
    and the LLM provider keys Langfuse stores are encrypted with a key everyone knows.

    ## How to fix
    Generate each secret (`openssl rand -hex 32` for `ENCRYPTION_KEY`, `openssl rand -base64
    32` for the others) and pass it from a secret store or an untracked `.env`
    (`SALT: ${SALT:?set SALT}`), changing the store's own password and the URL or key that
    logs in to it together.
    """

    code = "AL520"
    name = "default-trace-store-secret"
    summary = "Self-hosted Langfuse runs with a default or placeholder secret"
    severity = Severity.ERROR
    checklist = Checklist.TRACE_STORE_SECURED
    entities = ("StoreSecret",)

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        for secret, repeats in in_force(project):
            what, fix = describe(secret)
            violation = self.violation(
                f"{what}; {fix}",
                secret,
                args=(secret.service, secret.written),
                related=tuple(r.location(note=f"the same fallback in {r.service}") for r in repeats),
            )
            yield replace(violation, severity=Severity.WARNING) if secret.fallback else violation

    valid = (
        Example(
            files=(
                (
                    "docker-compose.yml",
                    "services:\n"
                    "  langfuse-web:\n"
                    "    image: docker.io/langfuse/langfuse:3\n"
                    "    environment:\n"
                    "      DATABASE_URL: postgresql://langfuse:${POSTGRES_PASSWORD}@postgres:5432/langfuse\n"
                    "      SALT: ${SALT:?generate with openssl rand -base64 32}\n"
                    "      ENCRYPTION_KEY: ${ENCRYPTION_KEY:?generate with openssl rand -hex 32}\n"
                    "      NEXTAUTH_SECRET: ${NEXTAUTH_SECRET}\n"
                    "      CLICKHOUSE_PASSWORD: ${CLICKHOUSE_PASSWORD:-clickhouse}\n"
                    "  postgres:\n"
                    "    image: docker.io/postgres:17\n"
                    "    environment:\n"
                    "      POSTGRES_USER: langfuse\n"
                    "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}\n",
                ),
                (".env", "CLICKHOUSE_PASSWORD=q4V9tLx2mZ8rK1wN7bH3\n"),
            ),
            title="Secrets from the environment; a fallback that the .env beside it overrides",
        ),
        Example.of(
            "services:\n"
            "  db:\n"
            "    image: postgres:16\n"
            "    environment:\n"
            "      POSTGRES_PASSWORD: postgres\n",
            path="compose.yaml",
            title="A compose file that does not run Langfuse is not a trace store",
        ),
    )
    invalid = (
        Example.of(
            "# Make sure to update the credential placeholders with your own secrets.\n"
            "services:\n"
            "  langfuse-worker:\n"
            "    image: docker.io/langfuse/langfuse-worker:3\n"
            "    environment: &langfuse-worker-env\n"
            "      DATABASE_URL: postgresql://postgres:postgres@postgres:5432/postgres # CHANGEME  # expect: AL520\n"
            '      SALT: "mysalt" # CHANGEME  # expect: AL520\n'
            '      ENCRYPTION_KEY: "0000000000000000000000000000000000000000000000000000000000000000" # CHANGEME  # expect: AL520\n'
            "      CLICKHOUSE_PASSWORD: ${CLICKHOUSE_PASSWORD:-clickhouse} # CHANGEME  # expect: AL520\n"
            "      REDIS_AUTH: ${REDIS_AUTH:-myredissecret} # CHANGEME  # expect: AL520\n"
            "  langfuse-web:\n"
            "    image: docker.io/langfuse/langfuse:3\n"
            "    ports:\n"
            "      - 3000:3000\n"
            "    environment:\n"
            "      <<: *langfuse-worker-env\n"
            "      NEXTAUTH_SECRET: mysecret # CHANGEME  # expect: AL520\n"
            "  redis:\n"
            "    image: docker.io/redis:7\n"
            "    command: >\n"
            "      --requirepass ${REDIS_AUTH:-myredissecret}\n"
            "  postgres:\n"
            "    image: docker.io/postgres:${POSTGRES_VERSION:-latest}\n"
            "    environment:\n"
            "      POSTGRES_USER: postgres\n"
            "      POSTGRES_PASSWORD: postgres # CHANGEME  # expect: AL520\n",
            path="docker-compose.yml",
            title="The shape of Langfuse's own docker-compose.yml, which ships defaults to change",
        ),
        Example.of(
            "services:\n"
            "  langfuse:\n"
            "    image: langfuse/langfuse:2\n"
            "    environment:\n"
            "      - DATABASE_URL=postgresql://langfuse:changeme@db:5432/langfuse  # expect: AL520\n"
            "      - NEXTAUTH_SECRET=secret  # expect: AL520\n"
            "      - SALT=${SALT}\n",
            path="compose.yaml",
            title="Placeholders in a KEY=value list",
        ),
        Example.of(
            "langfuse:\n"
            "  nextauth:\n"
            "    url: https://langfuse.example.com\n"
            "    secret: changeme  # expect: AL520\n"
            "  salt:\n"
            "    secretKeyRef: {name: langfuse-secrets, key: salt}\n"
            "  additionalEnv:\n"
            "    - name: CLICKHOUSE_PASSWORD\n"
            "      value: changeme  # expect: AL520\n"
            "postgresql:\n"
            "  auth:\n"
            "    username: postgres\n"
            "    password: postgres  # expect: AL520\n",
            path="deploy/langfuse/values.yaml",
            title="The Langfuse Helm chart's values with its shipped defaults",
        ),
    )
