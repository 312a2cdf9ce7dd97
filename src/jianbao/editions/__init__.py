"""jianbao.editions."""
