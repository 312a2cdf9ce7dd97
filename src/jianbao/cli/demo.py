"""``jianbao demo``: the whole flow on the bundled demo site; ``--serve`` then opens the
demo's store in the workstation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jianbao.cli.common import (
    app,
    console,
    state,
    t,
)

# -- demo ----------------------------------------------------------------------------------


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="报告输出目录")] = Path("out"),
    serve: Annotated[
        bool, typer.Option("--serve", help="完成后在工作台中打开演示数据（附演示账号）")
    ] = False,
    port: Annotated[int, typer.Option(help="工作台端口（--serve 时）")] = 8000,
) -> None:
    """启动内置演示网站，完整运行一遍并生成报告 (run the whole flow on the demo site)."""
    from jianbao.demo.run import demo_account, demo_data_dir, demo_settings, run_demo

    def say(text: str) -> None:
        console.print(text, markup=False, highlight=False)

    language = state.get_settings().language
    paths = run_demo(out, language=language, say=say)
    console.print(t("demo.done"))
    for path in paths:
        console.print(f"  {path}", markup=False, highlight=False)
    if not serve:
        console.print(t("demo.look", folder=demo_data_dir(out)), markup=False, highlight=False)
        return
    from jianbao.web import serve as run_server

    settings = demo_settings(out, language)
    username, password = demo_account(settings)
    url = f"http://127.0.0.1:{port}/"
    console.print(t("demo.workstation", url=url, user=username, password=password), markup=False)
    run_server(settings, "127.0.0.1", port)
