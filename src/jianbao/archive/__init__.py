"""jianbao.archive."""
