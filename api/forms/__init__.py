"""The official forms as pydantic models: lenient parsers, the models, personal-data masking and export rows."""
