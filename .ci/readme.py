"""Write README.md from nbs/index.ipynb (quarto, which `nbdev_readme` needs, is not available here).

Markdown cells are copied as they are (links to `images/` made relative to the repository root); code cells become ```python blocks; cells marked `#| hide` are
left out. `--check` writes nothing and fails when README.md differs from what it would write.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def render(nb_path: Path) -> str:
    parts = []
    for cell in json.loads(nb_path.read_text(encoding="utf-8"))["cells"]:
        src = "".join(cell["source"]).strip()
        if cell["cell_type"] == "markdown": parts.append(src.replace("](images/", "](nbs/images/"))  # paths from the repo root
        elif cell["cell_type"] == "code" and src and not src.startswith("#| hide"):
            parts.append("```python\n" + src + "\n```")
    return "\n\n".join(parts) + "\n"

if __name__ == "__main__":
    readme, text = root/"README.md", render(root/"nbs"/"index.ipynb")
    if "--check" in sys.argv[1:]:
        if not readme.exists() or readme.read_text(encoding="utf-8") != text:
            sys.exit("README.md is out of date with nbs/index.ipynb: run `python .ci/readme.py` and commit the result.")
        print("README.md matches nbs/index.ipynb")
    else:
        readme.write_text(text, encoding="utf-8")
