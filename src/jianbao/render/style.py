"""Typographic settings of the Word (and PDF) output, kept apart from python-docx so that
configuration can name them without importing the renderer."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from jianbao.errors import ConfigError


@dataclass(frozen=True, slots=True)
class DocxStyle:
    """Fonts (East Asian names) and sizes in points; the defaults follow GB/T 9704."""

    title_font: str = "方正小标宋简体"
    heading_font: str = "黑体"
    subheading_font: str = "楷体_GB2312"
    body_font: str = "仿宋_GB2312"
    latin_font: str = "Times New Roman"
    title_size: float = 22  # 二号
    body_size: float = 16  # 三号
    footer_size: float = 14  # 四号
    line_spacing: float = 28
    margins_mm: tuple[float, float, float, float] = (37, 26, 35, 28)  # top right bottom left

    @classmethod
    def from_mapping(cls, data: dict[str, Any], where: str = "docx") -> DocxStyle:
        """From a configuration table (``body_font = "仿宋"``, ``body_size = 14`` …)."""
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(
                f"字体设置里有不认识的项：{', '.join(unknown)}",
                item=where,
                hint="可用：" + ", ".join(known),
            )
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name.endswith("_font"):
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError(f"{name} 应是字体名称", item=where, hint=f'{name} = "仿宋"')
                values[name] = value.strip()
            elif name == "margins_mm":
                if not isinstance(value, list) or len(value) != 4:
                    raise ConfigError(
                        "margins_mm 应是四个数（上、右、下、左，毫米）",
                        item=where,
                        hint="margins_mm = [37, 26, 35, 28]",
                    )
                values[name] = tuple(float(v) for v in value)
            else:
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                    raise ConfigError(f"{name} 应是正数（磅）", item=where, hint=f"{name} = 16")
                values[name] = float(value)
        return cls(**values)
