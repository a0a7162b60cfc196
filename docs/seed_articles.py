"""Write each built-in plugin's `articles.toml`: the article headings each of its documents has.

Run once by hand against the seed texts (the project never reads them at run or test time):

    python3 docs/seed_articles.py /work/shared/seeds

`tests/core/test_citations_true.py` checks every citation the plugins can produce against the
lists this writes, so a citation naming an article its document lacks fails a test.

How headings are found:
- 第X条 documents (file 000 per 篇, 001, 004): a `第X条` token that starts a line or follows
  whitespace, `)`, `）`, `]` or `。` and is followed by whitespace or the line's end (第四篇 of file
  000 puts each heading at the end of the previous article's line). Cross-references such as
  "本办法第四条第二款" are not headings and are left out by the same rule.
- File 000 is split into its five texts at the lines `第一篇:` … `第五篇:`.
- File 002 (Jilin's standard, the outside example plugin): numbered clauses such as `4.2.1`
  followed by whitespace; the standard has no 第X条.
- File 003 (Ningguo) numbers items 1-23 under headings 一、 to 七、: each item's heading is
  written `<section>、<n>.<item title>` (the title is the text up to the first 。), the form the
  plugin cites, e.g. `五、14.完善退出机制`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

NUM = "一二三四五六七八九十百零"
HEADING = re.compile(rf"(?:^|(?<=[\s)）\]。]))(第[{NUM}]+条)(?=\s|$)", re.M)
DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}


def number(article: str) -> int:
    """第二十九条 → 29."""
    text = article[1:-1]
    if text.startswith("十"):
        text = "一" + text
    total = current = 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch == "十":
            total, current = total + current * 10, 0
        elif ch == "百":
            total, current = total + current * 100, 0
    return total + current


def articles(text: str) -> list[str]:
    return sorted({m.group(1) for m in HEADING.finditer(text)}, key=number)


def ningguo(text: str) -> list[str]:
    out, section = [], ""
    for line in text.splitlines():
        head = re.match(r"^([一二三四五六七])、", line)
        if head:
            section = head.group(1)
            continue
        item = re.match(r"^(\d+)\.\s*([^。]+)。", line)
        if item and section:
            out.append(f"{section}、{item.group(1)}.{item.group(2).strip()}")
    return out


def clauses(text: str) -> list[str]:
    found = {m.group(1) for m in re.finditer(r"(?<![\d.])(\d+(?:\.\d+)+)(?=\s)", text)}
    return sorted((c for c in found if not c.startswith("0")), key=lambda c: [int(n) for n in c.split(".")])


# Each document's title as the seeds' README gives it (a citation's title must begin with it).
TITLES = {
    ("000_a0ecfbd89ce21d4d.txt", "第一篇"): "海淀区社区工作者管理办法(试行)",
    ("000_a0ecfbd89ce21d4d.txt", "第三篇"): "北京市社区管理办法",
    ("000_a0ecfbd89ce21d4d.txt", "第四篇"): "北京市社区工作者管理办法(试行)",
    ("000_a0ecfbd89ce21d4d.txt", "第五篇"): "沈阳市社区工作者管理办法",
    ("001_ab7657c5fca22a12.txt", ""): "温州市城乡社区规范化建设暂行办法",
    ("002_2b4eb2efeb6dbbb4.txt", ""): "城市社区工作者职业管理规范",
    ("003_7015e226fcf2d031.txt", ""): "关于建立“六定”工作机制激励社区工作者干事创业担当作为的实施意见",
    ("004_5569dc7a30480689.txt", ""): "重庆市九龙坡区社区工作者管理办法",
}


def block(file: str, part: str, headings: list[str]) -> str:
    title = TITLES[(file, part)]
    lines = ["[[document]]", f'file = "{file}"', f'part = "{part}"', f'title = "{title}"', "articles = ["]
    lines += [f'  "{h}",' for h in headings]
    return "\n".join([*lines, "]", ""])


HEADER = """# The article headings each document this plugin cites has, taken once from the seed texts by
# docs/seed_articles.py (see its docstring for how a heading is recognised); the project never reads
# the seeds. tests/core/test_citations_true.py fails when a citation names an article not listed here.
"""


def main(seeds: Path, root: Path) -> None:
    f000 = "000_a0ecfbd89ce21d4d.txt"
    text = (seeds / f000).read_text(encoding="utf-8")
    split = re.split(r"^(第[一二三四五]篇)[:：]", text, flags=re.M)
    parts = dict(zip(split[1::2], split[2::2], strict=True))
    plan = {
        "beijing": [(f000, p, articles(parts[p])) for p in ("第一篇", "第三篇", "第四篇")],
        "shenyang": [(f000, "第五篇", articles(parts["第五篇"]))],
        "wenzhou": [
            (f, "", articles((seeds / f).read_text(encoding="utf-8"))) for f in ["001_ab7657c5fca22a12.txt"]
        ],
        "jiulongpo": [
            (f, "", articles((seeds / f).read_text(encoding="utf-8"))) for f in ["004_5569dc7a30480689.txt"]
        ],
        "ningguo": [
            (f, "", ningguo((seeds / f).read_text(encoding="utf-8"))) for f in ["003_7015e226fcf2d031.txt"]
        ],
    }
    jilin = [
        (
            "002_2b4eb2efeb6dbbb4.txt",
            "",
            clauses((seeds / "002_2b4eb2efeb6dbbb4.txt").read_text(encoding="utf-8")),
        )
    ]
    targets = {root / "plugins" / plugin: docs for plugin, docs in plan.items()}
    targets[root / "examples" / "jilin" / "shegong_jilin"] = jilin
    for folder, docs in targets.items():
        body = HEADER + "\n" + "\n".join(block(*d) for d in docs)
        (folder / "articles.toml").write_text(body, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(__file__).resolve().parent.parent)
