"""The ``sitrep`` command: thin wrappers that parse arguments, call the pipeline or the store, print.

Every listing command takes ``--db`` and ``--json``; with ``--json`` stdout carries exactly one
JSON array of every matching row, written as it streams out of the store (progress and summaries
go to stderr), so output can be piped into ``jq``.
"""
from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NoReturn, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperOption

from . import extras
from .printable import shown

if TYPE_CHECKING:
    from .model import DateRange, TimeSpan
from .events.confidence import MIN_CONFIDENCE  # plain constants: no NLP loaded at start-up

# The top-level help, one line per paragraph (help keeps a docstring's line breaks).
APP_HELP = (
    "Turn news reports into a sourced situation picture: events, claims and who they come from, entities, "
    "stories.\n\nStart with `sitrep demo`, or `sitrep ingest FILES` then `sitrep stories`. Every listing takes "
    "--db and --json; with --json stdout carries exactly one JSON array of every matching row (progress goes to "
    "stderr), so output can be piped into jq or pandas. Search takes words, \"exact phrases\", OR, and -word."
)
app = typer.Typer(add_completion=False, no_args_is_help=True, help=APP_HELP)


def _flag_type_label(option: TyperOption, ctx: Any) -> str | None:
    """Typer labels every option's type in help, so each on/off flag (--json, --help) reads
    "<bool>": noise to a user, since a flag takes no value. Flags get no label; others keep theirs."""
    return None if option.is_flag else _typer_type_label(option, ctx)


_typer_type_label = TyperOption.display_type_rich
TyperOption.display_type_rich = _flag_type_label  # type: ignore[method-assign,assignment]

err = Console(stderr=True)
out = Console()

DEFAULT_DB = os.environ.get("SITREP_DB", "sitrep.sqlite")
DbOption = typer.Option(DEFAULT_DB, "--db", help="SQLite file or postgresql:// URL.")
JsonOption = typer.Option(False, "--json", help="Print one JSON array of every matching row on stdout and nothing else.")
LimitOption = typer.Option(None, "--limit", min=1, max=2**31 - 1,
                           help="At most this many rows (default: every row with --json, the first 1000 in a table).")
TYPE_HELP = "Event type: a PLOVER type (attack, deploy, protest, …) or an ACLED event or sub-event type (\"Battles\", \"Air/drone strike\")."
#: Rows a table shows when --limit is not given (a terminal is not the place for 100,000 rows).
TABLE_ROWS = 1000
#: Bound of --limit and --offset: the store's integers are 64-bit, Python's are not (as the API's).
MAX_ROWS = 2**31 - 1


def _missing(exc: extras.MissingExtra) -> NoReturn:
    """An optional part is not installed: its one-line message (naming the extra), exit 2."""
    err.print(f"[red]error:[/red] {shown(str(exc))}", soft_wrap=True)
    raise typer.Exit(2)


def _needs(extra: extras.Extra) -> None:
    """Stop before any work when the command line asks for an optional part that is missing."""
    try:
        extras.require(extra)
    except extras.MissingExtra as exc:
        _missing(exc)


def _is_postgres(db: str) -> bool:
    return db.startswith("postgres")


def _require_db(db: str) -> None:
    """Stop when a SQLite database is missing: opening it would create an empty one, and a mistyped
    --db would then print an empty listing as if the store held nothing."""
    if not _is_postgres(db) and not Path(db).exists():
        err.print(f"[red]error:[/red] database {shown(db)} does not exist; run `sitrep ingest` or `sitrep demo` first",
                  soft_wrap=True)
        raise typer.Exit(1)


def _repo(db: str, create: bool = False):
    """The store at ``db``; only commands that write (``create``) may bring a new SQLite file into being."""
    from .store import open_repository

    if not create:
        _require_db(db)
    try:
        return open_repository(db)
    except extras.MissingExtra as exc:
        _missing(exc)
    except NotImplementedError as exc:
        err.print(f"[red]error:[/red] {shown(str(exc))}")
        raise typer.Exit(2) from None


def _print_json(items: Iterable[Any]) -> None:
    """Print one JSON array, written a record at a time so memory stays flat however many rows
    stream in; model records print as their public shape (``to_json``)."""
    write = sys.stdout.write
    write("[")
    first = True
    for item in items:
        write("\n" if first else ",\n")
        write(json.dumps(item, ensure_ascii=False, indent=1, default=lambda record: record.to_json()))
        first = False
    write("]\n" if first else "\n]\n")


def _pages(fetch: Callable[..., list[Any]], limit: int | None = None, offset: int = 0, **filters: Any) -> Iterator[Any]:
    """The rows of a paged store listing from ``offset`` (at most ``limit``; all when None), fetched
    one page at a time so that a listing never silently stops at a page size."""
    from .views.queries import PAGE

    remaining = limit
    while remaining is None or remaining > 0:
        size = PAGE if remaining is None else min(PAGE, remaining)
        rows = fetch(limit=size, offset=offset, **filters)
        yield from rows
        if len(rows) < size:
            return
        offset += len(rows)
        if remaining is not None:
            remaining -= len(rows)


def _table_rows(rows: Iterable[Any], limit: int | None) -> list[Any]:
    """The rows a table shows: all of them up to ``limit``, or the first TABLE_ROWS with a note on
    stderr that says how to see the rest (never a silent cut)."""
    if limit is not None:
        return list(rows)
    shown_rows: list[Any] = []
    for row in rows:
        if len(shown_rows) == TABLE_ROWS:
            err.print(f"[yellow]showing the first {TABLE_ROWS} rows[/yellow]; --limit N --offset N for others, "
                      "--json for every row")
            break
        shown_rows.append(row)
    return shown_rows


def _short(text: str | None, n: int = 70) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def _parse_fields(fields: list[str]) -> dict[str, str]:
    from .ingest.options import FIELD_NAMES

    mapping = {}
    for item in fields:
        ours, sep, theirs = item.partition("=")
        if not sep or ours not in FIELD_NAMES or not theirs:
            err.print(f"[red]error:[/red] --field expects OURS=THEIRS with OURS one of {', '.join(FIELD_NAMES)}; got {shown(item)!r}")
            raise typer.Exit(2)
        mapping[ours] = theirs
    return mapping


def run_ingest(paths: list[str], db: str, *, fields: dict[str, str] | None = None, max_bytes: int = 50_000_000,
               quiet: bool = False, engine: str = "local", address: str | None = None,
               batch_size: int | None = None, max_text_chars: int = 1_000_000, workers: int | None = None):
    """Ingest with a Rich progress bar on stderr; returns the report."""
    from .engines import make_engine
    from .ingest import ReadOptions, count_inputs
    from .pipeline import Pipeline

    repo = _repo(db, create=True)
    options = ReadOptions(max_bytes=max_bytes, fields=fields or {}, max_text_chars=max_text_chars)
    with err.status("loading the pipeline (spaCy model, gazetteer)…", spinner="dots"):
        pipeline = Pipeline(repo, engine=make_engine(engine, address=address, workers=workers),
                            read_options=options, batch_size=batch_size)
    total_files = count_inputs(paths, options)
    with Progress(
        TextColumn("[bold]ingest[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("records"),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=False,
    ) as progress:
        task = progress.add_task("ingest", total=None if total_files != 1 else None)
        report = pipeline.ingest(paths, progress=lambda n: progress.advance(task, n))
        progress.update(task, total=progress.tasks[0].completed)
    return repo, report


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files or folders: txt, html, json, jsonl[.gz], rss/atom, warc[.gz]."),
    db: str = DbOption,
    json_out: bool = JsonOption,
    field: list[str] = typer.Option([], "--field", help="Map a metadata name to the input's: e.g. --field text=body --field published=date"),
    max_bytes: int = typer.Option(50_000_000, "--max-bytes", help="Refuse files larger than this."),
    max_text_chars: int = typer.Option(1_000_000, "--max-text-chars", min=1,
                                       help="Refuse a record whose text is longer than this (a too_large error for it alone)."),
    engine: str = typer.Option("local", "--engine", help="local (this machine: spaCy's processes) or ray (Ray Data tasks; pip install 'sitrep[ray]')."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, max=256,
                                          help="Parsing processes (local) or CPUs of a local Ray; default: every core."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster address; default: a local Ray on all cores."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, help="Records per committed batch."),
):
    """Read, clean, analyse and store news reports. Re-running adds nothing new; a killed run resumes."""
    if engine not in ("local", "ray"):
        err.print(f"[red]error:[/red] --engine must be 'local' or 'ray', got {shown(engine)!r}")
        raise typer.Exit(2)
    if engine == "ray":
        _needs(extras.RAY)
    repo, report = run_ingest(paths, db, fields=_parse_fields(field), max_bytes=max_bytes, engine=engine,
                              address=address, batch_size=batch_size, max_text_chars=max_text_chars,
                              workers=workers)
    if json_out:
        _print_json([report.to_json()])
    else:
        err.print(
            f"stored [bold]{report.stored}[/bold] new articles ({report.reprints} linked as reprints), "
            f"{report.duplicates} exact duplicates, {report.skipped} already ingested, "
            f"[{'red' if report.errors else 'green'}]{len(report.errors)} errors[/]; "
            f"database {shown(str(db))} now holds {repo.count_articles()} articles"
        )
        for e in report.errors[:50]:
            err.print(f"  [red]✗[/red] {shown(e.one_line())}")
        if len(report.errors) > 50:
            err.print(f"  … and {len(report.errors) - 50} more: sitrep errors --db {shown(str(db))}")
    raise typer.Exit(0 if report.ok else 1)


def parse_duration(text: str, allow_zero: bool = False) -> float:
    """Seconds in ``30s``, ``10m``, ``2h``, ``1d`` or a bare number of seconds (``0`` only with
    ``allow_zero``)."""
    from .durations import duration_seconds

    try:
        value = duration_seconds(text)
    except ValueError:
        if text.strip().startswith("-"):
            raise typer.BadParameter("the duration must be positive") from None
        raise typer.BadParameter(f"expected a duration like 30s, 10m, 2h; got {text.strip().lower()!r}") from None
    if value == 0 and not allow_zero:
        raise typer.BadParameter("the duration must be positive")
    return value


def watch_pipeline(repo: Any, options: Any, workers: int | None) -> Any:
    """The pipeline ``watch`` feeds: the same as ``ingest``'s, on the local engine."""
    from .engines import make_engine
    from .pipeline import Pipeline

    return Pipeline(repo, engine=make_engine("local", workers=workers), read_options=options)


@app.command()
def watch(
    sources: list[str] = typer.Argument(..., help="Feed (RSS, Atom, JSON Feed), sitemap, OPML or front-page URLs; OPML files; folders."),
    db: str = DbOption,
    json_out: bool = JsonOption,
    once: bool = typer.Option(False, "--once", help="One pass over every source, then exit (for cron)."),
    every: str = typer.Option("10m", "--every", help="Time between passes: 30s, 10m, 2h."),
    contact: Optional[str] = typer.Option(None, "--contact", help="URL or e-mail put in the User-Agent, for site owners."),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help="Minimum seconds between two requests to one host."),
    timeout: float = typer.Option(20.0, "--timeout", min=0.1, help="Seconds to wait for a server."),
    max_bytes: int = typer.Option(10_000_000, "--max-bytes", min=1, help="Abandon a response larger than this."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, max=256, help="Parsing processes; default: every core."),
    archive: Optional[Path] = typer.Option(None, "--archive", help="Write every page response to rotating WARC files here."),
    refetch_at: str = typer.Option("1h,6h,24h,72h", "--refetch-at",
                                   help="When to fetch a stored page again to catch edits, after its first fetch."),
    refetch_after: Optional[str] = typer.Option(None, "--refetch-after", help="Instead of --refetch-at: fetch a stored "
                                                "page again once this long has passed since its last fetch (0: every pass)."),
    alerts: Optional[Path] = typer.Option(None, "--alerts", help="Rules file (TOML): alert on what each pass adds."),
    alerts_out: Optional[Path] = typer.Option(None, "--alerts-out", help="Append alerts (JSON lines) here; default: stdout."),
    webhook: Optional[str] = typer.Option(None, "--webhook", help="Also POST each alert (JSON) to this URL."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", min=1, help="Pages per committed batch."),
):
    """Follow feeds, sitemaps, OPML lists, front pages and folders; fetch new pages politely and ingest them."""
    import time

    from .ingest import ReadOptions
    from .watch.archive import WarcArchive
    from .watch.fetch import PoliteClient
    from .watch.refetch import RefetchPolicy
    from .watch.run import Watcher

    pause = parse_duration(every)
    policy = RefetchPolicy(tuple(parse_duration(d) for d in refetch_at.split(",") if d.strip()),
                           parse_duration(refetch_after, allow_zero=True) if refetch_after is not None else None)
    if alerts is not None and json_out and alerts_out is None:
        err.print("[red]error:[/red] --json prints only the pass reports on stdout: give --alerts-out FILE for the alerts")
        raise typer.Exit(2)
    rules = _alert_rules(alerts, webhook) if alerts is not None else None
    repo = _repo(db, create=True)  # watching starts a store as ingest does
    options = ReadOptions()
    with err.status("loading the pipeline (spaCy model, gazetteer)…", spinner="dots"):
        pipeline = watch_pipeline(repo, options, workers)
    if batch_size is not None:
        pipeline.batch_size = batch_size
    client = PoliteClient(contact=contact, delay=delay, timeout=timeout, max_bytes=max_bytes)
    warcs = WarcArchive(archive) if archive is not None else None
    alerter = _alerter(repo, rules, alerts_out, webhook) if rules is not None else None
    watcher = Watcher(pipeline, client, options, warcs, policy,
                      after_pass=(lambda r: alerter.check(r.revised)) if alerter is not None else None)
    ok = True
    try:
        while True:
            report = watcher.run_once(sources)
            ok = not report.source_errors and report.ingest.ok
            if json_out:
                _print_json([report.to_json()])
            else:
                ing = report.ingest
                err.print(f"checked {report.sources_checked} sources ({report.not_modified} unchanged), fetched "
                          f"{report.pages_fetched} pages, stored [bold]{ing.stored}[/bold] new articles, "
                          f"re-fetched {report.pages_refetched} ({report.revisions} revised, {report.deleted} deleted), "
                          f"[{'red' if ing.errors else 'green'}]{len(ing.errors)} errors[/]")
                for e in ing.errors[:20]:
                    err.print(f"  [red]✗[/red] {shown(e.one_line())}")
            if once:
                break
            time.sleep(pause)
    except KeyboardInterrupt:
        err.print("watch stopped")
    finally:
        client.close()
        if warcs is not None:
            warcs.close()
        if alerter is not None:
            alerter.close()
            if alerter.out is not sys.stdout:
                alerter.out.close()
    raise typer.Exit(0 if ok else 1)


def _alert_rules(path: Path, webhook: str | None) -> list[Any]:
    """The rules in ``path``, checked before anything is fetched (exit 2 naming the mistake)."""
    from .alerts import RulesError, load_rules

    if webhook is not None and not webhook.lower().startswith(("http://", "https://")):
        err.print(f"[red]error:[/red] --webhook must be an http(s) URL, got {shown(webhook)!r}")
        raise typer.Exit(2)
    try:
        return load_rules(path)
    except RulesError as exc:
        err.print(f"[red]error:[/red] alert rules: {shown(str(exc))}", soft_wrap=True)
        raise typer.Exit(2) from None


def _alerter(repo: Any, rules: list[Any], out: Path | None, webhook: str | None) -> Any:
    from .alerts import Alerter

    stream = open(out, "a", encoding="utf-8") if out is not None else sys.stdout
    return Alerter(repo, rules, stream, webhook=webhook, warn=lambda m: err.print(f"[yellow]warning:[/yellow] {shown(m)}"))


@app.command("alerts")
def alerts_command(
    rules_file: Path = typer.Argument(..., help="Rules file (TOML)."),
    db: str = DbOption,
    since: Optional[str] = typer.Option(None, "--since", help="Match articles ingested on or after this ISO date or time"
                                        " (default: those stored since each rule last ran; a rule run for the first time starts at the newest)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Append alerts (JSON lines) here; default: stdout."),
    webhook: Optional[str] = typer.Option(None, "--webhook", help="Also POST each alert (JSON) to this URL."),
):
    """Run alert rules over what is stored (e.g. after an ingest); each rule fires once per object."""
    rules = _alert_rules(rules_file, webhook)
    if since is not None:
        from datetime import date, datetime

        try:
            (date.fromisoformat if len(since) == 10 else datetime.fromisoformat)(since)
        except ValueError:
            err.print(f"[red]error:[/red] --since expects an ISO date or time, got {shown(since)!r}")
            raise typer.Exit(2) from None
    _require_db(db)
    alerter = _alerter(_repo(db), rules, out, webhook)
    try:
        stats = alerter.check(since=since)
    finally:
        alerter.close()
        if alerter.out is not sys.stdout:
            alerter.out.close()
    err.print(f"{stats.articles} articles looked at, {stats.fired} alerts fired "
              f"({stats.matched - stats.fired} had fired before)")
    raise typer.Exit(1 if stats.webhook_failures else 0)


@app.command()
def articles(
    db: str = DbOption,
    json_out: bool = JsonOption,
    outlet: Optional[str] = typer.Option(None, help="Only this outlet."),
    limit: Optional[int] = LimitOption,
    offset: int = typer.Option(0, min=0, max=MAX_ROWS),
):
    """List stored articles (the id is what `sitrep show` takes)."""
    items = _pages(_repo(db).list_articles, limit=limit, offset=offset, outlet=outlet)
    if json_out:
        _print_json(items)
        return
    table = Table(_id_column("id"), "outlet", "published", "title", "reprint of")
    for a in _table_rows(items, limit):
        table.add_row(shown(a.id), shown(a.outlet or "?"), _when_published(a.published), shown(_short(a.title)),
                      a.reprint_of or "")
    out.print(table)


def _id_column(header: str):
    """A table column for ids: never wrapped or cut, since the user copies them into the next command."""
    from rich.table import Column

    return Column(header, no_wrap=True, overflow="ignore")


def _span(start: Any, end: Any) -> str:
    """An interval of days as a reader writes it: one day once, a range with "…", "?" for an open end."""
    first, last = (d.isoformat() if d else "?" for d in (start, end))
    return first if first == last else f"{first}…{last}"


def _when_published(pub: DateRange | None) -> str:
    if pub is None:
        return "unknown"
    return f"{_span(pub.start, pub.end)}{' (inferred)' if pub.inferred else ''}"


def _when(time: TimeSpan | None) -> str:
    """An event's time; "undated" when the report gives none (never "None…None")."""
    if time is None or (time.start is None and time.end is None):
        return "undated"
    return f"{_span(time.start, time.end)} ({time.precision})"


@app.command()
def show(article_id: str, db: str = DbOption, json_out: bool = JsonOption):
    """Show one article: clean text, captions, removed boilerplate, claims."""
    repo = _repo(db)
    a = repo.get_article(article_id)
    if a is None:
        err.print(f"[red]error:[/red] no article with id {shown(article_id)!r}")
        raise typer.Exit(1)
    from .views.queries import revision_history

    claims = list(_pages(repo.list_claims, article_id=article_id))
    history = revision_history(repo, article_id)
    if json_out:
        _print_json([{**a.to_json(), "claims": [c.to_json() for c in claims], "revision_history": history,
                      "warc": history[-1]["warc"] if history else None,
                      "revised_at": repo.article_revised_at(article_id)}])
        return
    out.print(f"[bold]{shown(a.title or '(no title)')}[/bold]")
    out.print(f"outlet: {shown(a.outlet or '?')}   published: {_when_published(a.published)}   id: {a.id}")
    out.print(shown(a.text, keep_lines=True))
    for cap in a.captions:
        out.print(f"[dim]caption:[/dim] {shown(cap.text)}")
    for r in a.removed:
        out.print(f"[dim]removed ({r.reason}):[/dim] [strike]{shown(r.text)}[/strike]")
    for c in claims:
        chain = " → ".join(h.name for h in c.chain)
        out.print(f"[cyan]claim[/cyan] {shown(_short(c.text, 90))}  [dim]{shown(chain)}[/dim]")
    if a.status != "live":
        out.print(f"[red]status: {shown(a.status)}[/red]")
    for rev in history[1:]:
        changes: Any = rev["changes"] or {}
        out.print(f"[bold]revision {rev['number']}[/bold] fetched {shown(rev['fetched_at'])}")
        if changes.get("title"):
            out.print(f"  title: {shown(changes['title']['from'])} → {shown(changes['title']['to'])}")
        for key, mark in (("sentences_removed", "[red]-[/red]"), ("sentences_added", "[green]+[/green]"),
                          ("claims_vanished", "[red]- claim[/red]"), ("claims_appeared", "[green]+ claim[/green]"),
                          ("events_vanished", "[red]- event[/red]"), ("events_appeared", "[green]+ event[/green]")):
            for line in changes.get(key) or []:
                out.print(f"  {mark} {shown(_short(line, 110))}")


@app.command()
def errors(db: str = DbOption, json_out: bool = JsonOption, limit: Optional[int] = LimitOption):
    """List per-file and per-record errors of all runs."""
    rows = _pages(_repo(db).list_errors, limit=limit)
    if json_out:
        _print_json(rows)
        return
    items = _table_rows(rows, limit)
    for e in items:
        out.print(f"[red]✗[/red] {shown(e.one_line())}")
    if not items:
        out.print("no errors")


@app.command()
def entities(
    db: str = DbOption,
    json_out: bool = JsonOption,
    type: Optional[str] = typer.Option(None, "--type", help="PERSON, ORG, PLACE, FACILITY, GROUP, EQUIPMENT, …"),
    limit: Optional[int] = LimitOption,
):
    """Entities resolved across documents and spellings."""
    items = _pages(_repo(db).list_entities, limit=limit, type=type)
    if json_out:
        _print_json(items)
        return
    table = Table(_id_column("id"), "type", "name", "mentions", "aliases")
    for e in _table_rows(items, limit):
        table.add_row(e.id, e.type, shown(e.name), str(e.count), shown(", ".join(e.aliases)))
    out.print(table)


@app.command()
def claims(
    db: str = DbOption,
    json_out: bool = JsonOption,
    article: Optional[str] = typer.Option(None, "--article", help="Only claims of this article id."),
    source: Optional[str] = typer.Option(None, "--source", help="Only claims with this source anywhere in the chain."),
    limit: Optional[int] = LimitOption,
):
    """Claims with their chain of sources back to the origin (the article id is what `sitrep show` takes)."""
    items = _pages(_repo(db).list_claims, limit=limit, article_id=article, source=source)
    if json_out:
        _print_json(items)
        return
    table = Table(_id_column("article"), "claim", "chain", "origin")
    for c in _table_rows(items, limit):
        flags = ["named" if c.origin_named else "anonymous"] + [f for f, on in (("hedged", c.hedged),
                                                                               ("denied", c.denied)) if on]
        table.add_row(c.article_id, shown(_short(c.text, 80)), shown(" → ".join(h.name for h in c.chain)),
                      ", ".join(flags))
    out.print(table)


def _near_to_bbox(near: str) -> tuple[float, float, float, float]:
    import math

    try:
        lat, lon, km = (float(x) for x in near.split(","))
    except ValueError:
        err.print("[red]error:[/red] --near expects LAT,LON,KM, e.g. --near 33.8,42.4,50")
        raise typer.Exit(2) from None
    dlat = km / 111.0
    dlon = km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
    return (lat - dlat, lon - dlon, lat + dlat, lon + dlon)


@app.command()
def events(
    db: str = DbOption,
    json_out: bool = JsonOption,
    type: Optional[str] = typer.Option(None, "--type", help=TYPE_HELP),
    since: Optional[str] = typer.Option(None, help="ISO date: events reaching into or after this day."),
    until: Optional[str] = typer.Option(None, help="ISO date: events reaching into or before this day."),
    include_undated: bool = typer.Option(False, "--include-undated",
                                         help="With --since/--until: keep events the reports give no time for."),
    near: Optional[str] = typer.Option(None, help="LAT,LON,KM: events within KM of a point."),
    limit: Optional[int] = LimitOption,
):
    """Events: who did what to whom, where and when (the article id is what `sitrep show` takes)."""
    _check_days(since, until)
    items = _events(_repo(db), type=type, since=since, until=until, include_undated=include_undated, near=near)
    if limit is not None:
        items = itertools.islice(items, limit)
    if json_out:
        _print_json(items)
        return
    table = Table(_id_column("article"), "type", "actor → target", "place", "time")
    for e in _table_rows(items, limit):
        p = e.place
        kind = e.type if e.status in (None, "asserted") else f"{e.type} ({e.status})"
        who = f"{e.actor or '?'} → {e.target}" if e.target else (e.actor or "")
        table.add_row(e.article_id, kind, shown(who), shown(f"{p.name} ({p.precision})" if p else ""), _when(e.time))
    out.print(table)


def _check_days(*days: str | None) -> None:
    from datetime import date

    for value, name in zip(days, ("--since", "--until")):
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                err.print(f"[red]error:[/red] {name} expects an ISO date (YYYY-MM-DD), got {shown(value)!r}")
                raise typer.Exit(2) from None


def _type_filter(type: str | None):
    """The --type a user gave, checked against the vocabulary (exit 2 listing valid names)."""
    from .events.ontology import TypeFilter, type_filter

    if not type:
        return TypeFilter()
    try:
        return type_filter(type)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {shown(str(exc))}", soft_wrap=True)
        raise typer.Exit(2) from None


def _events(repo, *, type: str | None = None, since: str | None = None, until: str | None = None,
            include_undated: bool = False, near: str | None = None) -> Iterator[Any]:
    """Every event matching the filters, streamed from the store: the PLOVER type, dates and the
    box around --near are answered there; an ACLED type and the exact radius here."""
    from .geodesy import haversine_km

    wanted = _type_filter(type)
    bbox = _near_to_bbox(near) if near else None
    rows = _pages(repo.list_events, type=wanted.plover, since=since, until=until, bbox=bbox,
                  include_undated=include_undated)
    point = tuple(float(x) for x in near.split(",")) if near else None
    for e in rows:
        if not wanted.matches_acled(e.acled_event_type, e.acled_sub_event_type):
            continue
        if point is not None:
            lat, lon, km = point
            if not (e.place and e.place.lat is not None and e.place.lon is not None
                    and haversine_km(lat, lon, e.place.lat, e.place.lon) <= km):
                continue
        yield e


@app.command()
def stories(db: str = DbOption, json_out: bool = JsonOption, limit: Optional[int] = LimitOption):
    """Stories: articles grouped by event, with corroboration counted by independent origin (the id is
    what `sitrep story` takes)."""
    items = _pages(_repo(db).list_stories, limit=limit)
    if json_out:
        _print_json(items)
        return
    table = Table(_id_column("id"), "articles", "events", "claim groups", "title")
    for s in _table_rows(items, limit):
        table.add_row(s.id, str(len(s.article_ids)), str(len(s.events)), str(len(s.claims)), shown(_short(s.title)))
    out.print(table)


@app.command()
def story(story_id: str, db: str = DbOption, json_out: bool = JsonOption):
    """One story: events, claims with corroboration, outlets, timeline."""
    repo = _repo(db)
    s = repo.get_story(repo.merged_into(story_id) or story_id)  # a merged fragment: its survivor
    if s is None:
        err.print(f"[red]error:[/red] no story with id {shown(story_id)!r}")
        raise typer.Exit(1)
    if json_out:
        _print_json([s])
        return
    out.print(f"[bold]{shown(s.title)}[/bold]  ({len(s.article_ids)} articles; outlets: {shown(', '.join(s.outlets))})")
    out.print("[bold]timeline[/bold]")
    for se in sorted(s.events, key=lambda se: (se.event.time.start.isoformat()
                                               if se.event.time and se.event.time.start else "9999")):
        e = se.event
        t = e.time
        out.print(f"  {_when(t)}  {e.type}"
                  f"  {shown(e.actor or '?')} @ {shown((e.place.name if e.place else None) or '?')}"
                  f"  reports={se.reports} independent origins={se.independent_origins}")
    out.print("[bold]claims[/bold]")
    for g in s.claims:
        flag = " [red]contradicted[/red]" if g.contradicted_by else ""
        out.print(f"  {shown(_short(g.text, 90))}  reports={g.reports} origins={g.independent_origins}{flag}")
    if s.related:
        out.print("[bold]related stories[/bold] (same topic, another event)")
        for head in filter(None, (repo.story_head(rid) for rid in s.related)):
            out.print(f"  {head['id']}  {shown(head.get('title') or '')}")


@app.command()
def search(query: str, db: str = DbOption, json_out: bool = JsonOption,
           limit: int = typer.Option(20, min=1, max=MAX_ROWS)):
    """Full-text search over article titles and text: words (all must occur), "exact phrases", OR between
    two terms, -word to leave out; a name also finds the entity's other spellings."""
    items = _repo(db).search(query, limit=limit)
    if json_out:
        _print_json(items)
        return
    for r in items:
        out.print(f"{r.id}  {shown(r.outlet or '?')}  {shown(_short(r.title))}\n    {shown(r.snippet or '')}")


EXPORT_FORMATS = ("acled-csv", "geojson", "claims-csv", "articles-json")


@app.command()
def export(
    what: str = typer.Argument(..., help="acled-csv (events in ACLED's column layout), geojson (events), claims-csv, articles-json"),
    out_dir: Path = typer.Option(Path("."), "--out-dir", help="Folder to write into (created if missing)."),
    db: str = DbOption,
    type: Optional[str] = typer.Option(None, "--type", help=TYPE_HELP),
    since: Optional[str] = typer.Option(None, help="ISO date."),
    until: Optional[str] = typer.Option(None, help="ISO date."),
    include_undated: bool = typer.Option(False, "--include-undated",
                                         help="With --since/--until: keep events the reports give no time for."),
    min_confidence: float = typer.Option(
        MIN_CONFIDENCE, "--min-confidence", min=0.0, max=1.0,
        help="Events below this confidence are left out of acled-csv and geojson (0: keep all).",
    ),
):
    """Export events, claims or articles to a file in --out-dir (named by the format, never elsewhere)."""
    from .views.exports import claims_csv, dumps, events_csv, events_geojson
    from .views.queries import iter_all, outlets_by_article

    if what not in EXPORT_FORMATS:
        err.print(f"[red]error:[/red] unknown export {shown(what)!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        raise typer.Exit(2)
    _check_days(since, until)
    repo = _repo(db)
    out_dir.mkdir(parents=True, exist_ok=True)
    if what in ("acled-csv", "geojson"):
        events = list(_events(repo, type=type, since=since, until=until, include_undated=include_undated))
        if what == "acled-csv":
            ids = {a for e in events for a in (e.article_ids or [e.article_id])}
            name, body = "events-acled.csv", events_csv(events, outlets_by_article(repo, ids), min_confidence)
        else:
            name, body = "events.geojson", dumps(events_geojson(events, min_confidence))
    elif what == "claims-csv":
        claims = list(iter_all(repo.list_claims))
        name, body = "claims.csv", claims_csv(claims, outlets_by_article(repo, {c.article_id for c in claims}))
    else:
        name, body = "articles.json", dumps([a.to_json() for a in iter_all(repo.list_articles)])
    target = out_dir / name
    # Write a new file and rename it over the fixed name: a symlink planted at that name is
    # replaced, never followed, so an export cannot write outside the chosen folder.
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".export-", dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    err.print(f"wrote {shown(str(target))}")


@app.command()
def serve(
    db: str = DbOption,
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, min=1, max=65535),
    workers: int = typer.Option(1, min=1, max=64, help="Server processes (each keeps its own response cache)."),
):
    """Serve the web UI and the JSON API."""
    from .api import serve as run_server

    _require_db(db)
    if _is_postgres(db):
        _needs(extras.POSTGRES)  # checked here: with --workers the store opens in uvicorn's workers
    err.print(f"serving {shown(db)} at http://{host}:{port}/")
    run_server(db, host=host, port=port, workers=workers)


def sample_corpus_dir() -> Path:
    return Path(__file__).parent / "samples" / "corpus"


@app.command()
def demo(
    db: str = typer.Option("sitrep-demo.sqlite", "--db", help="Where the demo database goes."),
    serve_after: bool = typer.Option(False, "--serve", help="Start the web UI afterwards."),
    port: int = typer.Option(8000, min=1, max=65535),
):
    """Run the whole pipeline on the sample corpus that ships with sitrep and show what it found."""
    corpus = sample_corpus_dir()
    paths = [str(corpus)]
    shared = Path(os.environ.get("SITREP_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
    seeds = shared / "corpus" / "seeds"  # the two real seed reports, read in place when present
    if seeds.exists():
        paths.append(str(seeds))
    err.print(f"[bold]sitrep demo[/bold]: ingesting {', '.join(shown(p) for p in paths)}")
    repo, report = run_ingest(paths, db)
    err.print(f"stored {report.stored} articles ({report.reprints} reprints, {report.duplicates} duplicates, "
              f"{report.skipped} already there), {len(report.errors)} errors")
    for e in report.errors:
        err.print(f"  [red]✗[/red] {shown(e.one_line())}")
    counts = {t: repo.count(t) for t in ("articles", "claims", "events", "entities", "stories")}
    out.print("[bold]found[/bold]: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    for s in repo.list_stories(limit=5):
        out.print(f"  story {s.id}: [bold]{shown(_short(s.title))}[/bold] — {len(s.article_ids)} articles, "
                  f"{len(s.events)} events, {len(s.claims)} claim groups")
        for g in sorted(s.claims, key=lambda g: -g.independent_origins)[:3]:
            out.print(f"     {g.reports} reports / {g.independent_origins} independent origins: {shown(_short(g.text, 80))}")
    exe = sys.argv[0] if Path(sys.argv[0]).name == "sitrep" else "sitrep"
    if os.path.isabs(exe):
        try:
            exe = os.path.relpath(exe)
        except ValueError:
            pass
    exe = shown(exe)
    out.print(f"\nresults are in [bold]{shown(db)}[/bold]; try:\n"
              f"  {exe} stories --db {db}\n  {exe} claims --db {db} --json\n  {exe} events --db {db}\n"
              f"  {exe} serve --db {db} --port {port}   → http://127.0.0.1:{port}/")
    if serve_after:
        serve(db=db, host="127.0.0.1", port=port)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
