"""Loading the active policy and recording every policy text that is ever enforced.

The active policy is the file named by the `policy_file` setting, or the default shipped in the package.
Whenever enforcement uses a policy whose text has not been seen before, the whole text is stored in
`policy_versions` and a `policy.activated` audit record is appended in the same transaction, so any past decision
can be explained against the exact rules that produced it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.policy.loader import PolicyError, load_text
from townsquare.policy.rules import Policy
from townsquare.policy.yamlnodes import Problem
from townsquare.storage import txcache
from townsquare.storage.models import AuditRecord, PolicyVersion

PACKAGED_DEFAULT = Path(__file__).with_name("default.yaml")
_cache: dict[str, Policy] = {}


def default_path() -> Path:
    """The configured policy file, else the packaged default."""
    from townsquare.settings import get_settings

    configured = get_settings().policy_file
    return Path(configured) if configured else PACKAGED_DEFAULT


def load_policy(path: str | Path | None = None) -> Policy:
    """Parse and validate a policy file (cached by content hash). PolicyError lists every problem."""
    target = Path(path) if path is not None else default_path()
    try:
        text = target.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(
            [Problem(1, 1, f"cannot read policy file: {exc.strerror or exc}")], str(target)
        ) from exc
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cached = _cache.get(digest)
    if cached is not None:
        return cached
    policy = load_text(text, str(target))
    _cache[digest] = policy
    return policy


def policy_from_version(row: PolicyVersion) -> Policy:
    """The policy a past decision was taken under (stored texts were valid when recorded)."""
    cached = _cache.get(row.sha256)
    if cached is None:
        cached = load_text(row.source, f"policy_versions/{row.id}")
        _cache[row.sha256] = cached
    return cached


def _last_activated_sha(session: Session) -> str | None:
    payload = session.scalar(
        select(AuditRecord.payload)
        .where(AuditRecord.event == "policy.activated")
        .order_by(AuditRecord.seq.desc())
        .limit(1)
    )
    return str(payload.get("sha256")) if isinstance(payload, dict) else None


def _audit_activation(session: Session, policy: Policy, actor: str, previous: str | None) -> None:
    audit.append(
        session,
        actor=actor,
        event="policy.activated",
        subject_type="policy",
        subject_id=policy.label,
        payload={
            "version": policy.version,
            "sha256": policy.sha256,
            "previous": previous,
            "rules": [r.ref for r in policy.all_rules()],
        },
    )


def record_policy(session: Session, policy: Policy, actor: str = "system") -> PolicyVersion:
    """Store the policy text once (by hash); audit each change of the policy in force (A -> B -> A is 3 records)."""
    previous = _last_activated_sha(session)
    existing = session.scalar(select(PolicyVersion).where(PolicyVersion.sha256 == policy.sha256))
    if existing is not None:
        if previous != policy.sha256:  # a known text comes back into force
            existing.activated_at, existing.activated_by = clock.now(), actor
            _audit_activation(session, policy, actor, previous)
        return existing
    try:
        with session.begin_nested():
            row = PolicyVersion(
                version=policy.version, sha256=policy.sha256, source=policy.source, activated_by=actor
            )
            session.add(row)
            session.flush()
            _audit_activation(session, policy, actor, previous)
    except IntegrityError:
        # Another transaction recorded the same text first: use theirs.
        existing = session.scalar(select(PolicyVersion).where(PolicyVersion.sha256 == policy.sha256))
        assert existing is not None
        return existing
    return row


ACTIVE_POLICY_KEY = "active_policy"
"""Runtime setting naming (by sha256) the policy two admins activated (`policy.activation`); wins over the file."""


def current_policy(session: Session) -> Policy:
    """The policy in force, read only (a page's GET must not write): the two-admin activated text, else the file."""
    from townsquare.storage.models import RuntimeSetting

    setting = session.get(RuntimeSetting, ACTIVE_POLICY_KEY)
    sha = setting.value.get("sha256") if setting is not None and isinstance(setting.value, dict) else None
    if sha:
        row = session.scalar(select(PolicyVersion).where(PolicyVersion.sha256 == str(sha)))
        if row is not None:
            return policy_from_version(row)
    return load_policy()


_ACTIVE_KEY = "townsquare.policy.active"


def active_policy(session: Session) -> Policy:
    """The policy enforcement applies now, recorded in `policy_versions` (and audited) on first use.

    Read once per transaction: a batch of hundreds of actions asked for it at every step (four queries each);
    within one transaction only `forget_active_policy` (activation) can change the answer."""
    cached = txcache.get(session, _ACTIVE_KEY)
    if cached is not None:
        return cast(Policy, cached)
    policy = current_policy(session)
    record_policy(session, policy)
    txcache.put(session, _ACTIVE_KEY, policy)
    return policy


def forget_active_policy(session: Session) -> None:
    """The activated policy changed in this transaction: the next `active_policy` reads it again."""
    txcache.forget(session, _ACTIVE_KEY)


_by_label: dict[str, Policy] = {}


def policy_for_label(session: Session, label: str) -> Policy | None:
    """The stored policy an action recorded (`Action.policy_version` = version+sha prefix), if any.

    A stored text never changes (rows are keyed by its hash), so a label found once is remembered for the process:
    every action shown or enforced asks for the rule it cited."""
    if "+" not in label:
        return None
    if label in _by_label:
        return _by_label[label]
    prefix = label.rsplit("+", 1)[1]
    row = session.scalar(select(PolicyVersion).where(PolicyVersion.sha256.startswith(prefix)).limit(1))
    if row is None:
        return None
    policy = policy_from_version(row)
    if len(_by_label) < 256:
        _by_label[label] = policy
    return policy
