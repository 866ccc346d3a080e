"""Property: whatever garbage lies beside good articles, ``kg build`` exits 0 without a traceback,
says one line per bad file, and builds every good one.

Hypothesis generates the bad files (binary bytes, invalid UTF-8, lone surrogates through JSON
escapes, bodies over the model's limit, control characters only, malformed front matter, deep
JSON nesting, HTML without a body, empty files) and good articles made hostile but still
readable (control, zero-width and bidirectional characters inside, odd URLs, hostile Markdown),
in every ingest format.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import kg
from kg.cli import app
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "corpus12"
BASE = [CORPUS / "07_erdogan_call.txt", CORPUS / "10_guterres_kazan.txt"]
SENTENCES = ["Vladimir Putin met Kim Jong Un in Pyongyang on Wednesday.",
             "Turkish President Recep Tayyip Erdogan spoke with Volodymyr Zelensky by phone.",
             "The two leaders discussed drones and electronic warfare, state media said."]


@dataclass(frozen=True)
class File:
    name: str
    data: bytes
    good: bool


words = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), min_size=1, max_size=30)
controls = st.text(alphabet=st.sampled_from(["\x1b", "\x07", "\x01", "\x9b", "\x7f", "\x08", "\x0c", "\r", "\u200b"]),
                   min_size=1, max_size=20)
invisible = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069",
                             "\ufeff", "\u00ad", "\x1b[31m", "\x07"])
odd_urls = st.one_of(
    st.sampled_from(["javascript://%0aalert(1)", "http://x/<script>", "http://[::1", "https://example.org/a b",
                     "http://x/%zz", "file:///etc/passwd", "data:text/html,<b>x</b>", "//no-scheme", "http://x/a#b#c",
                     "https://例え.テスト/パス", "http://x/" + "a" * 5000, "mailto:a@b", ""]),
    st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]), max_size=60),
)


@st.composite
def good_files(draw: st.DrawFn, n: int) -> File:
    """A readable article, made as hostile as it can be while staying one."""
    body = " ".join(draw(st.permutations(SENTENCES))) + f" Report {n}: " + draw(words)
    dirty = "".join(w + draw(invisible) for w in body.split(" "))
    kind = draw(st.sampled_from(["txt", "md", "json", "jsonl", "html"]))
    title = f"Report {n} " + draw(invisible) + "on the talks"
    if kind == "txt":
        data = f" date 2025-0{1 + n % 9}-1{n % 10} {title}\n\n{dirty}\n"
    elif kind == "md":
        hostile = draw(st.sampled_from(["<http:" * 300, "*x " * 300, "[a](" * 300, "`" * 301, "\\" * 500]))
        # YAML's double quotes take JSON's escapes, but not a character outside the BMP escaped as
        # a surrogate pair: such characters go in raw
        quoted = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731
        data = f"---\ntitle: {quoted(title)}\nurl: {quoted(draw(odd_urls))}\n---\n\n# {title}\n\n{dirty}\n\n{hostile}\n"
    elif kind in ("json", "jsonl"):
        data = json.dumps({"title": title, "text": dirty, "url": draw(odd_urls), "date": draw(words)}) + "\n"
    else:
        paragraphs = "".join(f"<p>{s} {draw(invisible)}</p>\n" for s in [*SENTENCES, body, body])
        data = (f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
                f"{paragraphs}</article></body></html>")
    return File(f"good-{n}.{kind}", data.encode("utf-8"), True)


@st.composite
def bad_files(draw: st.DrawFn, n: int) -> File:
    """A file that cannot be an article: exactly one line on stderr names it."""
    kind = draw(st.sampled_from(["binary", "not-utf8", "surrogate", "too-long", "controls-only", "front-matter",
                                 "front-matter-list", "deep-json", "deep-object", "html-no-body", "empty"]))
    text = draw(words)
    if kind == "binary":
        raw = draw(st.binary(max_size=200))
        data, suffix = raw[: len(raw) // 2] + b"\x00" + raw[len(raw) // 2:], "txt"
    elif kind == "not-utf8":
        data, suffix = text.encode() + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88"])), draw(
            st.sampled_from(["txt", "md", "json", "html"]))
    elif kind == "surrogate":
        where = draw(st.sampled_from(["title", "text"]))
        record = {"title": "A title", "text": "Putin spoke in Moscow."}
        record[where] += " \\ud" + draw(st.sampled_from(["800", "bff", "c00", "fff"])) + " " + text
        data, suffix = json.dumps(record).replace("\\\\ud", "\\ud").encode(), "json"
    elif kind == "too-long":
        data, suffix = (" date 2025-01-01 Long\n\n" + (text + " ") * (1_000_001 // (len(text) + 1) + 1)).encode(), "txt"
    elif kind == "controls-only":
        data, suffix = draw(controls).encode(), draw(st.sampled_from(["txt", "md"]))
    elif kind == "front-matter":
        data, suffix = f"---\ntitle: [{text.replace(']', '')}\nurl: x\n---\nPutin met Kim.\n".encode(), "md"
    elif kind == "front-matter-list":
        data, suffix = b"---\n- a\n- b\n---\nPutin met Kim.\n", "md"
    elif kind == "deep-json":
        depth = draw(st.integers(2_000, 200_000))
        data, suffix = ("[" * depth + "]" * depth).encode(), "json"
    elif kind == "deep-object":
        depth = draw(st.integers(2_000, 50_000))
        data, suffix = ('{"a":' * depth + "1" + "}" * depth).encode(), "json"
    elif kind == "html-no-body":
        data, suffix = f"<!doctype html><html><head><title>{text}</title></head><body></body></html>".encode(), "html"
    else:
        data, suffix = draw(st.sampled_from([b"", b"   \n\n\t ", b"\xef\xbb\xbf\n"])), draw(
            st.sampled_from(["txt", "md", "json", "jsonl", "html"]))
    return File(f"bad-{n}-{kind}.{suffix}", data, False)


@st.composite
def folders(draw: st.DrawFn) -> list[File]:
    good = [draw(good_files(n)) for n in range(draw(st.integers(0, 2)))]
    bad = [draw(bad_files(n)) for n in range(draw(st.integers(1, 4)))]
    return good + bad


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The good articles every example builds beside its own files, and one store for all
    examples (the ontology is written once; unchanged articles are not extracted again)."""
    base = tmp_path_factory.mktemp("base")
    for path in BASE:
        (base / path.name).write_bytes(path.read_bytes())
    return base, tmp_path_factory.mktemp("store") / "s"


# Bounded: 20 fixed examples (derandomized, so CI sees the same ones), no shrinking (a build per
# step would take minutes; the failing folder is printed whole).
@settings(max_examples=20, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(files=folders())
def test_hostile_property_bad_files_beside_good_ones(shared: tuple[Path, Path], files: list[File]) -> None:
    base, store_path = shared
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for f in files:
            (folder / f.name).write_bytes(f.data)
        result = CliRunner().invoke(app, ["build", str(base), str(folder), "--store", str(store_path), "-q", "-j", "1"])
        assert "Traceback" not in result.output + result.stderr
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code == 0, result.output + result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        named = sorted(line.split(str(folder) + "/", 1)[1].split(":", 1)[0].split("#", 1)[0] for line in lines)
        assert named == sorted(f.name for f in files if not f.good), result.stderr
        store = kg.open_store(store_path, read_only=True)
        built = {str(row["f"]).split("#", 1)[0] for row in kg.sparql(store, "SELECT ?f WHERE { ?a nkg:sourceFile ?f }").dicts()}
        del store
        # sources are recorded relative to the folder given to kg build, under its own name
        assert {b for b in built if b.startswith(folder.name + "/")} == {f"{folder.name}/{f.name}" for f in files if f.good}
        assert {f"{base.name}/{p.name}" for p in BASE} <= built
