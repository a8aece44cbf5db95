"""Follow-up operations, one module per sub-area: ``recommendations`` and ``plans``."""
