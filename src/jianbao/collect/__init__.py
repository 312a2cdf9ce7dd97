"""jianbao.collect."""
