"""Alerts: rules files checked, each rule kind matched on model records, and alerts from a watch
against the local test server written as JSON lines and POSTed to a local webhook receiver,
once per (rule, object) across passes and restarts."""
from __future__ import annotations

import io
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitrep.alerts import Alerter, ArticleRevised, RulesError, load_rules, parse_rules
from sitrep.alerts.match import (
    EntityNames,
    has_keyword,
    join_story_event,
    match_article,
    match_claim_group,
    match_event,
    match_revision,
)
from sitrep.model import Article, ClaimGroup, Cue, Event, Mention, OffsetMap, Place, Story, StoryEvent
from sitrep.vocab import PlacePrecision
from sitrep.watch.run import Watcher

from test_watch import client, light_pipeline, rss, serve_pages, site  # noqa: F401 (the fixture)


def rule(**kw):
    return parse_rules({"rule": [{"name": "r", **kw}]})[0]


def article(text="Crews reopened the bridge at Alder.", outlet="Valley Courier", mentions=(), events=()):
    a = Article(id="a1", source_path="x", text=text, original=text, offsets=OffsetMap(), title="Bridge reopens",
                outlet=outlet, url="https://valley.example/bridge")
    a.mentions = list(mentions)
    a.events = list(events)
    return a


def event(type="attack", lat=49.99, lon=36.23, confidence=0.8, actor="Russian forces"):
    place = Place(name="Kharkiv", lat=lat, lon=lon, precision=PlacePrecision.TOWN) if lat is not None else None
    return Event(id="e1", article_id="a1", type=type, trigger=Cue("shelled", 0, 7), actor=actor, target="Kharkiv",
                 place=place, confidence=confidence)


# -- the rules file -----------------------------------------------------------------------------

def test_rules_file_toml(tmp_path):
    toml = tmp_path / "rules.toml"
    toml.write_text('[[rule]]\nname = "strikes"\ntype = "Explosions/Remote violence"\n'
                    'near = { lat = 49.99, lon = 36.23, km = 50 }\nmin_confidence = 0.6\n\n'
                    '[[rule]]\nname = "wire"\norigins = 3\n\n[[rule]]\nname = "edits"\nrevised = true\noutlet = "Courier"\n'
                    '\n[[rule]]\nname = "w"\nentity = "Wagner Group"\n\n[[rule]]\nname = "n"\nnear = "1,2,3"\n')
    rules = load_rules(toml)
    assert [r.subject for r in rules] == ["event", "claim_group", "revision", "article", "event"]
    assert rules[0].types.acled == "Explosions/Remote violence" and rules[0].near.km == 50.0
    assert rules[3].entity == "Wagner Group" and rules[4].near.lat == 1.0
    yaml = tmp_path / "rules.yaml"
    yaml.write_text("rules:\n  - name: w\n    entity: Wagner Group\n")
    with pytest.raises(RulesError, match="TOML"):
        load_rules(yaml)


@pytest.mark.parametrize("raw, message", [
    ({"name": "x", "type": "attak"}, "unknown event type 'attak'"),
    ({"name": "x", "near": {"lat": 1, "lon": 2}}, "near must be"),
    ({"name": "x", "near": "91,0,5"}, "-90 <= lat"),
    ({"name": "x", "min_confidence": 1.5}, "between 0 and 1"),
    ({"name": "x", "origins": 0}, "at least 1"),
    ({"name": "x", "keywrd": "port"}, "unknown key(s) keywrd"),
    ({"name": "x"}, "at least one condition"),
    ({"keyword": "x"}, "needs a name"),
    ({"name": "x", "origins": 2, "entity": "Wagner"}, "cannot also check entity"),
    ({"name": "x", "revised": True, "type": "attack"}, "cannot also check"),
])
def test_rules_file_mistakes_are_refused(raw, message):
    with pytest.raises(RulesError) as exc:
        parse_rules({"rule": [raw]})
    assert message in str(exc.value)


def test_duplicate_names_and_bad_files(tmp_path):
    with pytest.raises(RulesError, match="unique"):
        parse_rules({"rule": [{"name": "a", "keyword": "x"}, {"name": "a", "outlet": "y"}]})
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]\nname=")
    with pytest.raises(RulesError, match="not valid TOML"):
        load_rules(bad)
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "missing.toml")


# -- matching, one record at a time -------------------------------------------------------------

def test_keyword_is_matched_as_whole_words():
    assert has_keyword("port", "The port reopened") and not has_keyword("port", "a report said")
    assert has_keyword("Kyiv", "KYIV, Ukraine —") and not has_keyword("x", None, "")


def test_article_rules_entity_outlet_keyword():
    wagner = EntityNames(frozenset({"wagner group", "wagner"}), frozenset({"E9"}))
    by_alias = article(mentions=[Mention("a1", 0, 6, "Wagner", "ORG")])
    by_id = article(mentions=[Mention("a1", 0, 3, "PMC", "ORG", entity_id="E9")])
    other = article(mentions=[Mention("a1", 0, 5, "Hamas", "ORG", entity_id="E1")])
    r = rule(entity="Wagner Group")
    assert match_article(r, by_alias, wagner) and match_article(r, by_id, wagner)
    assert match_article(r, other, wagner) is None
    alert = match_article(rule(outlet="valley courier", keyword="bridge"), article())
    assert alert is not None and alert.keys == ("article:a1",) and alert.to_json("t")["url"] == "https://valley.example/bridge"
    assert match_article(rule(outlet="Other Paper"), article()) is None
    assert match_article(rule(keyword="tunnel"), article()) is None
    assert match_article(rule(type="attack"), article()) is None  # an event rule never fires on an article


def test_event_rules_type_radius_confidence_entity():
    r = rule(type="attack", near={"lat": 50.0, "lon": 36.2, "km": 25}, min_confidence=0.6)
    hit = match_event(r, event(), article())
    assert hit is not None and hit.detail["distance_km"] < 25 and hit.detail["type"] == "attack"
    assert match_event(r, event(lat=50.45, lon=30.52), article()) is None  # Kyiv: ~410 km away
    assert match_event(r, event(lat=None), article()) is None  # no place: cannot be within the radius
    assert match_event(r, event(confidence=0.5), article()) is None
    assert match_event(r, event(confidence=None), article()) is None
    assert match_event(r, event(type="protest"), article()) is None
    acled = rule(type="Shelling/artillery/missile attack")
    shelled = event()
    shelled.acled_sub_event_type = "Shelling/artillery/missile attack"
    assert match_event(acled, shelled, article()) and match_event(acled, event(), article()) is None
    forces = EntityNames(frozenset({"russian forces"}))
    assert match_event(rule(type="attack", entity="Russian forces"), event(), article(), forces)
    assert match_event(rule(type="attack", entity="Russian forces"), event(actor="police"), article(), forces) is None
    assert match_event(rule(type="attack", outlet="Other"), event(), article()) is None


def test_an_event_alert_is_keyed_by_every_report_of_the_same_event():
    story = Story(id="S1", title="Shelling", article_ids=["a1", "a2"],
                  events=[StoryEvent(event(), ["e1", "a2:e1"], reports=2, outlets=["A", "B"], independent_origins=2)])
    alert = join_story_event(match_event(rule(type="attack"), event(), article()), story)
    assert alert.keys == ("event:e1", "event:a2:e1") and alert.detail["story_id"] == "S1"
    assert alert.detail["reports"] == 2
    alone = join_story_event(match_event(rule(type="attack"), event(), article()), Story("S2", "x", ["a9"]))
    assert alone.keys == ("event:e1",)


def test_claim_group_rule_fires_on_origins_reached_keyed_by_its_claims():
    group = ClaimGroup(id="G1", claim_ids=["c1", "c2", "c3"], text="The bridge was destroyed.", reports=3,
                       outlets=["A", "B", "C"], independent_origins=2, origins=["police", "witness"],
                       any_origin_named=True)
    story = Story(id="S1", title="Bridge", article_ids=["a1"], start=date(2026, 12, 1), claims=[group])
    assert match_claim_group(rule(origins=3), group, story) is None
    alert = match_claim_group(rule(origins=2, keyword="bridge", outlet="b"), group, story)
    assert alert is not None and alert.keys == ("claim:c1", "claim:c2", "claim:c3")
    assert alert.detail["story_id"] == "S1" and alert.detail["independent_origins"] == 2
    assert match_claim_group(rule(origins=2, outlet="D"), group, story) is None


def test_revision_rule():
    notice = ArticleRevised("a1", 2, "2026-12-02T10:00:00Z", "title changed")
    r = rule(revised=True, outlet="Valley Courier")
    alert = match_revision(r, notice, article())
    assert alert is not None and alert.keys == ("revision:a1@2",) and alert.detail["summary"] == "title changed"
    assert match_revision(r, notice, article(outlet="Other")) is None
    assert match_revision(rule(keyword="bridge"), notice, article()) is None  # not a revision rule


# -- the alerter against a local server and a local webhook receiver ----------------------------

class Receiver:
    def __init__(self):
        self.posts: list[dict] = []
        self.status = 200


@pytest.fixture
def webhook():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.posts.append({"body": json.loads(body), "type": self.headers.get("Content-Type")})
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"  # type: ignore[attr-defined]
    yield state
    server.shutdown()
    server.server_close()


RULES = [{"name": "bridges", "keyword": "bridge"}, {"name": "courier", "outlet": "Valley Courier"},
         {"name": "cedar only", "keyword": "cedar"}]


def test_watch_alerts_once_per_rule_and_object_with_webhook(site, webhook, repo_sqlite_or_pg):  # noqa: F811
    repo = repo_sqlite_or_pg
    rules = parse_rules({"rule": RULES})
    serve_pages(site, "alder", "birch")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/news/alder", "/news/birch"]))
    out = io.StringIO()
    alerter = Alerter(repo, rules, out, webhook=webhook.url)
    watcher = Watcher(light_pipeline(repo), client(), after_pass=lambda r: alerter.check(r.revised))
    report = watcher.run_once([site.base + "/feed.xml"])
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    assert sorted((x["rule"], x["title"]) for x in lines) == [
        ("bridges", "Item /news/alder"), ("bridges", "Item /news/birch"),
        ("courier", "Item /news/alder"), ("courier", "Item /news/birch")]
    assert all(x["subject"] == "article" and x["article_id"] and x["url"].startswith(site.base) for x in lines)
    assert [p["body"] for p in webhook.posts] == lines and webhook.posts[0]["type"] == "application/json"
    assert report.to_json()["alerts"]["fired"] == 4

    # the next pass brings cedar: only cedar's alerts; a new alerter (a restarted watch) the same
    serve_pages(site, "cedar")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"},
                                rss(site.base, ["/news/alder", "/news/birch", "/news/cedar"]))
    out2 = io.StringIO()
    alerter2 = Alerter(repo, rules, out2, webhook=webhook.url)
    Watcher(light_pipeline(repo), client(), after_pass=lambda r: alerter2.check(r.revised)).run_once(
        [site.base + "/feed.xml"])
    assert sorted(json.loads(x)["rule"] for x in out2.getvalue().splitlines()) == ["bridges", "cedar only", "courier"]
    assert len(webhook.posts) == 7

    # looking back on purpose (sitrep alerts --since) finds nothing that has not fired already
    again = Alerter(repo, rules, io.StringIO()).check(since="2000-01-01")
    assert again.articles == 3 and again.matched == 7 and again.fired == 0

    # revision notices the watch loop passes fire once per (article, revision)
    edits = parse_rules({"rule": [{"name": "edits", "revised": True, "keyword": "cedar"}]})
    cedar = next(a for a in repo.list_articles(limit=10) if a.url.endswith("cedar"))
    out3 = io.StringIO()
    editor = Alerter(repo, edits, out3)
    notice = ArticleRevised(cedar.id, 2, "2026-12-02T10:00:00Z", "1 sentence changed")
    assert editor.check([notice]).fired == 1 and editor.check([notice]).fired == 0
    assert editor.check([ArticleRevised(cedar.id, 3, "2026-12-02T11:00:00Z")]).fired == 1
    assert [json.loads(x)["revision"] for x in out3.getvalue().splitlines()] == [2, 3]


def test_a_new_rule_starts_at_the_newest_article(site, repo_sqlite_or_pg):  # noqa: F811
    repo = repo_sqlite_or_pg
    serve_pages(site, "dogwood")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/news/dogwood"]))
    Watcher(light_pipeline(repo), client()).run_once([site.base + "/feed.xml"])
    out = io.StringIO()
    stats = Alerter(repo, parse_rules({"rule": RULES}), out).check()
    assert stats.articles == 0 and out.getvalue() == ""  # stored before the rules existed


def test_webhook_failure_is_logged_not_fatal(site, webhook, repo_sqlite_or_pg):  # noqa: F811
    repo = repo_sqlite_or_pg
    serve_pages(site, "elm")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/news/elm"]))
    warnings: list[str] = []
    webhook.status = 500
    out = io.StringIO()
    alerter = Alerter(repo, parse_rules({"rule": RULES[:1]}), out, webhook=webhook.url, warn=warnings.append)
    down = Alerter(repo, parse_rules({"rule": [{"name": "down", "keyword": "elm"}]}), io.StringIO(),
                   webhook="http://127.0.0.1:9/nothing-listens", timeout=2.0, warn=warnings.append)
    report = Watcher(light_pipeline(repo), client(), after_pass=lambda r: (alerter.check(), down.check())).run_once(
        [site.base + "/feed.xml"])
    assert report.ingest.stored == 1
    assert len(out.getvalue().splitlines()) == 1 and len(webhook.posts) == 1  # written, POSTed, refused
    assert any("HTTP 500" in w for w in warnings) and any("ConnectError" in w for w in warnings)


@pytest.fixture
def repo_sqlite_or_pg(any_repo):
    return any_repo


SHELLING = [
    ("Reuters", "KHARKIV, Ukraine (Reuters) - Russian forces shelled Kharkiv on Tuesday, killing three civilians, "
                "regional governor Oleh Syniehubov said on Telegram. The attack damaged a school and several "
                "apartment blocks, he said."),
    ("AP", "KHARKIV (AP) - Russian artillery shelled the city of Kharkiv on Tuesday, killing three people, according "
           "to Oleh Syniehubov, the regional governor. A police spokesman said the attack damaged a school."),
]


def test_sitrep_alerts_after_ingest_with_the_full_pipeline(tmp_path):
    """The NLP stages produce the events, mentions and claim groups the rules read: an attack
    within 30 km of Kharkiv, a named official, a statement two independent origins back."""
    from typer.testing import CliRunner

    from sitrep import cli
    from sitrep.engines import make_engine
    from sitrep.model import RawDocument
    from sitrep.pipeline import Pipeline
    from sitrep.store.sqlite import SQLiteRepository

    db = tmp_path / "a.sqlite"
    repo = SQLiteRepository(db)
    docs = [RawDocument(source_path=f"{o}.txt", record_key="", text=t, format="txt", outlet=o, title=f"Shelling ({o})",
                        published="2026-12-01") for o, t in SHELLING]
    Pipeline(repo, engine=make_engine(workers=1)).ingest_records(iter(docs))
    repo.close()
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "shelling near Kharkiv"\ntype = "attack"\nnear = "49.99,36.23,30"\n'
                     'min_confidence = 0.5\n\n[[rule]]\nname = "governor"\nentity = "Oleh Syniehubov"\n\n'
                     '[[rule]]\nname = "two origins"\norigins = 2\n\n[[rule]]\nname = "Lviv"\nnear = "49.84,24.03,50"\n')
    out = tmp_path / "alerts.jsonl"
    runner = CliRunner()
    first = runner.invoke(cli.app, ["alerts", str(rules), "--db", str(db), "--since", "2000-01-01", "--out", str(out)])
    assert first.exit_code == 0, first.output
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    fired = {}
    for x in lines:
        fired.setdefault(x["rule"], []).append(x)
    assert "Lviv" not in fired  # Kharkiv is ~890 km from Lviv
    assert len(fired["shelling near Kharkiv"]) == 2
    assert all(x["type"] == "attack" and x["distance_km"] <= 30 for x in fired["shelling near Kharkiv"])
    assert len(fired["governor"]) == 2 and {x["subject"] for x in fired["governor"]} == {"article"}
    assert fired["two origins"] and all(x["independent_origins"] >= 2 for x in fired["two origins"])
    again = runner.invoke(cli.app, ["alerts", str(rules), "--db", str(db), "--since", "2000-01-01", "--out", str(out)])
    assert again.exit_code == 0 and len(out.read_text().splitlines()) == len(lines)  # fired once, not again
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nname = "x"\ntype = "shellng"\n')
    refused = runner.invoke(cli.app, ["alerts", str(bad), "--db", str(db)])
    assert refused.exit_code == 2 and "unknown event type" in refused.output


def test_watch_command_with_alerts(site, tmp_path, monkeypatch):  # noqa: F811
    from typer.testing import CliRunner

    from sitrep import cli

    serve_pages(site, "fir")
    site.routes["/feed.xml"] = (200, {"Content-Type": "text/xml"}, rss(site.base, ["/news/fir"]))
    monkeypatch.setattr(cli, "watch_pipeline", lambda repo, options, workers: light_pipeline(repo))
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "fir"\nkeyword = "fir"\n')
    db = str(tmp_path / "w.sqlite")
    common = ["watch", site.base + "/feed.xml", "--once", "--db", db, "--delay", "0", "--alerts", str(rules)]
    runner = CliRunner()
    mixed = runner.invoke(cli.app, common + ["--json"])
    assert mixed.exit_code == 2 and "--alerts-out" in mixed.output  # stdout keeps one JSON document
    bad_hook = runner.invoke(cli.app, common + ["--webhook", "ftp://x"])
    assert bad_hook.exit_code == 2 and "http(s)" in bad_hook.output
    done = runner.invoke(cli.app, common)
    assert done.exit_code == 0, done.output
    lines = [json.loads(x) for x in done.stdout.splitlines() if x.startswith("{")]
    assert [(x["rule"], x["url"]) for x in lines] == [("fir", site.base + "/news/fir")]
