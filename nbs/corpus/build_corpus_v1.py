"""Build version 1 of nlae's built-in text corpus, `nlae/corpus/passages-v1.jsonl.gz`, from offline sources only.

Run from the repository root:

    python nbs/corpus/build_corpus_v1.py

The corpus is about 2,400 short English passages of five kinds (narrative, dialogue, instructions, facts, code),
one JSON object per line: {"text": ..., "kind": ..., "source": ...}. The sources are

* the Python standard library that runs this script: docstrings (`inspect` over a fixed, sorted list of modules),
  the language-reference topics `pydoc` ships (`pydoc_data.topics`), IDLE's help page and extension notes
  (`idlelib/help.html`, `idlelib/extend.txt`), and the source of small public functions (PSF License);
* passages written by the default model, SmolLM2-135M-Instruct, from the prompt lists below (greedy decoding, so
  the same prompts, weights and library versions give the same text).

Everything is deterministic: fixed module list, sorted iteration, greedy decoding, seeded selection and shuffling,
and a gzip header with mtime=0, so a rerun with the same Python, torch and transformers is byte-identical.
The model part costs about 24 CPU-minutes (10-12 minutes on 2 idle cores, longer on a busy machine).
`--save-generations F` writes the raw model outputs to F and `--generations F` reuses them instead of running
the model (handy when tuning the filters; the result is the same as a full run's).
"""

import argparse, gzip, hashlib, html.parser, importlib, inspect, io, json, random, re, sys, sysconfig, textwrap, time, warnings, zlib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT_PATH = REPO / "nlae" / "corpus" / "passages-v1.jsonl.gz"  # version 1; build_corpus.py builds version 2
KINDS = ("narrative", "dialogue", "instructions", "facts", "code")
PY = f"python-{sys.version_info.major}.{sys.version_info.minor}"
TARGET_TOTAL = 2400
CODE_SHARE = 0.2  # of TARGET_TOTAL; the stdlib offers far more functions than we want
MIN_WORDS, MAX_WORDS, CHUNK_WORDS = 40, 250, 200
SEED = 0

# ---------------------------------------------------------------------------------------------------------------
# Prompts for the model. Lists are crossed with fixed offsets so every (template, subject) pair is distinct.

PROTAGONISTS = [
    "a lighthouse keeper", "a young baker", "a retired astronaut", "a shy librarian", "a street musician",
    "a farmer's daughter", "an old fisherman", "a robot vacuum cleaner", "a village doctor", "a talking fox",
    "a new teacher", "a ship's cook", "a night-shift nurse", "a clockmaker", "a beekeeper",
    "a teenage chess player", "a mail carrier", "a mountain guide", "a small dragon", "a train conductor",
    "a widowed gardener", "a detective with a cold", "a circus acrobat", "a software engineer", "a museum guard",
    "a taxi driver", "a stray cat", "a school janitor", "a young inventor", "a forest ranger",
    "a tired king", "a deep-sea diver", "a piano tuner", "a pair of twin sisters"]
SITUATIONS = [
    "who finds a mysterious key", "on the night of a great storm", "who loses something precious",
    "who must keep a difficult promise", "who meets a stranger at a crossroads", "on the first day of winter",
    "who discovers a hidden room", "who is given a strange gift", "during a town festival",
    "who gets lost in a big city", "who has to make a hard choice", "who learns an old family secret",
    "on a long train journey", "who tries to fix a mistake", "who makes an unlikely friend",
    "who receives a letter from the past", "during a power cut", "who enters a competition",
    "who must cross a wide river", "on the last day before moving away", "who finds a map in an attic",
    "who hears music that nobody else can hear", "who is snowed in for a week", "who rescues an injured bird",
    "who wakes up with a new talent", "on the day all the clocks stopped", "who has to give a speech",
    "who plants a very unusual seed", "who finds a wallet full of money", "who is afraid of the dark",
    "who visits their childhood home", "who finds a message in a bottle", "who must deliver a parcel by midnight",
    "who sees a comet"]
NARRATIVE_TEMPLATES = [
    "Write a short story about {p} {s}.",
    "Tell a short story in the first person about {p} {s}.",
    "Write a fable for children about {p} {s}, and end it with a moral.",
    "Write the opening paragraphs of a novel about {p} {s}.",
    "Write a bedtime story about {p} {s}.",
    "Write a short story with a surprise ending about {p} {s}.",
    "Write a diary entry by {p} {s}.",
    "Write a short mystery story about {p} {s}."]

NAMES = [
    "Maya", "Tom", "Aisha", "Luis", "Ruth", "Kofi", "Ada", "Hiroshi", "Elena", "Samir", "Grace", "Ivan", "Priya",
    "Oscar", "Mei", "Daniel", "Fatima", "Jonas", "Chloe", "Mateo", "Nadia", "Peter", "Zara", "Liam", "Ines",
    "Kwame", "Sofia", "Arjun", "Hannah", "Diego", "Yuki", "Marcus", "Leila", "Ben", "Olga", "Tariq", "Rosa",
    "Felix", "Amara", "George"]
SCENES = [  # (role of the first speaker, role of the second, what they talk about)
    ("a customer", "a baker", "about a birthday cake order"),
    ("a passenger", "a ticket inspector", "on a train, about a lost ticket"),
    ("a patient", "a doctor", "about a sore knee"),
    ("a student", "a teacher", "about a late homework assignment"),
    ("a tourist", "a shopkeeper", "about directions to the old castle"),
    ("a job applicant", "an interviewer", "at an interview for a library assistant job"),
    ("a pilot", "an air traffic controller", "during a foggy landing"),
    ("a grandparent", "their grandchild", "while baking bread together"),
    ("an astronaut", "a crewmate", "while repairing a solar panel on a space station"),
    ("a detective", "a nervous witness", "about a stolen painting"),
    ("a customer", "a mechanic", "about a strange noise in a car"),
    ("a hotel guest", "a receptionist", "about a room with a broken heater"),
    ("a gardener", "a neighbour", "about a tree that blocks the sun"),
    ("a coach", "a young football player", "before an important match"),
    ("a reporter", "a scientist", "about a newly discovered species of frog"),
    ("a shopper", "a cashier", "about a price mistake"),
    ("a camper", "a park ranger", "about a bear seen near the campsite"),
    ("a landlord", "a tenant", "about a leaking roof"),
    ("a sailor", "a ship's captain", "as a storm approaches"),
    ("a waiter", "a diner", "about a dish that is too salty"),
    ("a parent", "their teenage child", "about borrowing the car"),
    ("a librarian", "a visitor", "who is searching for a rare book"),
    ("a programmer", "a colleague", "about a bug that only appears on Fridays"),
    ("a farmer", "a vet", "about a sick cow"),
    ("a musician", "a sound engineer", "before a concert"),
    ("a queen", "her royal advisor", "about a failed harvest"),
    ("a museum guide", "a curious child", "in front of a dinosaur skeleton"),
    ("a customer", "a phone support agent", "about a laptop that will not start"),
    ("a retired teacher", "a former student", "meeting by chance at a market"),
    ("a police officer", "a driver", "at a traffic stop"),
    ("a chef", "a kitchen apprentice", "during a busy dinner service"),
    ("a hiker", "a mountain guide", "about whether to turn back before the summit"),
    ("a bride", "a wedding planner", "the day before the wedding"),
    ("a robot", "the engineer who built it", "about what it means to be happy")]
DIALOGUE_TEMPLATES = [
    "Write a short dialogue between {a}, {ra}, and {b}, {rb}, {ctx}.",
    "Write a conversation between {a}, {ra}, and {b}, {rb}, {ctx}.",
    "Write a funny dialogue between {a}, {ra}, and {b}, {rb}, {ctx}.",
    "Write a tense conversation between {a}, {ra}, and {b}, {rb}, {ctx}.",
    "Write a friendly chat between {a}, {ra}, and {b}, {rb}, {ctx}.",
    "Write a scene from a play: a dialogue between {a}, {ra}, and {b}, {rb}, {ctx}.",
    "Write a short argument between {a}, {ra}, and {b}, {rb}, {ctx}.",
    "Write a polite conversation between {a}, {ra}, and {b}, {rb}, {ctx}."]
DIALOGUE_FORMAT = " Only {a} and {b} speak. Write each line as 'Name: words'."

TASKS = [
    "bake a loaf of bread", "change a flat bicycle tyre", "plant tomato seeds", "make a cup of tea",
    "tie a bowline knot", "wash a wool sweater by hand", "set up a fish tank", "write a cover letter",
    "prepare for a job interview", "clean a laptop keyboard", "start a compost heap", "make a paper aeroplane",
    "back up the files on a computer", "paint a room", "juggle three balls", "care for a houseplant",
    "pitch a tent", "cook rice on a stove", "make a monthly budget", "iron a shirt", "sharpen a kitchen knife",
    "build a wooden birdhouse", "teach a puppy to sit", "study for an exam", "organise a wardrobe",
    "make pancakes", "jump-start a car", "unclog a kitchen sink", "fold a fitted sheet",
    "brew coffee with a French press", "sew on a button", "plan a birthday party", "start running as a beginner",
    "make a simple web page", "take a good photograph with a phone", "meditate for ten minutes",
    "pack a suitcase for a week away", "make a fruit smoothie", "change a light bulb safely",
    "create a strong password", "find your way with a map and compass", "write a thank-you note",
    "build a snowman", "prepare a home emergency kit", "give a short presentation", "make pizza dough",
    "clean windows without streaks", "measure a room for a new carpet", "grow herbs on a windowsill",
    "draw a family tree", "learn vocabulary in a foreign language", "set up a chess board", "repot a plant",
    "make lemonade", "wrap a present neatly", "boil an egg"]
INSTRUCTION_TEMPLATES = [
    "Explain step by step how to {t}.",
    "Give clear instructions for a beginner on how to {t}."]

FACT_SUBJECTS = [
    "volcanoes", "honeybees", "the water cycle", "the Moon", "photosynthesis", "the Roman Empire", "glaciers",
    "the human heart", "rainbows", "the printing press", "octopuses", "the Sahara Desert", "electricity",
    "the Great Wall of China", "ocean tides", "penguins", "the immune system", "coral reefs", "earthquakes",
    "the planet Mars", "the invention of the telephone", "bamboo", "the Amazon rainforest", "sound waves",
    "the Olympic Games", "black holes", "the Nile River", "vaccines", "the internet", "whales", "chocolate",
    "the periodic table", "tornadoes", "ancient Egypt", "magnets", "the human brain", "clouds", "the piano",
    "tea", "bicycles", "the Arctic", "DNA", "recycling", "the Industrial Revolution", "butterflies", "the Sun",
    "mountains", "public libraries"]
FACT_TEMPLATE = "Write a short factual paragraph about {s}."


def model_prompts() -> list[dict]:
    "Every prompt for the model as {id, kind, prompt}, in a fixed order."
    prompts = []
    for j, template in enumerate(NARRATIVE_TEMPLATES):
        for i, protagonist in enumerate(PROTAGONISTS):
            situation = SITUATIONS[(i + 7 * j) % len(SITUATIONS)]  # offsets 0, 7, ..., 49: no pair repeats
            prompts.append(dict(kind="narrative", prompt=template.format(p=protagonist, s=situation)))
    for j, template in enumerate(DIALOGUE_TEMPLATES):
        for i, (role_a, role_b, context) in enumerate(SCENES):
            a, b = NAMES[(i + 11 * j) % len(NAMES)], NAMES[(i + 11 * j + 17) % len(NAMES)]
            text = template.format(a=a, ra=role_a, b=b, rb=role_b, ctx=context) + DIALOGUE_FORMAT.format(a=a, b=b)
            prompts.append(dict(kind="dialogue", prompt=text))
    for template in INSTRUCTION_TEMPLATES:
        prompts += [dict(kind="instructions", prompt=template.format(t=task)) for task in TASKS]
    prompts += [dict(kind="facts", prompt=FACT_TEMPLATE.format(s=subject)) for subject in FACT_SUBJECTS]
    counters = Counter()
    for p in prompts:
        p["id"] = f"{p['kind']}-{counters[p['kind']]:03d}"
        counters[p["kind"]] += 1
    return prompts


# ---------------------------------------------------------------------------------------------------------------
# Generation with SmolLM2-135M-Instruct.

BATCH_SIZE, MAX_NEW_TOKENS, NO_REPEAT_NGRAM = 32, 128, 5
# 1.2 makes the model swap in new speakers (it penalises the speakers' names), so dialogues get a milder penalty.
REPETITION_PENALTY = dict(narrative=1.2, dialogue=1.1, instructions=1.2, facts=1.2)


def generate(prompts: list[dict]) -> list[dict]:
    "Each prompt with the model's reply `output` and whether it stopped by itself (`finished`)."
    import torch
    from nlae.models import load_subject
    torch.manual_seed(SEED)
    model, tokenizer = load_subject("smollm2-135m", device="cpu")
    tokenizer.padding_side = "left"  # decoder-only batches must end where generation starts
    eos_ids = {tokenizer.eos_token_id, tokenizer.convert_tokens_to_ids("<|im_end|>")}
    batches = [[p for p in prompts if p["kind"] == kind][i:i + BATCH_SIZE]
               for kind in REPETITION_PENALTY for i in range(0, sum(p["kind"] == kind for p in prompts), BATCH_SIZE)]
    results, wall, cpu = [], time.perf_counter(), time.process_time()
    for n, batch in enumerate(batches, 1):
        chats = [tokenizer.apply_chat_template([{"role": "user", "content": p["prompt"]}], tokenize=False,
                                               add_generation_prompt=True) for p in batch]
        inputs = tokenizer(chats, return_tensors="pt", padding=True, add_special_tokens=False)
        with torch.no_grad():
            out = model.generate(**inputs, do_sample=False, max_new_tokens=MAX_NEW_TOKENS,
                                 repetition_penalty=REPETITION_PENALTY[batch[0]["kind"]],
                                 no_repeat_ngram_size=NO_REPEAT_NGRAM, pad_token_id=tokenizer.pad_token_id)
        for p, row in zip(batch, out[:, inputs["input_ids"].shape[1]:].tolist()):
            finished = any(t in eos_ids for t in row)
            results.append(dict(p, output=tokenizer.decode(row, skip_special_tokens=True), finished=finished))
        print(f"  batch {n}/{len(batches)} ({batch[0]['kind']}): {time.perf_counter() - wall:.0f}s wall, "
              f"{time.process_time() - cpu:.0f}s CPU", file=sys.stderr, flush=True)
    print(f"generation: {len(results)} passages in {time.perf_counter() - wall:.0f}s wall, "
          f"{time.process_time() - cpu:.0f}s CPU")
    return results


# ---------------------------------------------------------------------------------------------------------------
# Text clean-up and quality filters.

STOPWORDS = set("""the a an and or but of to in on at for with from by is are was were be been it its this that these
those as not no he she they we you i his her their our your my me him them there here what which who when where how if
then so do does did have has had can will would should could may might must""".split())
SPEAKER_LINE = re.compile(r"^\W{0,3}[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)?\W{0,3}(?:\s*\([^)]*\))?\s*:")
SENTENCE_END = re.compile(r"(?<![\d\s])[.!?][\"'”’)*]*(?=\s|$)")  # not "3." opening a list item


def n_words(text: str) -> int: return len(text.split())


def looks_english(text: str) -> bool:
    "Mostly ASCII letters and a normal share of common English function words."
    letters = [c for c in text if c.isalpha()]
    if not letters or sum(not c.isascii() for c in letters) > 0.02 * len(letters): return False
    words = re.findall(r"[a-z']+", text.lower())
    return bool(words) and sum(w in STOPWORDS for w in words) >= 0.2 * len(words)


def degenerate(text: str) -> bool:
    "Highly repetitive text: few distinct words, a repeated line, or text that compresses too well."
    words = text.lower().split()
    if len(set(words)) < 0.35 * len(words): return True
    lines = Counter(l.strip() for l in text.splitlines() if len(l.strip()) > 15)
    if lines and lines.most_common(1)[0][1] >= 3: return True
    raw = text.encode()
    return len(zlib.compress(raw, 9)) < 0.33 * len(raw)


def tidy(text: str) -> str:
    "Common indentation and trailing spaces off, at most one blank line in a row."
    text = textwrap.dedent("\n".join(line.rstrip() for line in text.splitlines())).strip("\n")
    return re.sub(r"\n{3,}", "\n\n", text)


def trim_unfinished(text: str) -> str:
    "Cut a reply that ran out of tokens back to the end of its last complete sentence."
    ends = list(SENTENCE_END.finditer(text))
    return text[:ends[-1].end()] if ends else ""


def clean_generation(g: dict) -> str | None:
    "The usable passage in one model reply, or None."
    text = tidy(g["output"])
    if not g["finished"]: text = tidy(trim_unfinished(text))
    if not MIN_WORDS <= n_words(text) <= MAX_WORDS or not looks_english(text) or degenerate(text): return None
    if re.match(r"(I'm sorry|I am sorry|I cannot|I can't|As an AI)", text): return None  # refusals
    if g["kind"] == "dialogue":
        speakers = {re.sub(r"\W", "", m.group(0).split("(")[0]) for m in map(SPEAKER_LINE.match, text.splitlines()) if m}
        if len(speakers) < 2: return None  # not written as lines of a dialogue
    return text


# ---------------------------------------------------------------------------------------------------------------
# Standard-library text: docstrings, pydoc topics, IDLE help, function source.

STDLIB_MODULES = sorted("""abc argparse ast asyncio.base_events asyncio.locks asyncio.queues asyncio.streams
asyncio.tasks base64 bisect builtins bz2 calendar cmd codecs collections colorsys concurrent.futures configparser
contextlib copy csv dataclasses datetime decimal difflib doctest email.message email.utils enum filecmp fileinput
fnmatch fractions ftplib functools getopt gettext glob graphlib gzip hashlib heapq hmac html html.parser http.client
http.cookiejar http.server imaplib inspect io ipaddress itertools json json.decoder json.encoder locale logging
logging.handlers lzma mailbox math mimetypes multiprocessing.pool netrc numbers operator optparse os os.path pathlib
pdb pickle pickletools platform plistlib poplib pprint profile pstats queue quopri random re reprlib sched secrets
selectors shelve shlex shutil smtplib socket socketserver sqlite3 ssl statistics string struct subprocess sysconfig
tabnanny tarfile tempfile textwrap threading time timeit tokenize trace traceback tracemalloc types typing unittest
unittest.mock urllib.parse urllib.request uuid warnings wave weakref xml.dom.minidom xml.etree.ElementTree
xml.sax.saxutils zipfile zipimport zlib zoneinfo""".split())
IMPERATIVES = set("""Use Call Pass Set Run Create Make Add Remove Override Specify Avoid Do Don't Always Never Try
Consider Give Put Open Close Write Install Define Subclass Replace Check Ensure Start Stop Type Enter Press Choose
Select Provide Register Wrap Import Instead First Then Finally Click Save Show""".split())
# lines that are not wrapped prose: indented, doctest, list item, "name -- help", "Heading:", table row or column
LIST_OR_CODE_LINE = re.compile(r"^(\s|>>>|\.\.\.|[-*+•] |\d+[.)] |[A-Za-z_][\w.]*\s*--|\S+\s*:\s*$|[+|])|[^.?!:\s] {3,}\S")


def public_members(module) -> list[tuple[str, object]]:
    "(qualified name, object) for a module, its public functions and classes, and their public methods, sorted."
    members = [(module.__name__, module)]
    own = lambda obj: getattr(obj, "__module__", None) == module.__name__
    for name, obj in sorted(vars(module).items()):
        if name.startswith("_") or not own(obj) or not (inspect.isclass(obj) or inspect.isroutine(obj)): continue
        members.append((f"{module.__name__}.{name}", obj))
        if inspect.isclass(obj):
            # skip methods other packages patch in (transformers adds Logger.warning_once); C methods have no
            # __module__ and are always the class's own
            members += [(f"{module.__name__}.{name}.{m}", meth) for m, meth in sorted(vars(obj).items())
                        if not m.startswith("_") and inspect.isroutine(meth)
                        and getattr(meth, "__module__", None) in (None, module.__name__)]
    return members


def reflow(text: str) -> str:
    "Join the hard-wrapped lines of prose paragraphs (keeping their indent); leave lists, code and doctests alone."
    paragraphs = []
    for para in re.split(r"\n\s*\n", text.strip("\n")):
        lines = para.splitlines()
        indent = len(lines[0]) - len(lines[0].lstrip())
        # prose: one indent throughout, no list/code/doctest lines, every line but the last filled out
        if (all(len(l) - len(l.lstrip()) == indent and not LIST_OR_CODE_LINE.search(l[indent:]) for l in lines)
                and all(len(l) >= 40 + indent for l in lines[:-1])):
            para = " " * indent + re.sub(r"(?<=[.?!]) {2,}", " ", " ".join(l.strip() for l in lines))
        paragraphs.append(para)
    return "\n\n".join(paragraphs)


def chunks(paragraphs: list[str]) -> list[str]:
    "Consecutive paragraphs grouped into passages of at most CHUNK_WORDS words (longer paragraphs alone)."
    out, current = [], []
    for para in paragraphs:
        if current and n_words("\n\n".join(current + [para])) > CHUNK_WORDS:
            out.append("\n\n".join(current)); current = []
        current.append(para)
    if current: out.append("\n\n".join(current))
    out = [re.sub(r"(\n\n[^\n]*:)+$", "", c) for c in out]  # a trailing "See also:" belongs to the next chunk
    return [c for c in out if MIN_WORDS <= n_words(c) <= MAX_WORDS]


def split_long(text: str) -> list[str]:
    "`text` whole if it is short enough, else cut into paragraph-aligned chunks."
    if n_words(text) <= MAX_WORDS: return [text] if n_words(text) >= MIN_WORDS else []
    return chunks(re.split(r"\n\s*\n", text))


def doctest_share(text: str) -> float:
    "The share of non-blank lines that are doctest input (>>>, ...) or the output printed after it."
    lines, in_example, example_lines = [l.strip() for l in text.splitlines() if l.strip()], False, 0
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith((">>>", "...")): in_example = True
        elif not stripped: in_example = False
        if stripped and in_example: example_lines += 1
    return example_lines / max(len(lines), 1)


def doc_kind(text: str, default: str = "facts") -> str:
    "code for mostly doctest examples; instructions when the text tells the reader what to do; else `default`."
    if doctest_share(text) >= 0.4: return "code"
    sentences = re.split(r"(?<=[.!?:])\s+|\n\s*\n", text)
    imperative = sum(1 for s in sentences if s.split() and s.split()[0].strip("*\"'(`") in IMPERATIVES)
    you = len(re.findall(r"\byour?\b", text, re.I))
    guidance = len(re.findall(r"\b(usage|should be|must be|in order to|to use|can be used to)\b", text, re.I))
    score = 2 * imperative + you + guidance
    return "instructions" if score >= 3 and score >= 2 * n_words(text) / 100 else default


def docstring_passages() -> tuple[list[dict], list[dict]]:
    "Passages from docstrings, and code passages from the source of small public functions and methods."
    docs, code = [], []
    warnings.simplefilter("ignore", DeprecationWarning)  # typing.io and typing.re warn when touched
    for module_name in STDLIB_MODULES:
        module = importlib.import_module(module_name)
        for qualname, obj in public_members(module):
            doc = obj.__doc__ if isinstance(getattr(obj, "__doc__", None), str) else None  # own docstring, not inherited
            if doc:
                # pdb's do_* docstrings are the debugger's command help: how to use each command
                default = "instructions" if ".Pdb.do_" in qualname else "facts"
                for text in split_long(reflow(inspect.cleandoc(doc))):
                    docs.append(dict(text=text, kind=doc_kind(text, default), source=f"{PY} stdlib docstring: {qualname}"))
            if inspect.isfunction(obj):
                try: source = textwrap.dedent(inspect.getsource(obj))
                except (OSError, TypeError): continue
                if 6 <= source.count("\n") <= 40 and MIN_WORDS <= n_words(source) <= MAX_WORDS and len(source) <= 2000:
                    code.append(dict(text=source.rstrip(), kind="code", source=f"{PY} stdlib source: {qualname}"))
    return docs, code


def topic_passages() -> list[dict]:
    "Passages from the language-reference topics that pydoc shows for `help('for')` and the like."
    from pydoc_data.topics import topics
    passages = []
    for name in sorted(topics):
        lines = topics[name].splitlines()
        # drop headings (a line underlined with *, = or -) and their underlines
        keep = [l for i, l in enumerate(lines) if not re.fullmatch(r"[*=\-~^]{3,}", l.strip())
                and not (i + 1 < len(lines) and re.fullmatch(r"[*=\-~^]{3,}", lines[i + 1].strip()))]
        paragraphs = [p for p in re.split(r"\n\s*\n", reflow("\n".join(keep)))
                      if p.strip() and "::=" not in p and not re.match(r"\s*(-\[|\[\d+\])", p)]  # no grammar or footnotes
        default = "instructions" if name == "debugger" else "facts"  # pdb's manual: how to use each command
        passages += [dict(text=t, kind=doc_kind(t, default), source=f"{PY} pydoc topic: {name}")
                     for t in chunks(paragraphs)]
    return passages


class _HelpPageText(html.parser.HTMLParser):
    "The main text of a Sphinx HTML page as (section title, paragraph) pairs; definition terms lead their text."
    BLOCKS = {"p", "li", "dt", "h1", "h2", "h3", "h4"}

    def __init__(self):
        super().__init__()
        self.inside, self.skip, self.buffer, self.section, self.term, self.paragraphs = False, 0, [], "", None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("id") == "idle": self.inside = True
        if tag == "div" and "sphinxsidebar" in (attrs.get("class") or ""): self.inside = False
        if tag == "pre" or (tag == "a" and "headerlink" in (attrs.get("class") or "")): self.skip += 1
        if tag in self.BLOCKS: self.buffer = []

    def handle_endtag(self, tag):
        if tag == "pre" or (tag == "a" and self.skip): self.skip = max(0, self.skip - 1)
        if tag not in self.BLOCKS or not self.inside: return
        text = re.sub(r"\s+", " ", "".join(self.buffer)).strip()
        if not text: return
        if tag.startswith("h"): self.section = text
        elif tag == "dt": self.term = text
        else:
            if self.term: text, self.term = f"{self.term}: {text}", None
            self.paragraphs.append((self.section, text))

    def handle_data(self, data):
        if self.inside and not self.skip: self.buffer.append(data)


def idle_passages() -> list[dict]:
    "Passages from IDLE's help page and its notes on writing extensions: mostly how to do things in IDLE."
    idlelib = Path(sysconfig.get_paths()["stdlib"]) / "idlelib"
    parser = _HelpPageText()
    parser.feed((idlelib / "help.html").read_text(encoding="utf-8"))
    passages, sections = [], {}
    for section, text in parser.paragraphs: sections.setdefault(section, []).append(text)
    for section, paragraphs in sections.items():  # dicts keep the page's order
        passages += [dict(text=t, kind=doc_kind(t, "instructions"), source=f"{PY} IDLE help: {section}")
                     for t in chunks(paragraphs)]
    extend = [p for p in re.split(r"\n\s*\n", reflow((idlelib / "extend.txt").read_text(encoding="utf-8")))
              if not re.search(r"^[=\-]{3,}$", p, re.M)]
    passages += [dict(text=t, kind=doc_kind(t, "instructions"), source=f"{PY} idlelib/extend.txt")
                 for t in chunks(extend)]
    return passages


# ---------------------------------------------------------------------------------------------------------------
# Assembly.

def dedup_key(text: str) -> str:
    "Passages that share their first 40 words count as duplicates (overloads and subclasses repeat docstrings)."
    return " ".join(re.findall(r"\w+", text.lower())[:40])


def seeded_hash(passage: dict) -> str:
    "A stable pseudo-random sort key for a passage."
    return hashlib.sha256(f"{SEED}\0{passage['source']}\0{passage['text']}".encode()).hexdigest()


def assemble(candidates: list[dict]) -> list[dict]:
    "Filter, deduplicate, cap code and facts so the kinds stay balanced, and shuffle with a fixed seed."
    seen, kept = set(), []
    for c in candidates:
        c["text"] = tidy(c["text"])
        if not MIN_WORDS <= n_words(c["text"]) <= MAX_WORDS: continue
        if c["kind"] != "code" and (not looks_english(c["text"]) or degenerate(c["text"])): continue
        if (key := dedup_key(c["text"])) in seen: continue
        seen.add(key); kept.append(c)
    by_kind = {k: [c for c in kept if c["kind"] == k] for k in KINDS}
    # Code and facts are plentiful: keep the first ones in a seeded hash order, which (unlike random.sample) keeps
    # the same passages when another Python version adds or drops a few candidates.
    by_kind["code"] = sorted(by_kind["code"], key=seeded_hash)[:round(CODE_SHARE * TARGET_TOTAL)]
    room = TARGET_TOTAL - sum(len(v) for k, v in by_kind.items() if k != "facts")
    by_kind["facts"] = sorted(by_kind["facts"], key=seeded_hash)[:max(room, 0)]
    passages = [dict(text=c["text"], kind=c["kind"], source=c["source"]) for k in KINDS for c in by_kind[k]]
    random.Random(SEED).shuffle(passages)
    return passages


def write_jsonl_gz(passages: list[dict], path: Path):
    "One JSON object per line, gzipped with a fixed header (no mtime, no file name) so reruns are byte-identical."
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in passages).encode("utf-8")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as f: f.write(body)
    path.write_bytes(buffer.getvalue())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--generations", type=Path, help="reuse raw model outputs saved by --save-generations")
    parser.add_argument("--save-generations", type=Path, help="also write the raw model outputs here (JSON lines)")
    parser.add_argument("--out", type=Path, default=OUT_PATH)
    args = parser.parse_args()
    start = time.perf_counter()

    # The standard library first: torch and transformers patch some of it (inspect.getfile, logging.Logger)
    docs, code = docstring_passages()
    stdlib = docs + code + topic_passages() + idle_passages()
    print("stdlib candidates:", dict(Counter(p["kind"] for p in stdlib)))

    if args.generations:
        generations = [json.loads(l) for l in args.generations.read_text(encoding="utf-8").splitlines()]
    else:
        generations = generate(model_prompts())
    if args.save_generations:
        args.save_generations.write_text("".join(json.dumps(g) + "\n" for g in generations), encoding="utf-8")
    model_texts = []
    for g in generations:
        if (text := clean_generation(g)) is not None:
            model_texts.append(dict(text=text, kind=g["kind"], source=f"smollm2-135m greedy: {g['id']}"))
    print(f"model: kept {len(model_texts)} of {len(generations)} replies")

    passages = assemble(model_texts + stdlib)
    write_jsonl_gz(passages, args.out)
    counts = Counter(p["kind"] for p in passages)
    print(f"wrote {len(passages)} passages to {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    for kind in KINDS: print(f"  {kind:<13}{counts[kind]:>5}  ({counts[kind] / len(passages):.0%})")
    words = sorted(n_words(p["text"]) for p in passages)
    print(f"words per passage: median {words[len(words) // 2]}, min {words[0]}, max {words[-1]}")
    print(f"file size: {args.out.stat().st_size / 1e6:.2f} MB; total time {time.perf_counter() - start:.0f}s")


if __name__ == "__main__":
    main()
