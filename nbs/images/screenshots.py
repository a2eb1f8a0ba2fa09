"""The docs' screenshots of the three inspector pages, for an NLA and the output folder of the recipe that trained it:

    python nbs/images/screenshots.py nlae/nlas/smollm2-135m-L20 <recipe out-dir> nbs/images

The token inspector and the explanation editor read "The Eiffel Tower is in Paris, the capital of France."; the
dashboard draws the AV's warm start from the recipe's AV checkpoint. Needs Chromium (Debian's 'chromium')."""
import json, re, sys
from pathlib import Path
from nlae.nla import NLA
from nlae.inspect import TokenInspector, ExplanationEditor, TrainingDashboard, render_in_browser

nla_dir, recipe_dir, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
nla = NLA.load(nla_dir, device="cpu")
sentence = "The Eiffel Tower is in Paris, the capital of France."
inspector = TokenInspector(nla, sentence)  # the page shows the token of highest skill
editor = ExplanationEditor(nla, sentence, position=-3)  # " of", where the subject expects " France"
editor.update(re.sub(r'Next: "[^"]*"', 'Next: "Japan"', editor.original))  # does the prediction follow the claim?
history = json.loads((recipe_dir / "checkpoints/av-checkpoint/state.json").read_text())["history"]
board = TrainingDashboard(title=f"the AV's warm start ({len(history)} steps)")
for record in history: board(record)
for name, view in (("inspect_tokens", inspector), ("inspect_editor", editor), ("inspect_dashboard", board)):
    render_in_browser(view.to_html(out / f"{name}.html"), out / f"{name}.png")
    (out / f"{name}.html").unlink()
best = inspector.rows[inspector.selected]  # read() selected the token of highest skill, the one the page shows
print(f"inspector: {best['token']!r}: {best['explanation']}")
print(f"editor: {editor.original!r} -> {editor.effect['edited']!r}: KL {editor.effect['kl']:.3f} nats")
