"""``jianbao demo``: the whole flow on the bundled demo site."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jianbao.cli.common import (
    app,
    console,
    state,
    t,
)

if TYPE_CHECKING:
    pass


# -- demo ----------------------------------------------------------------------------------


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="报告输出目录")] = Path("out"),
) -> None:
    """启动内置演示网站，完整运行一遍并生成报告 (run the whole flow on the demo site)."""
    from jianbao.demo.run import run_demo

    def say(text: str) -> None:
        console.print(text, markup=False, highlight=False)

    paths = run_demo(out, language=state.get_settings().language, say=say)
    console.print(t("demo.done"))
    for path in paths:
        console.print(f"  {path}", markup=False, highlight=False)
