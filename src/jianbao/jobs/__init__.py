"""jianbao.jobs."""
