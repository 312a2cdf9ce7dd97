"""``python -m jianbao.demo [port]``: serve the demo site until Ctrl-C, to look at it in a
browser or point ``jianbao sources add`` at it."""

from __future__ import annotations

import sys
import time

from jianbao.demo.site import demo_sources, serve_demo


def main(argv: list[str]) -> int:
    port = int(argv[0]) if argv else 0
    with serve_demo(port) as site:
        print(f"演示网站已启动：{site.base_url}/ （按 Ctrl-C 停止）")
        for spec in demo_sources(site.base_url):
            print(f"  {spec.kind:7} {spec.name}：{spec.url}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("已停止。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
