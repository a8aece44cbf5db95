"""The LHKPN compliance the portal shows: only the years the Inspectorate published
(``prevention.LhkpnPublication``), per unit and for the government with both rates, units with
too few officials obliged withheld (``prevention/services/lhkpn_publication.py``), and the
government's trend over the published years. No official's name, NIP or NIK reaches the portal:
only counts and rates."""

from __future__ import annotations

from integritas.prevention import lhkpn
from integritas.prevention.services import lhkpn_publication
from integritas.prevention.services.lhkpn_publication import PublicYear


def years() -> list[int]:
    """The published years, newest first."""
    return lhkpn_publication.published_years()


def figures(year: int) -> PublicYear | None:
    """The compliance of a published ``year``; None for any other year."""
    if year not in years():
        return None
    return lhkpn_publication.public_figures(year)


def trend() -> list[tuple[int, lhkpn.Compliance]]:
    """The government's figures of the published years, oldest first."""
    return lhkpn_publication.public_trend()
