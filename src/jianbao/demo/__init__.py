"""jianbao.demo."""
