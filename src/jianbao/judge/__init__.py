"""jianbao.judge."""
