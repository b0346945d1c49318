"""Storage: SQLAlchemy tables (:mod:`.tables`), engine and sessions (:mod:`.engine`), Alembic
migrations (:mod:`.migrations`) and the unit of work (:mod:`.uow`)."""
