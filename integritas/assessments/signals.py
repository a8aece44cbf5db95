"""Signals of the assessments app.

``verdicts_recorded`` is sent (with ``assessment`` and ``by``) once KPK's verdicts on an MCSP
desk's documents have been recorded, by hand or from a status sheet; the score snapshots listen
to it (``services/snapshots.py``), so the desk's services need not import them.
"""

from __future__ import annotations

from django.dispatch import Signal

verdicts_recorded = Signal()
