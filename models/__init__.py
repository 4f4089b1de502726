"""SQLModel tables, engine and queries."""
