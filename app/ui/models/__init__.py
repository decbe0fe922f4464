"""Table models over plain rows (dataclasses from the services); never ORM objects."""
