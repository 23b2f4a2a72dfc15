"""Residents' topics (议题征集): proposing, co-signing (联署) and review (审核)."""
