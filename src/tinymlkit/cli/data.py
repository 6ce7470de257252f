"""``tinyml data ...``: look at, audit, split and augment a data set folder (keyword audio, IMU gestures, images)."""

from pathlib import Path

import typer
from rich.markup import escape

from tinymlkit.cli.ui import console, progress_bars, table

app = typer.Typer(help="Data-set engineering: stats, audit (and quarantine), split, augment.", no_args_is_help=True)

FOLDER = typer.Argument(..., help="Data set folder: <label>/<speaker or subject>_nohash_<n>.wav, .csv or .png.")
KIND = typer.Option(None, "--kind", help="audio, imu or image (default: from the files).")
OUT = typer.Option(None, "--out", help="Folder for the report files (default: FOLDER/_reports).")


def _out(folder: Path, out: Path | None) -> Path:
    return out if out is not None else folder / "_reports"


FORCE = typer.Option(
    False,
    "--force",
    help="Write into a folder that holds other files too; they are kept, "
    "never replaced or deleted (see docs/safety.md).",
)


@app.command()
def stats(folder: Path = FOLDER, kind: str = KIND, out: Path = OUT) -> None:
    """Counts per label, split and speaker/subject, lengths, sample rates, class balance; writes stats.json and an
    overview figure stats.png (counts and one example per label)."""
    from tinymlkit.data.split import SPLITS
    from tinymlkit.datatools.stats import folder_stats, plot_stats
    from tinymlkit.fileio import write_json

    with progress_bars() as progress:
        s = folder_stats(folder, kind, progress)

    def seconds(label: str) -> str:
        d = s.durations_s.get(label)
        return f"{d['min']:.2f} / {d['median']:.2f} / {d['max']:.2f}" if d else "-"

    rows = [
        [label, *(s.counts[label][sp] for sp in SPLITS), s.groups_per_label[label], seconds(label)]
        for label in s.labels
    ]
    rows.append([f"[dim]{s.group_word}s[/]", *(s.groups[sp] for sp in SPLITS), "", ""])
    console.print(
        table(
            f"{s.root} ({s.kind}, {s.files} files)",
            ["label", *SPLITS, f"{s.group_word}s", "seconds min / median / max"],
            rows,
        )
    )
    rates = f"sample rates: {', '.join(f'{r} ({n})' for r, n in s.rates.items())}; " if s.timed else ""
    console.print(
        f"  {rates}balance (largest / smallest class) {s.balance:.2f}; files per {s.group_word} "
        f"{s.files_per_group['min']:g}-{s.files_per_group['max']:g} (median {s.files_per_group['median']:g})",
        highlight=False,
    )
    for column, values in s.metadata.items():
        console.print(
            f"  {column}: "
            + ", ".join(f"{k} ({v})" for k, v in list(values.items())[:8])
            + (", ..." if len(values) > 8 else ""),
            style="dim",
            highlight=False,
        )
    for w in s.warnings:
        console.print(f"  warning: {w}", style="yellow", highlight=False)
    folder_out = _out(folder, out)
    write_json(folder_out / "stats.json", s)
    plot_stats(s, folder_out / "stats.png")
    console.print(f"[bold green]Written[/]: {folder_out / 'stats.json'}, {folder_out / 'stats.png'}", highlight=False)


@app.command()
def audit(
    folder: Path = FOLDER,
    fix: bool = typer.Option(
        False,
        "--fix",
        help="Move the bad files to FOLDER/_quarantine/ (never deletes; 'tinyml data restore' puts them back).",
    ),
    labels: bool = typer.Option(
        True, "--labels/--no-labels", help="Look for suspected label errors (cross-validated logistic regression)."
    ),
    kind: str = KIND,
    out: Path = OUT,
) -> None:
    """Find duplicates and near duplicates (leakage across splits), silent, clipped and wrong-length files,
    speakers in two splits, outliers and suspected label errors; each with a suggested fix. Writes audit.json."""
    from tinymlkit.datatools.audit import audit_folder, check_quarantine, quarantine, save_audit

    if fix:
        check_quarantine(folder)  # a damaged manifest is found before the slow audit, not after it
    with progress_bars() as progress:
        result = audit_folder(folder, kind, labels, progress)
    if result.findings:
        console.print(
            f"[bold]{len(result.findings)} findings in {result.files} files[/] "
            f"({', '.join(f'{k} {v}' for k, v in result.counts.items())}); [red]*[/] = moved by --fix"
        )
        for f in result.findings:
            mark = "[red]*[/]" if f.quarantine else " "
            console.print(
                f"{mark} [bold]{f.check}[/] {f.path}: {f.detail} [dim]-> {f.fix}[/]", highlight=False, soft_wrap=True
            )
    else:
        console.print(f"[bold green]No problems found[/] in {result.files} files.")
    console.print(f"  label check: {result.label_check}", style="dim", highlight=False)
    path = save_audit(result, _out(folder, out) / "audit.json")
    console.print(f"[bold green]Written[/]: {path}", highlight=False)
    if fix:
        moved = quarantine(result)
        console.print(
            f"[bold]Quarantined[/] {len(moved.moved)} files into {moved.folder} (manifest.json lists "
            f"each; 'tinyml data restore {folder}' puts them back).",
            highlight=False,
        )
    elif result.to_quarantine:
        console.print(
            f"  {len(result.to_quarantine)} files would be quarantined: run again with --fix", highlight=False
        )


@app.command()
def restore(folder: Path = FOLDER) -> None:
    """Move every quarantined file back to where it was (from FOLDER/_quarantine/manifest.json)."""
    from tinymlkit.datatools.audit import restore as restore_files
    from tinymlkit.datatools.kinds import check_folder

    result = restore_files(check_folder(folder))
    console.print(f"[bold green]Restored[/] {len(result.moved)} files into {folder}", highlight=False)


@app.command()
def split(
    folder: Path = FOLDER,
    validation: float = typer.Option(10.0, "--validation", help="Percent of speakers/subjects for validation."),
    test: float = typer.Option(10.0, "--test", help="Percent of speakers/subjects for test."),
    by: str = typer.Option(
        None, "--by", help="metadata.csv column that names the group (default: the file name's part before _nohash_)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace existing lists even if held-out files move."),
    kind: str = KIND,
) -> None:
    """Write validation_list.txt and testing_list.txt: whole speakers/subjects per split, by a stable hash of
    the name, so a file never changes split when others are added."""
    from tinymlkit.data.split import SPLITS
    from tinymlkit.datatools.split_lists import write_split_lists

    r = write_split_lists(folder, kind, validation, test, by, force)
    console.print(
        table(
            f"split of {r.root}",
            ["", *SPLITS],
            [["files", *(r.counts[s] for s in SPLITS)], ["groups", *(r.groups[s] for s in SPLITS)]],
        )
    )
    if r.had_lists:
        console.print(f"  {r.changed} files changed split against the previous lists", highlight=False)
    console.print(
        f"[bold green]Written[/]: {folder / 'validation_list.txt'}, {folder / 'testing_list.txt'}", highlight=False
    )


@app.command()
def augment(
    folder: Path = FOLDER,
    out: Path = typer.Argument(..., help="New folder for the augmented data set."),
    copies: int = typer.Option(1, "--copies", help="Augmented copies of each training file."),
    ops: str = typer.Option(
        None,
        "--ops",
        help="Comma-separated operations (audio: noise, shift, gain, speed, "
        "pitch; imu: rotate, scale, noise; image: flip, brightness). Default: all.",
    ),
    kind: str = KIND,
    seed: int = typer.Option(0, "--seed", help="Random seed: the same seed gives the same files."),
    force: bool = FORCE,
) -> None:
    """Copy the data set to OUT and add augmented copies of its training files (validation and test files are
    never augmented); augment.csv records every file's source and parameters."""
    from tinymlkit.datatools.augment_folder import augment_folder

    names = [o.strip() for o in ops.split(",") if o.strip()] if ops else None
    with progress_bars() as progress:
        r = augment_folder(folder, out, copies, names, kind, seed, progress, force)
    console.print(
        f"[bold green]Written[/]: {escape(r.out)}: {r.originals} original files and {r.augmented} augmented "
        f"({', '.join(r.ops)}, {r.copies} per training file; {r.held_out} held-out files not augmented); "
        "see augment.csv",
        highlight=False,
    )
    if r.skipped:
        console.print(
            f"  warning: {len(r.skipped)} unreadable files not augmented (e.g. {r.skipped[0]}); run "
            "'tinyml data audit'",
            style="yellow",
            highlight=False,
        )


@app.command()
def get(
    name: str = typer.Argument(
        ...,
        help="Data set: speech-commands (v0.02), speech-commands-v0.01, vww (Visual Wake Words, 96x96), mimii-fan, "
        "mimii-pump, mimii-slider, mimii-valve, toyadmos-car, toyadmos-conveyor (DCASE 2020 task 2).",
    ),
    to: Path = typer.Option(..., "--to", help="New folder for the unpacked data set."),
    url: str = typer.Option(
        None, "--url", help="Download from this address instead (a mirror); also $TINYML_DATA_URL."
    ),
    sha256: str = typer.Option(
        None,
        "--sha256",
        help="The SHA-256 the archive must have (with --url, for an archive other than the published one).",
    ),
    force: bool = FORCE,
) -> None:
    """Download a public data set (resumed where an earlier try stopped), check its size and published digest
    (SHA-256; MD5 for the Zenodo ones) and unpack it into a new folder, complete or not at all."""
    from tinymlkit.datatools.download import get as fetch
    from tinymlkit.datatools.download import source_of

    source = source_of(name, url, sha256)
    console.print(f"{escape(source.description)}\n  from {escape(source.url)}", highlight=False)
    with progress_bars() as progress:
        r = fetch(name, to, url, sha256, force, progress)
    console.print(f"[bold green]Written[/]: {escape(r.summary())}", highlight=False)
    next_command = r.next_command()  # looks into the unpacked folder: once
    if next_command:
        console.print(f"  next: {escape(next_command)}", highlight=False)
