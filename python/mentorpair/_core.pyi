# Hand-written stubs for the compiled extension `mentorpair._core`.

__version__: str

def fairness_audit(
    by: list[str],
    mentee_keys: list[list[str | None]],
    pairs: list[tuple[int, int, float, list[float]]],
    components: list[str],
    mentor_keys: list[list[str | None]] | None = None,
    mentor_capacity: list[int] | None = None,
    min_group_size: int = 5,
) -> str:
    """Audit a matching by protected group; returns the AuditReport as JSON text."""
