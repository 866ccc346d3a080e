"""Tests for kg.ingest: every format, every bad-input reason, folder walking."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import IngestError
from kg.ingest import iter_articles, iter_files, read_file
from kg.ingest.markdown import markdown_to_text
from kg.ingest.text import first_sentence, normalise_date, truncate_title
from kg.model import Article

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ingest"
GOOD = DATA / "good"
SEED = ROOT / "seeds" / "000_a8523d2531779793.txt"


def read_all(*paths: Path) -> list[Article | IngestError]:
    """Everything iter_articles yields for ``paths``."""
    return list(iter_articles(list(paths)))


def only_article(path: Path) -> Article:
    """The single article in ``path``; fails the test otherwise."""
    results = read_all(path)
    assert len(results) == 1 and isinstance(results[0], Article), results
    return results[0]


def only_error(path: Path) -> IngestError:
    """The single error for ``path``; fails the test otherwise."""
    results = read_all(path)
    assert len(results) == 1 and isinstance(results[0], IngestError), results
    return results[0]


# name, title, date, source, url, how the body starts
SINGLE_ARTICLE_FIXTURES = [
    (
        "text_month.txt",
        "Russia and North Korea Expand Drone Cooperation",
        "2025-09",
        None,
        None,
        "Russian and North Korean engineers are jointly producing drones",
    ),
    (
        "text_sentence.txt",
        "Russian President Vladimir Putin met North Korean leader Kim Jong Un in Beijing on "
        "Wednesday.",
        "2025-09-05",
        None,
        None,
        "Russian President Vladimir Putin met North Korean leader Kim Jong Un in Beijing on "
        "Wednesday. The two leaders discussed military cooperation.\nKim accepted",
    ),
    (
        "text_no_date.txt",
        "Kim Jong Un Visits the Vostochny Cosmodrome",
        None,
        None,
        None,
        "The North Korean leader toured the launch site",
    ),
    (
        "article.md",
        "Kim Jong Un Accepts Invitation to Moscow",
        "2025-09-07",
        "Example News",
        "https://example.org/kim-moscow",
        "North Korean leader Kim Jong Un accepted an invitation from Vladimir Putin",
    ),
    (
        "nested/page.html",
        "Putin and Kim Sign a Mutual Defence Pact",
        "2024-06-19",
        "Example Times",
        "https://example.org/defence-pact",
        "Vladimir Putin and Kim Jong Un signed a comprehensive strategic partnership treaty",
    ),
]


@pytest.mark.parametrize(
    ("name", "title", "date", "source", "url", "body_start"),
    SINGLE_ARTICLE_FIXTURES,
    ids=[row[0] for row in SINGLE_ARTICLE_FIXTURES],
)
def test_ingest_reads_fixture(
    name: str, title: str, date: str | None, source: str | None, url: str | None, body_start: str
) -> None:
    article = only_article(GOOD / name)
    assert (article.title, article.date, article.source, article.url) == (title, date, source, url)
    assert article.body.startswith(body_start)
    assert article.body == article.body.strip()
    assert article.path == str(GOOD / name)


def test_ingest_seed_article() -> None:
    article = only_article(SEED)
    assert article.title == "Putin and Kim Jong Un Held Private Talks at SCO Summit in China"
    assert article.date == "2025-09-05"
    assert article.body.startswith("At the Shanghai Cooperation Organization")
    assert article.body.endswith("in military affairs.")
    assert article.body == SEED.read_text(encoding="utf-8").split("\n", 1)[1].strip()


def test_ingest_text_keeps_internal_text_exactly() -> None:
    article = only_article(GOOD / "text_month.txt")
    assert article.body.endswith("said.\n\nA second paragraph keeps its   internal spacing.")


def test_ingest_markdown_body_is_plain_text() -> None:
    assert only_article(GOOD / "article.md").body == (
        "North Korean leader Kim Jong Un accepted an invitation from Vladimir Putin to visit "
        "Moscow."
        "\n\nMilitary ties"
        "\n\nTroops took part in the Kursk operation."
        "\n\nWounded soldiers are treated in Pyongyang."
    )


def test_ingest_markdown_without_front_matter_takes_title_from_heading(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("# Lavrov in Pyongyang\n\nSergei Lavrov ~~met~~ **met** Kim Jong Un.\n")
    article = only_article(path)
    assert (article.title, article.date, article.body) == (
        "Lavrov in Pyongyang",
        None,
        "Sergei Lavrov met met Kim Jong Un.",
    )


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("1. one\n2. two\n   more\n", "1. one\n\n2. two more"),
        ("The war ended in\n1945. The treaty held.", "The war ended in 1945. The treaty held."),
        ("## C# tips ##\nUse `var`.", "C# tips\n\nUse var."),
        ("Setext\n======\n> quoted *line*", "Setext\n\nquoted line"),
        ("[![logo](a.png)](https://x.org) Text [ref][1].\n\n[1]: https://x.org", "Text ref."),
        ("```\nkeep  this\n```", "keep  this"),
        ("snake_case and 2*3*4 stay", "snake_case and 2*3*4 stay"),
    ],
)
def test_ingest_markdown_to_text(markdown: str, text: str) -> None:
    assert markdown_to_text(markdown) == text


def test_ingest_html_drops_noise_and_decodes_entities() -> None:
    assert only_article(GOOD / "nested" / "page.html").body == (
        "Vladimir Putin and Kim Jong Un signed a comprehensive strategic partnership treaty in "
        "Pyongyang.\n\nMutual assistance"
        "\n\nThe treaty obliges each side to help the other if attacked & is <script>-free."
        "\n\nMilitary aid\n\nTechnology transfer"
    )


def test_ingest_html_falls_back_to_h1_title_and_time_element(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text(
        "<html><head><title>Site | Story</title></head><body><main><h1>Shoigu in Pyongyang</h1>"
        "<time datetime='2025-06-04T08:00:00Z'>4 June</time><p>Shoigu met Kim.</p></main>"
        "</body></html>"
    )
    article = only_article(path)
    assert (article.title, article.date) == ("Shoigu in Pyongyang", "2025-06-04")
    assert article.body == "Shoigu met Kim."  # the <time> is the date, not text


def test_ingest_html_page_with_only_a_title_is_no_article(tmp_path: Path) -> None:
    path = tmp_path / "stub.html"
    path.write_text("<html><head><title>Just a headline</title><meta property='og:title' content='Just a headline'>"
                    "</head><body><nav><a href='/'>Home</a></nav><article><h1>Just a headline</h1></article>"
                    "<footer>Example Times</footer></body></html>")
    error = only_error(path)
    assert (error.path, error.reason) == (str(path), "no article body")


def test_ingest_html_leaves_out_comments_and_related_links(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_text(
        "<html><head><meta property='og:title' content='Lavrov meets Wang Yi'>"
        "<meta property='og:site_name' content='Example Wire'><meta name='author' content='Jane Roe'></head><body>"
        "<article><h1>Lavrov meets Wang Yi</h1><p>Sergei Lavrov met Wang Yi in Beijing on Monday to discuss trade."
        "</p><p>The ministers agreed to expand cooperation in energy.</p></article>"
        "<aside><h3>Related</h3><ul><li><a href='/x'>Orban visits Minsk</a></li></ul></aside>"
        "<div id='comments' class='comments'><h3>Comments</h3><p>Great piece, Erdogan is next!</p></div>"
        "</body></html>")
    article = only_article(path)
    assert (article.title, article.source) == ("Lavrov meets Wang Yi", "Example Wire")
    assert article.body == ("Sergei Lavrov met Wang Yi in Beijing on Monday to discuss trade.\n\n"
                            "The ministers agreed to expand cooperation in energy.")


def test_ingest_html_eval_page_reads_title_date_and_article_only() -> None:
    article = only_article(ROOT / "eval" / "articles" / "election.html")
    assert article.title == "Nawrocki narrowly wins Polish presidency in blow to Tusk's government"  # og:title
    assert (article.date, article.source) == ("2025-06-02", "Central European Times")
    assert article.body.startswith("WARSAW – Karol Nawrocki, a conservative historian")
    for name in ("Merz", "Orban", "Budapest", "Prague", "Vienna"):  # only in its nav, aside and footer
        assert name not in article.body


def test_ingest_json_lines_keeps_good_records_around_a_bad_one() -> None:
    path = GOOD / "nested" / "records.jsonl"
    results = read_all(path)
    assert [type(result).__name__ for result in results] == ["Article", "IngestError", "Article"]
    first, bad, last = results
    assert isinstance(first, Article) and isinstance(bad, IngestError) and isinstance(last, Article)
    assert (first.path, first.title, first.date, first.source) == (
        f"{path}#1",
        "Lavrov Visits Pyongyang",
        "2025-07-12",
        "TASS",
    )
    assert bad.path == f"{path}#2"
    assert bad.reason == "no article body (expected text, body or content)"
    assert last.path == f"{path}#4"  # numbered by line: line 3 is blank


def test_ingest_json_array_records() -> None:
    path = GOOD / "records.json"
    first, second = read_all(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.path == f"{path}#1" and first.date == "2025-08-31"
    assert first.body == (
        "Wounded Russian soldiers are undergoing rehabilitation in North Korea."
        "\n\nThe programme began in the spring."
    )
    assert second.title == "Builders Head to Kursk"
    assert second.date is None  # 2025-13-01 is no date
    assert second.body == (
        "North Korean builders will help rebuild the Kursk region."
        "\n\nOfficials said 5,000 would come."
    )


def test_ingest_json_single_object_and_lines_in_a_json_file(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text('{"headline": "H", "text": "Body.", "publisher": {"name": "RIA"}}')
    assert only_article(single) == Article(body="Body.", path=str(single), title="H", source="RIA")
    lines = tmp_path / "lines.json"
    lines.write_text('{"text": "A."}\n{"text": \n')
    good, bad = read_all(lines)
    assert isinstance(good, Article) and good.path == f"{lines}#1"
    assert isinstance(bad, IngestError) and bad.path == f"{lines}#2"
    assert bad.reason.startswith("malformed JSON at line 2 column ")
    no_body = tmp_path / "no-body.json"
    no_body.write_text('{"title": "T"}')
    (error,) = read_file(no_body)  # a record error: returned, not raised
    assert isinstance(error, IngestError)
    assert error.path == str(no_body)
    assert error.reason == "no article body (expected text, body or content)"


def bad_bytes(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``tmp_path/name`` and return the path."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("bom-only.md", b"\xef\xbb\xbf \n", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("latin1.txt", b"Title\n\nCaf\xe9 talk", "not UTF-8 text (byte 0xe9 at offset 10)"),
        ("bom-latin1.txt", b"\xef\xbb\xbfCaf\xe9", "not UTF-8 text (byte 0xe9 at offset 6)"),
        ("title-only.txt", b" date 2025-09-05 \n\n", "no article body"),
        ("empty-array.json", b"[]", "no records (the JSON array is empty)"),
        ("scalar.json", b"42", "expected a JSON object or an array of objects"),
        ("blank.html", b"<html><body><nav>Home</nav></body></html>", "no article body"),
        ("deep.json", b"[" * 100_000, "malformed JSON: nested too deeply"),
        ("list.md", b"---\n- a\n---\nbody", "front matter is not a mapping (expected title:, ...)"),
        ("report.pdf", b"%PDF-1.7", "unsupported file type (.pdf; kg reads .htm, .html, .json, "
         ".jsonl, .markdown, .md, .ndjson, .text, .txt)"),
    ],
)
def test_ingest_reports_bad_file(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = bad_bytes(tmp_path, name, data)
    error = only_error(path)
    assert (error.path, error.reason) == (str(path), reason)
    with pytest.raises(IngestError):
        read_file(path)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("malformed.json", "malformed JSON at line 4 column 1: Expecting ',' delimiter"),
    ],
)
def test_ingest_reports_bad_fixture(name: str, reason: str) -> None:
    assert only_error(DATA / "bad" / name).reason == reason


def test_ingest_reports_malformed_front_matter_with_line(tmp_path: Path) -> None:
    path = bad_bytes(tmp_path, "bad.md", b"---\ntitle: ok\nurl: [unclosed\n---\nBody.\n")
    assert only_error(path).reason.startswith("malformed YAML front matter at line ")


def test_ingest_reports_missing_path(tmp_path: Path) -> None:
    error = only_error(tmp_path / "nope.txt")
    assert (error.path, error.reason) == (str(tmp_path / "nope.txt"), "no such file or directory")


def test_ingest_reports_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kg.ingest.MAX_BYTES", 1024 * 1024)
    path = bad_bytes(tmp_path, "big.txt", b"a" * (3 * 1024 * 1024 // 2))
    assert only_error(path).reason == "file too large (1.5 MB; limit 1 MB)"


def test_ingest_normalises_line_ends_and_strips_bom(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf date 2025-09-05 Title\r\n\r\nLine one.\r\nLine two.\r\n"
    article = only_article(bad_bytes(tmp_path, "crlf.txt", data))
    assert (article.title, article.date) == ("Title", "2025-09-05")
    assert article.body == "Line one.\nLine two."


@pytest.mark.parametrize(
    ("text", "title", "date", "body"),
    [
        (" date 2025-09 Title\nBody.", "Title", "2025-09", "Body."),
        ("date 2025-09-05 Title\n\n\nBody.", "Title", "2025-09-05", "Body."),
        (" date 2025 Title\nBody.", "Title", "2025", "Body."),
        (" date Title Without Date\nBody.", "Title Without Date", None, "Body."),
        (" date 2025-02-30 Bad Date\nBody.", "Bad Date", None, "Body."),
        ("\n\n date 2025-09-05 Late Header\nBody.", "Late Header", "2025-09-05", "Body."),
        ("Dated Headline\nBody.", "Dated Headline", None, "Body."),
        ("Will Kim Visit?\nHe may.", "Will Kim Visit?", None, "Will Kim Visit?\nHe may."),
        ('He said "we agree."\nMore.', 'He said "we agree."', None, 'He said "we agree."\nMore.'),
        ("Only one line", "Only one line", None, "Only one line"),
        ("U.S. envoy Mr. Smith met Kim. Talks went on.", "U.S. envoy Mr. Smith met Kim.", None,
         "U.S. envoy Mr. Smith met Kim. Talks went on."),
    ],
)
def test_ingest_text_header_variants(
    tmp_path: Path, text: str, title: str, date: str | None, body: str
) -> None:
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    article = only_article(path)
    assert (article.title, article.date, article.body) == (title, date, body)


def test_ingest_long_first_line_is_body_with_truncated_title(tmp_path: Path) -> None:
    words = " ".join(f"word{n}" for n in range(40))
    path = tmp_path / "long.txt"
    path.write_text(f"date 2025-09-05 {words}\nmore text\n")
    article = only_article(path)
    assert article.body == f"{words}\nmore text"
    assert article.title is not None and article.title.endswith("…") and len(article.title) <= 120
    assert words.startswith(article.title[:-1])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-09-05", "2025-09-05"),
        ("2025-09-05T10:00:00Z", "2025-09-05"),
        ("2025-09-05T23:30:00-05:00", "2025-09-05"),
        ("2025/9/5", "2025-09-05"),
        ("2025-09", "2025-09"),
        ("2025", "2025"),
        (2025, "2025"),
        ("5 September 2025", "2025-09-05"),
        ("Sep 5, 2025", "2025-09-05"),
        ("Fri, 05 Sep 2025 10:00:00 GMT", "2025-09-05"),
        ("2025-13-01", None),
        ("2025-02-29", None),
        ("2024-02-29", "2024-02-29"),
        ("yesterday", None),
        (None, None),
        (True, None),
    ],
)
def test_ingest_normalises_dates(value: object, expected: str | None) -> None:
    assert normalise_date(value) == expected


def test_ingest_title_helpers() -> None:
    assert first_sentence("Gen. Ivanov arrived. He spoke.") == "Gen. Ivanov arrived."
    assert truncate_title("alpha beta gamma", limit=12) == "alpha beta…"


def test_ingest_folder_recursion_order(tmp_path: Path) -> None:
    for name in ["b.txt", "a.md", "a_dir/z.txt", "sub/c.json", "sub/deeper/d.html", "Upper.txt",
                 ".hidden/x.txt", ".h.txt", "image.png", "notes", "sub/e.jsonl"]:  # fmt: skip
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = [item.relative_to(tmp_path).as_posix() for item in iter_files([tmp_path])
             if isinstance(item, Path)]  # fmt: skip
    assert found == [
        "Upper.txt", "a.md", "a_dir/z.txt", "b.txt",
        "sub/c.json", "sub/deeper/d.html", "sub/e.jsonl",
    ]  # fmt: skip


def test_ingest_explicit_files_are_read_whatever_their_name(tmp_path: Path) -> None:
    hidden = tmp_path / ".draft.txt"
    hidden.write_text("Title\n\nBody.")
    plain = tmp_path / "README"
    plain.write_text("---\ntitle: From front matter\n---\nBody text.")
    page = tmp_path / "saved"
    page.write_text("<!DOCTYPE html><html><body><p>Page text.</p></body></html>")
    results = read_all(hidden, plain, page)
    titles = [result.title for result in results if isinstance(result, Article)]
    assert titles == ["Title", "From front matter", None]


def test_ingest_fixture_folder_walk() -> None:
    results = read_all(GOOD)
    errors = [result for result in results if isinstance(result, IngestError)]
    assert [error.path for error in errors] == [f"{GOOD / 'nested' / 'records.jsonl'}#2"]
    assert len(results) == 10


def test_ingest_same_text_same_id(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "one.txt").write_text(text, encoding="utf-8")
    (tmp_path / "two.text").write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    first, second = read_all(tmp_path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.path != second.path
    assert first.id == second.id == only_article(SEED).id


GARBAGE = [
    b"{", b"[1,2]", b"null", b"{}", b'{"text": 5}', b"<<<>>>", b" date 2025-99-99",
    b"---\n: :\n---\nx",
    b"---\n---\n", b"\r\n\r\n x \r\n", b"date", b"<!-- x", b"```\ncode", b"[x](", b"\xff\xfe",
    b'{"a":1}\n{"text":"t"}\n[', b"<?xml version='1.0'?><rss><item>x</item></rss>", b"[" * 5000,
    b"<div>" * 5000, b'{"n": ' + b"1" * 5000 + b"}",
    b"---\ndate: 2025-13-45\ntitle: [a]\n---\n# H\n\ntext",
]  # fmt: skip


@pytest.mark.parametrize("suffix", [".txt", ".md", ".json", ".jsonl", ".html", ""])
def test_ingest_never_raises_on_garbage(tmp_path: Path, suffix: str) -> None:
    paths = [bad_bytes(tmp_path, f"g{n}{suffix}", data) for n, data in enumerate(GARBAGE)]
    for result in iter_articles(paths):
        assert isinstance(result, (Article, IngestError))
        if isinstance(result, Article):
            assert result.body and result.body == result.body.strip()
