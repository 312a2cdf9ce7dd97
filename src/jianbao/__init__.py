"""简报 jianbao."""
