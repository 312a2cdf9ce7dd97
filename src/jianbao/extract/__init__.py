"""jianbao.extract."""
