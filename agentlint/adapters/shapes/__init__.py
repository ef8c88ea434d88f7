"""pydantic models of each dialect's document shape; imported only when a file needs them
(defining a model costs ~12 ms, so adapter discovery never imports this package)."""
