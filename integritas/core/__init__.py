"""Government, units, people, roles, the permission policy, accounts and demo data."""
