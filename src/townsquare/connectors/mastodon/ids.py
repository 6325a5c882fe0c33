"""townsquare ids of Mastodon objects. One instance per townsquare database (see docs/connectors/mastodon.md).

Statuses become posts `mastodon:status:<id>`; an edited status becomes a new post revision
`mastodon:status:<id>:edit:<edited_at>` (posts are immutable: a different text under the same id would be a
conflict), which still maps back to the status. Accounts are `mastodon:account:<id>`.
"""

from __future__ import annotations

STATUS = "mastodon:status:"
ACCOUNT = "mastodon:account:"


def post_id(status_id: str, edited_at: str | None = None) -> str:
    return f"{STATUS}{status_id}" + (f":edit:{edited_at}" if edited_at else "")


def account_id(remote: str) -> str:
    return f"{ACCOUNT}{remote}"


def remote_account(local: str | None) -> str | None:
    return local[len(ACCOUNT) :] if local and local.startswith(ACCOUNT) else None


def remote_status(local: str | None) -> str | None:
    if not local or not local.startswith(STATUS):
        return None
    return local[len(STATUS) :].split(":edit:", 1)[0]
