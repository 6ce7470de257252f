"""Where the platform keeps its state and which services it uses, from flags or the environment.

Defaults need nothing installed: SQLite for the database and for the task queue, in the user's data folder
(``$TINYML_PLATFORM_DIR``, else ``$XDG_DATA_HOME/tinymlkit/platform``, else ``~/.local/share/tinymlkit/platform``).
``DATABASE_URL`` (``postgresql://...``) and ``REDIS_URL`` (``redis://...``) scale it out: the same code,
configuration only.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from tinymlkit.errors import TinyMLError

ENV_DIR = "TINYML_PLATFORM_DIR"


@dataclass(frozen=True)
class PlatformConfig:
    data_dir: Path
    database_url: str | None = None
    redis_url: str | None = None

    @classmethod
    def from_env(cls) -> "PlatformConfig":
        return cls(
            data_dir=default_data_dir(),
            database_url=os.environ.get("DATABASE_URL") or None,
            redis_url=os.environ.get("REDIS_URL") or None,
        )

    def validate(self) -> None:
        if self.database_url and not self.database_url.startswith(("postgres://", "postgresql://", "sqlite:")):
            raise TinyMLError(
                f"--database-url {self.database_url!r} is not supported: use postgresql://USER:PASS@HOST/DB"
            )
        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise TinyMLError(f"--redis-url {self.redis_url!r} is not a Redis URL: use redis://HOST:6379/0")

    def export(self) -> None:
        """Put this configuration in the environment, where the settings module (and child processes) read it."""
        self.validate()
        os.environ[ENV_DIR] = str(self.data_dir)
        for name, value in (("DATABASE_URL", self.database_url), ("REDIS_URL", self.redis_url)):
            if value:
                os.environ[name] = value
            else:
                os.environ.pop(name, None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "tinymlkit.platform.settings"


def default_data_dir() -> Path:
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "tinymlkit" / "platform"


def secret_key(data_dir: Path) -> str:
    """The site's secret key: ``$TINYML_SECRET_KEY``, else one made on first run and kept in the data folder."""
    if os.environ.get("TINYML_SECRET_KEY"):
        return os.environ["TINYML_SECRET_KEY"]
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(50))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip()
