from __future__ import annotations

import posixpath
from collections.abc import Iterator

from agentlint.checklist import Checklist
from agentlint.findings import Location, Severity, Violation
from agentlint.model.deployment import EnvOrigin
from agentlint.model.project import Project
from agentlint.model.secrets import literal_secret
from agentlint.options import NoOptions
from agentlint.rule import Example, Rule


class DeploymentEnvSecret(Rule):
    """A credential committed in the environment a deployment config loads.

    ## What it does
    Reads `env` in `langgraph.json`: an inline object whose values are literal credentials,
    or the path of a dotenv file (`"env": ".env"`) that is in the project with credentials in
    it and that the project's `.gitignore` files do not leave out of commits (a git-ignored
    `.env` is the documented local set-up). A value is a credential when its format is unmistakable (`sk-…`, `ghp_…`, `AKIA…`,
    JWTs, private keys …) or a secret-looking name (`*_API_KEY`, `*_TOKEN`, `*_SECRET`,
    `*PASSWORD`) holds a random-looking literal; placeholders (`your-key-here`, `${VAR}`,
    `<token>`, `changeme`) and empty values are not. Other dotenv files are not read by this
    rule. The message names the variable and the kind of credential, never the value.

    ## Why is this bad?
    `langgraph.json` is committed, and a `.env` it names travels with the repository and the
    built image: whoever can read either has the keys. Keep `.env` out of version control
    (`.gitignore`), set secrets in the deployment's environment, and rotate a key that was
    committed.
    """

    code = "AL224"
    name = "deployment-env-secret"
    summary = "Literal credential in the environment a deployment config loads"
    severity = Severity.ERROR
    checklist = Checklist.TOOLS_LEAST_PRIVILEGE
    entities = ("EnvSettings", "EnvFileReference")

    def check(self, project: Project, options: NoOptions) -> Iterator[Violation]:
        deployment = project.deployment
        chosen = [(env, "") for env in deployment.env if env.origin is EnvOrigin.INLINE]
        for reference in deployment.env_references:
            loaded = deployment.env_file(reference.target)
            if loaded is not None and deployment.committed(loaded.ref.path):
                chosen.append((loaded, f" (loaded by {reference.config})"))
        seen: set = set()
        for env, how in chosen:
            for setting in env.settings:
                kind = literal_secret(setting.name, setting.value)
                if kind is None or setting.ref in seen:
                    continue
                seen.add(setting.ref)
                where = f"{posixpath.basename(env.config)} env" if env.origin is EnvOrigin.INLINE else env.ref.path
                yield self.violation(
                    f"{where}{how}: {setting.name} holds a literal {kind}; set it in the deployment's "
                    "environment and keep the file out of version control",
                    Location(setting.ref.path, setting.value_span),
                    ref=setting.ref,
                    args=(setting.name,),
                    masked=True,
                )

    valid = (
        Example(
            files=(
                ("langgraph.json", '{\n  "dependencies": ["."],\n  "graphs": {"agent": "./graph.py:graph"},\n  "env": ".env"\n}\n'),
                (".env", "# copy to .env.local and fill in\nOPENAI_API_KEY=your-key-here\nLANGSMITH_API_KEY=\nLOG_LEVEL=info\n"),
                (".env.production", "OPENAI_API_KEY=sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS\n"),
            ),
            title="Placeholders in the named file; a file langgraph.json does not name is not this rule's",
        ),
        Example.of(
            '{\n  "dependencies": ["."],\n  "graphs": {"agent": "./graph.py:graph"},\n'
            '  "env": {"LOG_LEVEL": "info", "OPENAI_API_KEY": "${OPENAI_API_KEY}"}\n}\n',
            path="langgraph.json",
            title="Inline values that are not credentials",
        ),
    )
    invalid = (
        Example(
            files=(
                ("langgraph.json", '{\n  "dependencies": ["."],\n  "graphs": {"agent": "./graph.py:graph"},\n  "env": "./.env"\n}\n'),
                (".env", "LOG_LEVEL=debug\nexport OPENAI_API_KEY=sk-proj-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS  # expect: AL224\n"
                 "TAVILY_API_KEY='tvly-Zq3xW9vK2mT7rP5sL8nB3xC6'  # expect: AL224\n"),
            ),
            title="A committed .env that langgraph.json loads",
        ),
        Example.of(
            '{\n  "dependencies": ["."],\n  "graphs": {"agent": "./graph.py:graph"},\n'
            '  "env": {\n    "ANTHROPIC_API_KEY": "sk-ant-api03-Q7mZ2vR9kT4wL8nB3xC6yD1fG5hJ0pS"\n  }\n}\n',
            path="langgraph.json",
            title="An inline key",
            expect=(("langgraph.json", 5, "AL224"),),
        ),
    )
