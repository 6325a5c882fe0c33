"""`townsquare connect …`: switch the platform connectors on and run them (Mastodon, Bluesky/atproto).

Configuration commands check before they store (a wrong URL or token fails here, not at the first decision), and
never print a secret. The workers (`push`, `sync`, `jetstream`) run once or `--loop`; each keeps its position in
the database, so stopping and starting them loses nothing.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from townsquare.cli.common import console, fail, session

if TYPE_CHECKING:
    from townsquare.storage.db import Database

app = typer.Typer(
    help="Connect to real platforms: Mastodon moderation and a Bluesky (atproto) labeler.",
    no_args_is_help=True,
)
mastodon_app = typer.Typer(
    help="Mastodon: admin webhooks in, admin actions and report resolutions out.", invoke_without_command=True
)
bluesky_app = typer.Typer(
    help="Bluesky/atproto: a labeler (signed labels over XRPC) and posts from the Jetstream.",
    invoke_without_command=True,
)
app.add_typer(mastodon_app, name="mastodon")
app.add_typer(bluesky_app, name="bluesky")


def _database() -> Database:
    from townsquare.cli.common import require_database
    from townsquare.settings import get_settings
    from townsquare.storage.db import get_database

    url = get_settings().database_url
    require_database(url)
    return get_database(url)


@mastodon_app.callback()
def mastodon(
    ctx: typer.Context,
    url: str | None = typer.Option(
        None, "--url", help="Base URL of the instance, e.g. https://town.example."
    ),
    token: str | None = typer.Option(
        None, "--token", help="Admin access token (scopes admin:read admin:write)."
    ),
    webhook_secret: str | None = typer.Option(None, "--webhook-secret", help="The admin webhook's secret."),
    push_automated: bool | None = typer.Option(
        None,
        "--push-automated/--human-only",
        help="Also push automated interim measures (default: human only).",
    ),
    check: bool = typer.Option(True, "--check/--no-check", help="Call the instance before storing."),
) -> None:
    """Store (after checking) the instance URL and token; without options, show the connection."""
    if ctx.invoked_subcommand:
        return
    from townsquare.connectors import config, outbox

    with session() as s:
        current = config.mastodon(s)
        if url is None and token is None and webhook_secret is None and push_automated is None:
            console.print_json(data={**current.masked(), "outbox": outbox.counts(s, "mastodon")})
            return
        value: dict[str, Any] = {
            "url": (url or current.url).rstrip("/"),
            "token": token or current.token,
            "webhook_secret": webhook_secret or current.webhook_secret,
            "push_automated": current.push_automated if push_automated is None else push_automated,
        }
        if not value["url"] or not value["token"]:
            fail("both --url and --token are needed the first time")
        if check:
            _check_mastodon(config.MastodonConfig(**value))
        config.save(s, config.MASTODON_KEY, value, actor="cli")
    console.print(f"Mastodon connector stored for {value['url']} (token and secret not shown).")
    console.print("Webhook endpoint for Mastodon: <public url>/api/v1/connectors/mastodon/webhook")


def _check_mastodon(cfg: object) -> None:
    from townsquare.connectors.mastodon.outbound import client

    try:
        api = client(cfg)  # type: ignore[arg-type]
        instance = api.instance_v1()
        me = api.account_verify_credentials()
    except Exception as exc:  # noqa: BLE001 - any failure means "not connected"; say why
        fail(f"cannot reach the instance with this token: {type(exc).__name__}: {exc}")
        return
    console.print(f"connected to {instance.get('uri') or instance.get('title')} as @{me.get('acct')}")


@mastodon_app.command()
def push(
    loop: bool = typer.Option(False, "--loop", help="Keep running (every --interval seconds)."),
    interval: float = typer.Option(10.0, "--interval", min=0.5),
) -> None:
    """Queue the calls owed for new decisions and decided reports, then send the due ones (with retries)."""
    from townsquare.connectors import config
    from townsquare.connectors.mastodon import outbound

    db = _database()
    stop = threading.Event()
    while True:
        with db.session() as s:
            cfg = config.mastodon(s)
            if not cfg.enabled:
                fail("Mastodon is not configured: townsquare connect mastodon --url … --token …")
            queued = outbound.plan(s, cfg)
        result = outbound.deliver(db, cfg)
        console.print_json(data={"queued": queued, **result.to_dict()})
        if not loop:
            return
        stop.wait(interval)


@bluesky_app.callback()
def bluesky(
    ctx: typer.Context,
    did: str | None = typer.Option(None, "--did", help="The labeler's DID (did:plc:… or did:web:…)."),
    key_file: str | None = typer.Option(None, "--key-file", help="PEM key file (townsquare keys labeler)."),
    endpoint: str = typer.Option(
        "", "--endpoint", help="Public base URL serving /xrpc (for the DID document)."
    ),
) -> None:
    """Store the labeler's DID and key file; without options, show them and what the DID document needs."""
    if ctx.invoked_subcommand:
        return
    from townsquare.connectors import config
    from townsquare.connectors.atproto import keys
    from townsquare.connectors.atproto.service import did_document_hints

    with session() as s:
        current = config.atproto(s)
        value = {"did": did or current.did, "key_file": key_file or current.key_file}
        if did is not None or key_file is not None:
            if not value["did"].startswith(("did:plc:", "did:web:")):
                fail("--did must be a did:plc:… or did:web:… identifier")
            config.save(s, config.ATPROTO_KEY, value, actor="cli")
    try:
        key = keys.load(Path(value["key_file"]))
    except keys.KeyError_ as exc:
        fail(str(exc))
        return
    console.print_json(
        data={
            "did": value["did"],
            "key_file": value["key_file"],
            "did_key": key.did_key,
            "did_document_needs": did_document_hints(value["did"], key.multikey, endpoint or "<endpoint>"),
        }
    )


@bluesky_app.command()
def declaration(out: Path | None = typer.Option(None, "--out", help="Write the record here (JSON).")) -> None:
    """The `app.bsky.labeler.service` record for the active policy (publish it with rkey `self`)."""
    from atproto_client import models
    from atproto_client.models.utils import get_or_create

    from townsquare.connectors.atproto.service import declaration as build
    from townsquare.policy.engine import active_policy

    with session() as s:
        record = build(active_policy(s))
    get_or_create(
        record, models.AppBskyLabelerService.Record, strict=True
    )  # the SDK's lexicon model accepts it
    text = json.dumps(record, indent=2, ensure_ascii=False)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
        console.print(f"wrote {out}")
    else:
        typer.echo(text)


@bluesky_app.command("sync")
def sync_labels(
    loop: bool = typer.Option(False, "--loop", help="Keep running (every --interval seconds)."),
    interval: float = typer.Option(2.0, "--interval", min=0.2),
) -> None:
    """Sign the labels (and negations) owed for new enforcement outcomes; subscribers get them at once."""
    from townsquare.connectors import config
    from townsquare.connectors.atproto import keys, sync

    db = _database()
    stop = threading.Event()
    while True:
        with db.session() as s:
            cfg = config.atproto(s)
            if not cfg.did:
                fail(
                    "no labeler DID: townsquare connect bluesky --did did:web:… (or TOWNSQUARE_ATPROTO_LABELER_DID)"
                )
            try:
                key = keys.load(Path(cfg.key_file))
            except keys.KeyError_ as exc:
                fail(str(exc))
                return
            written = sync.sync(s, key, did=cfg.did)
        console.print_json(data={"labels_written": written})
        if not loop:
            return
        stop.wait(interval)


@bluesky_app.command("jetstream")
def jetstream_cmd(
    url: str | None = typer.Option(
        None, "--url", help="Jetstream endpoint (default TOWNSQUARE_JETSTREAM_URL)."
    ),
    collection: list[str] = typer.Option(
        ["app.bsky.feed.post"], "--collection", help="Collections (repeat)."
    ),
    did: list[str] = typer.Option([], "--did", help="Only these authors (repeat)."),
    lang: list[str] = typer.Option(
        [], "--lang", help="Only posts declaring one of these languages (repeat)."
    ),
    max_events: int | None = typer.Option(None, "--max-events", min=1, help="Stop after this many events."),
    batch: int = typer.Option(100, "--batch", min=1, max=1000),
) -> None:
    """Ingest Bluesky posts from the Jetstream, filtered; they are classified and enforced like any post."""
    from townsquare.connectors.atproto import jetstream
    from townsquare.settings import get_settings

    flt = jetstream.Filter(
        collections=frozenset(collection), dids=frozenset(did), langs=frozenset(x.lower() for x in lang)
    )
    count = jetstream.run(
        _database(), url or get_settings().jetstream_url, flt, batch=batch, max_events=max_events
    )
    console.print_json(data=count.to_dict())
