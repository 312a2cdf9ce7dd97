"""jianbao.db."""
