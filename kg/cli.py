"""The ``kg`` command line: parse options, call one library function, print the result.

Only this module prints or exits. Every ``KGError`` becomes one line on standard error
and exit status 1 (``--debug`` shows the traceback); Ctrl-C exits 130.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from kg.errors import KGError
from kg.store import GraphStore, default_location

if TYPE_CHECKING:
    from kg.pipeline import BuildSummary

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Build, query, validate, export and view a knowledge graph of news articles.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
_state = {"debug": False}

AsOfOpt = Annotated[str | None, typer.Option("--as-of",
                                             help="Only what articles published up to this day "
                                                  "(YYYY-MM-DD) said.", show_default=False)]
StoreOpt = Annotated[str | None, typer.Option("--store",
                                              help="Store folder or SPARQL endpoint URL (default: "
                                                   "$KG_STORE or .kg).", show_default=False)]


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
         verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress details.")] = False) -> None:
    """kg: news articles in, a queryable knowledge graph out."""
    _state["debug"] = debug
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, format="%(levelname)s %(message)s")


@contextmanager
def reported() -> Iterator[None]:
    """Turn library errors into one line on stderr and a non-zero exit."""
    try:
        yield
    except KGError as exc:
        if _state["debug"]:
            raise
        err.print(f"kg: error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not break the teardown: exit 130
        err.print("kg: interrupted; every article written so far is complete", markup=False)
        raise typer.Exit(130) from None


def _view(path: str | None, as_of: str | None) -> GraphStore:
    """The store read-only, or its view as of a day."""
    from kg.asof import as_of as view

    st = _store(path, read_only=True)
    return view(st, as_of) if as_of else st


def _store(path: str | None, *, read_only: bool = False) -> GraphStore:
    from kg.store import open_store

    return open_store(path or default_location(), read_only=read_only)


@app.command()
def build(paths: Annotated[list[Path], typer.Argument(help="Article files or folders (read recursively).")],
          store: StoreOpt = None,
          gazetteer: Annotated[list[Path] | None, typer.Option("--gazetteer",
                                                               help="Extra gazetteer YAML file (repeatable).")] = None,
          force: Annotated[bool, typer.Option("--force", help="Rebuild every article, changed or not.")] = False,
          prune: Annotated[bool, typer.Option("--prune",
                                              help="Remove articles built from files under PATHS that are gone.")] = False,
          workers: Annotated[int | None, typer.Option("--workers", "-j",
                                                      help="Extraction processes (default: one per core).")] = None,
          article_timeout: Annotated[float, typer.Option("--article-timeout",
                                                         help="Seconds of extraction an article may take "
                                                              "before it is skipped (0: no limit).")] = 60.0,
          stages: Annotated[str | None, typer.Option("--stages",
                                                     help="Extraction stages to run, in order, comma-separated "
                                                          "(default: every built-in stage; others come from "
                                                          "the kg.stages entry points).")] = None,
          scheduler: Annotated[str | None, typer.Option("--scheduler", envvar="KG_SCHEDULER",
                                                        help="Extract on the Dask cluster whose scheduler is "
                                                             "at this address (tcp://host:8786).")] = None,
          quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False) -> None:
    """Read articles into the store, one named graph per article.

    Example: kg build seeds/ --store .kg
    """
    from kg.pipeline import build as run_build
    from kg.query import printable

    with reported():
        st = _store(store)
        with _progress(quiet) as bar:
            task = bar.add_task("building", total=None)
            summary = run_build(st, paths, gazetteers=gazetteer or [], force=force, prune=prune, workers=workers,
                                stages=[s.strip() for s in stages.split(",") if s.strip()] if stages else None,
                                article_timeout=article_timeout if article_timeout > 0 else None,
                                on_articles=lambda n: bar.update(task, total=n), scheduler=scheduler,
                                progress=lambda a: bar.advance(task))
        for skipped in summary.skipped:  # one line each, whatever a file name holds
            line = printable(str(skipped)).replace("\n", "\\n")
            err.print(f"kg: skipped {line}", markup=False, highlight=False)
        out.print(f"read {summary.read} article(s), built {summary.built}, unchanged {summary.unchanged}, "
                  f"duplicates {summary.duplicates}, skipped {len(summary.skipped)}"
                  f"{f', pruned {summary.pruned}' if prune else ''}; "
                  f"{summary.triples} triples, {summary.entities} entity mentions, "
                  f"{summary.seconds:.1f} s; store {st.location} {_held(st, summary)}", highlight=False)


def _held(store: GraphStore, summary: BuildSummary) -> str:
    """``holds N quads`` after a build that wrote articles; counting reads every quad (seconds at
    10,000 articles), so a build that wrote none says ``unchanged``."""
    return f"holds {len(store)} quads" if summary.built or summary.pruned else "unchanged"


@app.command()
def remove(targets: Annotated[list[str], typer.Argument(help="Files or folders articles were built from, or article IRIs.")],
           store: StoreOpt = None) -> None:
    """Remove articles and everything they contributed (their graph, their reports of events,
    entities only they named), in one transaction.

    Example: kg remove articles/old-report.txt article:77014082e09430c1
    """
    from kg.remove import remove as run_remove

    with reported():
        st = _store(store)
        summary = run_remove(st, targets)
        st.flush()
        out.print(f"removed {len(summary.articles)} article(s); {summary.events} event node(s) updated; "
                  f"store {st.location} holds {len(st)} quads", highlight=False)


class _RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f}/s" if task.speed else "", style="progress.data.speed")


def _progress(quiet: bool) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
                    _RateColumn(), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(), console=err,
                    disable=quiet or not err.is_terminal,
                    transient=True)


@app.command()
def query(sparql: Annotated[str, typer.Argument(help="A SPARQL query, or a .rq file.")],
          store: StoreOpt = None,
          fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv, tsv or json.")] = "table",
          allow_service: Annotated[bool, typer.Option("--allow-service", help="Let SERVICE call other endpoints.")] = False,
          as_of: AsOfOpt = None) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over all graphs.

    Example: kg query queries/leaders_met.rq --format csv
    """
    from kg import query as q

    with reported():
        if fmt not in {"table", "csv", "tsv", "json"}:
            raise KGError(f"unknown format {fmt!r} (table, csv, tsv or json)")
        text, where = q.read_query(sparql)
        result = q.run(_view(store, as_of), text, where=where, allow_service=allow_service)
        if fmt != "table" or result.kind != "select":
            sys.stdout.write(q.format_result(result, "csv" if fmt == "table" else fmt))
            return
        table = Table(*result.columns, show_lines=False)
        for row in result.rows:
            table.add_row(*(Text(q.short(v)) for v in row))  # Text: article text is no rich markup
        out.print(table)
        out.print(f"{len(result.rows)} row(s)", highlight=False)


def _export_formats() -> list[str]:
    from kg import formats

    return formats.names(formats.GRAPH, formats.DATASET, formats.NETWORK)


@app.command()
def export(fmt: Annotated[str, typer.Option("--format", "-f", help="One of: " + ", ".join(_export_formats()) + ".")] = "turtle",
           to: Annotated[str, typer.Option("--out", "-o", help="Output file, or - for standard output.")] = "-",
           store: StoreOpt = None,
           everything: Annotated[bool, typer.Option("--all",
                                                    help="GraphML/GEXF: also reference entities no article mentions.")] = False,
           as_of: AsOfOpt = None) -> None:
    """Write the graph in a standard format (turtle merges all graphs; trig and nquads keep them).

    Example: kg export --format trig --out out/graph.trig
    """
    from kg.export import export as run_export

    with reported():
        run_export(_view(store, as_of), fmt, to, everything=everything)
        if to != "-":
            err.print(f"wrote {to}", highlight=False)


@app.command()
def viz(to: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("out/graph.html"),
        store: StoreOpt = None,
        focus: Annotated[str | None, typer.Option("--focus", help="Centre on this entity (label or alias).")] = None,
        depth: Annotated[int, typer.Option("--depth", help="Hops around --focus.")] = 1,
        query_file: Annotated[Path | None, typer.Option("--query", help="Draw a CONSTRUCT query's result.")] = None,
        types: Annotated[str | None, typer.Option("--types", help="Only these classes, comma-separated.")] = None,
        since: Annotated[str | None, typer.Option("--since", help="Only facts dated on or after (YYYY[-MM[-DD]]).")] = None,
        until: Annotated[str | None, typer.Option("--until", help="Only facts dated on or before.")] = None,
        fold: Annotated[bool, typer.Option("--fold", help="Fold cooperation, claims and meetings into labelled edges.")] = False,
        everything: Annotated[bool, typer.Option("--all", help="Also draw reference entities no article mentions.")] = False,
        allow_service: Annotated[bool, typer.Option("--allow-service",
                                                    help="Let a --query's SERVICE call other endpoints.")] = False,
        as_of: AsOfOpt = None) -> None:
    """Write an interactive graph page that works offline (one self-contained HTML file).

    Example: kg viz --out out/putin.html --focus Putin --depth 2 --fold
    """
    from kg import export as ex
    from kg import query as q
    from kg import visualize

    with reported():
        st = _view(store, as_of)
        if query_file is not None:
            text, where = q.read_query(str(query_file))
            graph = ex.construct_graph(st, text, where=where, allow_service=allow_service)
        else:
            graph = ex.to_rdflib(st)
        nxg = visualize.select(visualize.to_networkx(graph), focus=focus, depth=depth,
                               types=types.split(",") if types else None, since=since, until=until, fold=fold,
                               news_only=query_file is None and not everything)
        if not to.parent.exists():
            to.parent.mkdir(parents=True)
        page = visualize.write_page(nxg, to, title=f"kg: {focus}" if focus else "kg graph")
        for warning in page.warnings:
            err.print(f"kg: warning: {warning}", markup=False, highlight=False)
        out.print(f"wrote {to}: {page.nodes} nodes, {page.edges} edges", highlight=False)


@app.command()
def validate(store: StoreOpt = None,
             allow_warnings: Annotated[bool, typer.Option("--allow-warnings",
                                                          help="Exit 0 when the only results are "
                                                               "warnings and infos.")] = False) -> None:
    """Check the store against the ontology's SHACL shapes and list every result.

    As SHACL says, the store conforms only with no result at all, warnings included; exit 1
    when it does not conform (with --allow-warnings: only when there is a violation).

    Example: kg validate --store .kg
    """
    from kg.validate import validate as run_validate

    with reported():
        report = run_validate(_store(store, read_only=True))
        out.print(report.text, markup=False, highlight=False)
        if not report.passes(allow_warnings=allow_warnings):
            raise typer.Exit(1)


@app.command("eval")
def evaluate(gold: Annotated[list[Path], typer.Argument(help="Gold YAML files (eval/gold/*.yaml, "
                                                             "or eval/events/*/clusters.yaml).")],
             store: StoreOpt = None,
             as_json: Annotated[bool, typer.Option("--json", help="Print the full scores as JSON.")] = False) -> None:
    """Score the store's extraction against gold files: entities, links, meetings, cooperation, claims;
    a clusters file (eval/events/*/clusters.yaml) scores event identity (B-cubed over reports).

    Example: kg eval eval/gold/short-names.yaml --store /tmp/short
    Example: kg eval eval/events/dev/clusters.yaml --store /tmp/dev
    """
    import json

    from kg.evaluate import evaluate_store, report_json, report_text
    from kg.export import to_rdflib
    from kg.identity.score import is_clusters_file, score_clusters, score_text

    with reported():
        st = _store(store, read_only=True)
        clusters = [g for g in gold if is_clusters_file(g)]
        for path in clusters:  # event identity: B-cubed over the reports of each clustering
            s = score_clusters(st, path)
            out.print(json.dumps(s.__dict__, indent=1) if as_json else score_text(s), markup=False, highlight=False)
        facts = [g for g in gold if g not in clusters]
        if facts or not clusters:
            report = evaluate_store(to_rdflib(st), facts)
            out.print(json.dumps(report_json(report), indent=1, default=str) if as_json else report_text(report),
                      markup=False, highlight=False)


@app.command()
def stats(store: StoreOpt = None,
          top: Annotated[int, typer.Option("--top", help="How many most-connected entities to list.")] = 10) -> None:
    """Counts per class, the most connected entities, articles and graphs.

    Example: kg stats --top 20
    """
    from kg.query import printable
    from kg.stats import stats as run_stats

    with reported():
        s = run_stats(_store(store, read_only=True), top=top)
        table = Table("class", "count")
        for cls, count in s.classes:
            table.add_row(cls, str(count))
        out.print(f"{s.quads} quads in {s.graphs} graphs; {s.articles} article(s)", highlight=False)
        out.print(table)
        hubs = Table("entity", "class", "links")
        for label, cls, degree in s.hubs:
            hubs.add_row(Text(printable(label)), cls, str(degree))
        out.print(hubs)


@app.command()
def serve(store: StoreOpt = None,
          host: Annotated[str, typer.Option("--host",
                                            help="Address to listen on (others on the network can query it).")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", help="TCP port.")] = 7878,
          timeout: Annotated[float, typer.Option("--timeout", help="Seconds a query may run before it is stopped.")] = 10.0,
          max_rows: Annotated[int, typer.Option("--max-rows", help="Rows (or triples) returned at most per query.")] = 10000,
          cors: Annotated[list[str] | None, typer.Option("--cors",
                                                         help="Let pages from this origin query "
                                                              "(repeatable; * for any).")] = None,
          allow_host: Annotated[list[str] | None, typer.Option("--allow-host",
                                                               help="Also answer for this host name (repeatable).")] = None,
          workers: Annotated[int, typer.Option("--workers", help="Query worker processes (0: one per core, 2 to 4).")] = 0,
          socket_timeout: Annotated[float, typer.Option("--socket-timeout", help="Seconds a client may stay silent.")] = 20.0,
          page_nodes: Annotated[int, typer.Option("--page-nodes", help="Most nodes the graph page at / draws.")] = 1500) -> None:
    """Serve the store read-only: SPARQL 1.1 at /sparql, the graph page at /, a query page at /query.

    kg build may write the same store meanwhile; readers see each article whole. Ctrl-C stops.

    Example: kg serve --store .kg --port 7878 --timeout 5
    """
    from kg.serve import ServeOptions
    from kg.serve import serve as run_serve

    with reported():
        opts = ServeOptions(host=host, port=port, timeout=timeout, max_rows=max_rows, cors=tuple(cors or ()),
                            allow_hosts=tuple(allow_host or ()), workers=workers, socket_timeout=socket_timeout,
                            page_max_nodes=page_nodes)
        run_serve(store or default_location(), opts,
                  ready=lambda url: err.print(f"serving {url}sparql (query page {url}query); Ctrl-C stops", highlight=False))


@app.command("load")
def load_rdf(files: Annotated[list[Path], typer.Argument(help="RDF files: .ttl .trig .nt .nq .jsonld "
                                                              ".rdf/.owl, or any name with --format.")],
             graph: Annotated[str | None, typer.Option("--graph",
                                                       help="The graph for the files' triples (default: "
                                                            "graph/loaded/<file name>).")] = None,
             fmt: Annotated[str | None, typer.Option("--format", "-f",
                                                     help="turtle, trig, ntriples, nquads, jsonld or rdfxml.")] = None,
             store: StoreOpt = None) -> None:
    """Load RDF files (your reference data, an extract of another graph) into the store.

    One transaction per file; a malformed file is reported in one line and changes nothing.
    Loading a file again replaces what it loaded before.

    Example: kg load my-places.ttl --graph https://example.org/my-places
    """
    from kg.load import load as run_load

    with reported():
        summary = run_load(_store(store), files, graph=graph, fmt=fmt)
        for problem in summary.errors:
            err.print(f"kg: error: {problem}", markup=False, highlight=False)
        if not summary.files:
            raise typer.Exit(1)
        out.print(f"loaded {summary.files} file(s), {summary.triples} triples into {len(summary.graphs)} graph(s)",
                  highlight=False)


@app.command()
def push(url: Annotated[str, typer.Argument(help="The remote store's URL (credentials: "
                                                 "$KG_STORE_USER/$KG_STORE_PASSWORD or $KG_STORE_TOKEN).")],
         store: StoreOpt = None) -> None:
    """Copy every graph of the store to a remote SPARQL store; pushing again replaces, never duplicates.

    Example: kg push http://localhost:7878 --store .kg
    """
    from kg.store import RemoteStore, open_store
    from kg.store import push as run_push

    with reported():
        remote = open_store(url)
        if not isinstance(remote, RemoteStore):
            raise KGError(f"kg push needs an http(s) URL, not {url!r}")
        s = run_push(_store(store, read_only=True), remote)
        out.print(f"pushed {s.graphs} graph(s), {s.triples} triples to {remote.location} "
                  f"in {s.requests} request(s), {s.seconds:.1f} s", highlight=False)


if __name__ == "__main__":  # pragma: no cover
    app()
