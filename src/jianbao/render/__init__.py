"""jianbao.render."""
