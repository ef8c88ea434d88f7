from agentlint.cli import main

raise SystemExit(main())
