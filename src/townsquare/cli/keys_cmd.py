"""`townsquare keys ...`: API keys."""

from __future__ import annotations

import typer
from rich.table import Table

from townsquare.access import keys
from townsquare.cli.common import console, session

app = typer.Typer(help="API keys and roles.", no_args_is_help=True)


@app.command()
def create(
    role: str = typer.Option(..., "--role", help="admin|moderator|council|advertiser|auditor|ingest"),
    name: str = typer.Option(..., "--name", help="Unique name of the key's holder."),
    advertiser: str | None = typer.Option(None, "--advertiser", help="Advertiser id (advertiser role only)."),
) -> None:
    """Create a key and print it once; only its hash is stored."""
    with session() as s:
        _, token = keys.create_key(s, role=role, name=name, advertiser_id=advertiser, actor="cli")
    typer.echo(token)


@app.command("list")
def list_() -> None:
    """List keys (never the secrets)."""
    table = Table("id", "name", "role", "advertiser", "created", "revoked")
    with session() as s:
        for k in keys.list_keys(s):
            table.add_row(
                str(k.id),
                k.name,
                k.role,
                k.advertiser_id or "",
                k.created_at.isoformat(timespec="seconds"),
                k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "",
            )
    console.print(table)


@app.command()
def revoke(name: str = typer.Argument(..., help="Name of the key to revoke.")) -> None:
    """Revoke a key; it stops working at once."""
    with session() as s:
        keys.revoke_key(s, name=name, actor="cli")
    console.print(f"revoked {name}")


@app.command()
def secret() -> None:
    """Print a new random TOWNSQUARE_SECRET_KEY (256 bits, hex); the server needs one outside dev mode."""
    from townsquare.access.secrets import make_secret

    typer.echo(make_secret())


@app.command("sign-out-everywhere")
def sign_out_everywhere(
    key: str | None = typer.Option(None, "--key", help="Only the sessions of this key (by name)."),
) -> None:
    """End every live web console session now (or those of one key); audited."""
    from townsquare.access.sessions import sign_out_everywhere as end_all

    with session() as s:
        count = end_all(s, actor="cli", key_name=key)
    console.print(f"ended {count} web session(s)")


@app.command()
def labeler(
    curve: str = typer.Option("secp256k1", "--curve", help="secp256k1 (atproto's usual) or p256."),
    out: str | None = typer.Option(
        None, "--out", help="PEM file (default TOWNSQUARE_ATPROTO_LABELER_KEY_FILE)."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace an existing key (labels signed before orphan)."
    ),
) -> None:
    """Generate the atproto labeler's signing key (PEM, mode 0600); prints only the public did:key."""
    from pathlib import Path

    from townsquare.connectors.atproto import keys as labeler_keys
    from townsquare.settings import get_settings

    path = Path(out or get_settings().atproto_labeler_key_file)
    try:
        key = labeler_keys.generate(curve)
        labeler_keys.save(key, path, overwrite=force)
    except labeler_keys.KeyError_ as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    console.print(f"wrote {path}")
    typer.echo(f"did:key {key.did_key}")
    typer.echo(f"publicKeyMultibase {key.multikey}")
