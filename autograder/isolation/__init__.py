"""Where student code runs: the sandbox, the harness inside it, and the plain-data transport across its boundary."""
