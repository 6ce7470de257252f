"""``tinyml platform``: clear one-line errors, accounts from the command line."""

from clirun import tinyml

SQLITE = {"DATABASE_URL": "", "REDIS_URL": ""}  # a private SQLite site even when the suite runs on PostgreSQL


def test_unsupported_database_url_is_one_line(tmp_path):
    done = tinyml("platform", "serve", "--data-dir", str(tmp_path), "--database-url", "mysql://u:p@h/db")
    assert done.returncode == 1
    assert "is not supported: use postgresql://" in done.stderr and "Traceback" not in done.stderr


def test_admin_create_makes_staff_once_and_rejects_weak_passwords(tmp_path):
    good, weak = tmp_path / "good", tmp_path / "weak"
    good.write_text("a-Long-enough-pass-2026\n")
    weak.write_text("12345\n")
    data = ["--data-dir", str(tmp_path / "site")]
    made = tinyml(
        "platform",
        "admin",
        "create",
        "ada",
        "--email",
        "ada@example.org",
        "--password-file",
        str(good),
        *data,
        env=SQLITE,
    )
    assert made.returncode == 0 and "Created staff account ada" in made.stdout
    again = tinyml(
        "platform",
        "admin",
        "create",
        "ada",
        "--email",
        "ada@example.org",
        "--password-file",
        str(good),
        *data,
        env=SQLITE,
    )
    assert again.returncode == 1 and "the account 'ada' exists" in again.stderr
    rejected = tinyml(
        "platform",
        "admin",
        "create",
        "bo",
        "--email",
        "bo@example.org",
        "--password-file",
        str(weak),
        "--learner",
        *data,
        env=SQLITE,
    )
    assert rejected.returncode == 1 and "password rejected" in rejected.stderr and "Traceback" not in rejected.stderr
