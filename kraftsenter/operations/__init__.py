"""Operating a Kraftsenter site: backup and restore of its database (docs/operations.md)."""
