"""Settings: every field documented, secrets masked, the placeholder secret refused outside dev mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from townsquare.settings import DEFAULT_SECRET, Settings

DOC = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [
        f"TOWNSQUARE_{n.upper()}" for n in Settings.model_fields if f"TOWNSQUARE_{n.upper()}" not in text
    ]
    assert not missing, f"undocumented settings in docs/configuration.md: {missing}"


def test_default_secret_refused_outside_dev_mode() -> None:
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Settings(dev_mode=False, secret_key=SecretStr(DEFAULT_SECRET)).check_secret()
    Settings(dev_mode=True, secret_key=SecretStr(DEFAULT_SECRET)).check_secret()
    strong = "9f2c4e1a97b3d5f2086e9a1c3b5d7f90e248b6d4f2a0c1e39577d1c0a8e6b4f203"  # openssl rand -hex 32
    Settings(dev_mode=False, secret_key=SecretStr(strong)).check_secret()


def test_masked_hides_secrets_and_passwords() -> None:
    s = Settings(
        secret_key=SecretStr("s3cr3t"),
        database_url="postgresql://app:hunter2@db.example/prod",
        webhook_secret=SecretStr("whk"),
    )
    shown = str(s.masked())
    assert "s3cr3t" not in shown and "hunter2" not in shown and "whk" not in shown
    assert s.masked()["secret_key"] == "********"


def test_env_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_PORT", "8123")
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", "sqlite:///x.db")
    s = Settings()
    assert s.port == 8123 and s.database_url == "sqlite:///x.db"


def test_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TOWNSQUARE_MAX_BODY_BYTES", raising=False)
    (tmp_path / ".env").write_text("TOWNSQUARE_MAX_BODY_BYTES=4096\n")
    assert Settings().max_body_bytes == 4096


def test_masked_urls_stay_the_same_url() -> None:
    from townsquare.access.secrets import mask_url

    assert mask_url("sqlite:///./var/townsquare.db") == "sqlite:///./var/townsquare.db"
    assert mask_url("sqlite:////abs/path.db") == "sqlite:////abs/path.db"
    assert mask_url("postgresql://u:pw@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert mask_url("nats://tok@127.0.0.1:4222") == "nats://***@127.0.0.1:4222"
