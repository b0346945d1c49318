"""The HTTP edge: the FastAPI app, its routers with their request/response models, auth and errors."""
