"""Survey instruments (versioned), waves, invitations, anonymous responses, import and export."""
