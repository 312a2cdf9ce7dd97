"""jianbao.web."""
