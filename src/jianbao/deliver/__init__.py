"""jianbao.deliver."""
