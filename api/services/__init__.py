"""One module per capability (intake, imports, demands, duplicates, dedup runs, experts, panels,
solver institutions), each taking a session and typed values; built together by :mod:`api.compose`."""
