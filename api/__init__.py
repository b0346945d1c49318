"""Jiebang's edges: HTTP API, CLI, schemas, storage, import/export."""
