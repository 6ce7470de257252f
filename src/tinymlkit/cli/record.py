"""``tinyml record ...`` (record your own data sets) and ``tinyml device ...`` (boards over USB serial)."""

import sys
import time
from collections.abc import Callable
from pathlib import Path

import typer
from rich.markup import escape

from tinymlkit.cli.ui import console, table
from tinymlkit.errors import TinyMLError

app = typer.Typer(
    help="Record your own data: keyword clips from a microphone or a board, gestures from a board's IMU.",
    no_args_is_help=True,
)
board_app = typer.Typer(
    help="Boards: simulate one (no hardware needed), list serial ports, check a connection, the boards catalogue.",
    no_args_is_help=True,
)

PORT_HELP = "Serial port of the board (see 'tinyml device ports'), or of 'tinyml device simulate'."
BAUD = typer.Option(115200, "--baud", help="Baud rate the capture sketch uses (ignored by native-USB boards).")
COUNTDOWN = typer.Option(2, "--countdown", help="Seconds of countdown before each take (0: none).")
YES = typer.Option(False, "--yes", "-y", help="Keep every take that passes the checks without asking (scripts).")
SPARKS = "▁▂▃▄▅▆▇█"


def _say(text: str, **kwargs) -> None:
    """One message line: never wrapped (the terminal may still fold it), no automatic highlighting."""
    console.print(text, soft_wrap=True, highlight=False, **kwargs)


# -- keyword clips ---------------------------------------------------------------------------------------------


@app.command()
def kws(
    label: str = typer.Option(..., "--label", help="The word (folder name), e.g. yes; 'silence' for quiet."),
    speaker: str = typer.Option(None, "--speaker", help="Speaker name or id (data is split by speaker)."),
    data: Path = typer.Option(Path("data/kws"), "--data", help="Data set folder (Speech Commands layout)."),
    count: int = typer.Option(20, "--count", help="How many clips to keep."),
    seconds: float = typer.Option(1.5, "--seconds", help="Length of each take; the 1 s around the speech is kept."),
    wav: Path = typer.Option(None, "--wav", help="A WAV file (or folder) to use as the microphone (tests, demos)."),
    port: str = typer.Option(None, "--port", help="Record with a board's microphone (capture_mic sketch)."),
    baud: int = BAUD,
    device: str = typer.Option(None, "--device", help="Computer microphone: sounddevice name or index."),
    countdown: int = COUNTDOWN,
    yes: bool = YES,
    words: str = typer.Option(None, "--words", help="The keywords, to check what the data set still misses."),
) -> None:
    """Record labelled 1 s keyword clips: countdown, level meter, trimming around the speech, keep or redo."""
    from tinymlkit.capture.kws import record_keywords
    from tinymlkit.capture.session import check_label, check_name

    check_label(label)
    check_name(speaker or "", "--speaker")
    mic = _microphone(wav, port, baud, device)
    try:
        _say(f"Recording {count} clip(s) of [bold]{label}[/] by {speaker} into {data / label}/ with {mic.name}")
        interactive = _interactive(yes)
        pause = 0 if wav is not None else countdown
        result = record_keywords(
            mic,
            data,
            label,
            speaker or "",
            count,
            seconds,
            review=_review_clip(mic, interactive),
            before_take=_countdown(f"say '{label}'", pause),
            on_level=_level_meter() if wav is None and port is None else None,
        )
    finally:
        mic.close()
    _session_summary(result, data)
    _show_kws_status(data, words)


@app.command()
def noise(
    data: Path = typer.Option(Path("data/kws"), "--data", help="Data set folder; noise goes to _background_noise_/."),
    name: str = typer.Option("room", "--name", help="File name (without .wav), e.g. kitchen."),
    seconds: float = typer.Option(30.0, "--seconds", help="How long to record."),
    wav: Path = typer.Option(None, "--wav", help="A WAV file to use as the microphone."),
    port: str = typer.Option(None, "--port", help="Record with a board's microphone (capture_mic sketch)."),
    baud: int = BAUD,
    device: str = typer.Option(None, "--device", help="Computer microphone: sounddevice name or index."),
) -> None:
    """Record background noise: the keyword trainer mixes it into clips and cuts 'silence' from it."""
    from tinymlkit.capture.kws import record_noise

    mic = _microphone(wav, port, baud, device)
    try:
        _say(f"Recording {seconds:g} s of background noise with {mic.name}: stay quiet...")
        path = record_noise(mic, data, name, seconds, on_level=_level_meter() if wav is None and port is None else None)
    finally:
        mic.close()
    console.print(f"[bold green]saved[/] {path}")


# -- gestures --------------------------------------------------------------------------------------------------


@app.command()
def imu(
    port: str = typer.Option(..., "--port", help=PORT_HELP),
    label: str = typer.Option(..., "--label", help="The gesture (folder name), e.g. O, W, wing."),
    subject: str = typer.Option(None, "--subject", help="Who draws (data is split by subject)."),
    data: Path = typer.Option(Path("data/wand"), "--data", help="Data set folder (magic-wand IMU layout)."),
    count: int = typer.Option(10, "--count", help="How many recordings to keep."),
    seconds: float = typer.Option(3.0, "--seconds", help="Length of each recording."),
    hand: str = typer.Option("", "--hand", help="left or right (saved in metadata.csv)."),
    trigger: str = typer.Option(
        "host", "--trigger", help="host: ask for each recording; board: the board starts them (MOTION_TRIGGER sketch)."
    ),
    baud: int = BAUD,
    countdown: int = COUNTDOWN,
    yes: bool = YES,
) -> None:
    """Record gestures from a board's IMU (capture_imu sketch) as CSV files the magic-wand trainer reads."""
    from tinymlkit.capture.imu import record_gestures
    from tinymlkit.capture.serial_link import BoardConnection
    from tinymlkit.capture.session import check_label, check_name

    check_label(label)
    check_name(subject or "", "--subject")
    with BoardConnection(port, baud) as board:
        header = board.wait_header("imu")
        _say(
            f"Board: {header.board or 'unknown'} {header.fields.get('imu', '')} at {header.rate_hz:g} Hz on {port}. "
            f"Recording {count} '{label}' gesture(s) by {subject} into {data / label}/"
        )
        prompt = "draw" if trigger == "host" else "swing the board to start; draw"
        result = record_gestures(
            board,
            data,
            label,
            subject or "",
            count,
            seconds,
            hand,
            trigger,
            review=_review_gesture(_interactive(yes)),
            before_take=_countdown(f"{prompt} '{label}'", countdown if trigger == "host" else 0),
        )
        if board.stats.garbage or board.stats.discarded_recordings:
            reasons = ", ".join(f"{k}: {v}" for k, v in board.stats.dropped.most_common())
            _say(
                f"[yellow]link:[/] {board.stats.garbage} bad lines dropped ({reasons}); "
                f"{board.stats.discarded_recordings} unfinished recordings discarded"
            )
    _session_summary(result, data)
    _show_imu_status(data)


# -- sketches and status ---------------------------------------------------------------------------------------


@app.command()
def sketch(
    sensor: str = typer.Argument(..., help="imu or mic"),
    out: Path = typer.Argument(..., help="Folder that receives capture_<sensor>/"),
    rev: int = typer.Option(2, "--rev", help="Nano 33 BLE Sense revision: 2 (BMI270 IMU) or 1 (LSM9DS1)."),
    baud: int = typer.Option(115200, "--baud", help="Serial baud rate of the sketch."),
    motion_trigger: bool = typer.Option(
        False,
        "--motion-trigger",
        help="IMU: the board starts a recording when swung (use with 'record imu --trigger board').",
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Write beside other files in OUT/capture_<sensor>/; edited or foreign files are never replaced.",
    ),
) -> None:
    """Write the Arduino capture sketch (Nano 33 BLE Sense) that 'tinyml record' talks to."""
    from tinymlkit.capture.sketch import write_capture_sketch

    folder = write_capture_sketch(sensor, out, rev, baud, motion_trigger, force)
    console.print(f"[bold green]sketch written to[/] {escape(str(folder))}/ (see README.md there to upload it)")


@app.command()
def status(
    data: Path = typer.Argument(..., help="A data set folder made by 'tinyml record kws' or 'record imu'."),
    words: str = typer.Option(None, "--words", help="Keyword data: the keywords (the rest are 'unknown')."),
) -> None:
    """How many examples each label has per split, and what is still missing before training."""
    if not data.is_dir():
        raise TinyMLError(f"data folder {data} not found")
    if any(data.glob("*/*.csv")) and not any(data.glob("*/*.wav")):
        _show_imu_status(data)
    else:
        _show_kws_status(data, words)


# -- boards ----------------------------------------------------------------------------------------------------


@board_app.command()
def simulate(
    sensor: str = typer.Option("imu", "--sensor", help="imu (gestures) or mic (keyword clips)."),
    rev: int = typer.Option(2, "--rev", help="Simulated board revision: 2 (BMI270, 99.84 Hz) or 1 (LSM9DS1, 119 Hz)."),
    baud: int = typer.Option(115200, "--baud", help="Baud rate the simulated sketch uses."),
    gesture: str = typer.Option(None, "--gesture", help="IMU: always draw this gesture (default: the label asked)."),
    audio: Path = typer.Option(None, "--audio", help="Mic: WAV file or folder the board 'hears' (default: tones)."),
    garbage: float = typer.Option(0.0, "--garbage", help="Share of lines to corrupt (tests the reader)."),
    disconnect_after: int = typer.Option(None, "--disconnect-after", help="Vanish mid-recording after N recordings."),
    seconds: float = typer.Option(None, "--seconds", help="Stop after this many seconds (default: Ctrl-C)."),
    seed: int = typer.Option(0, "--seed", help="Picks the simulated person (drawing style, IMU errors)."),
) -> None:
    """Run a simulated Nano 33 BLE Sense with a capture sketch on a pseudo-terminal; prints its port."""
    from tinymlkit.capture.board_sim import SimulatedBoard

    board = SimulatedBoard(sensor, rev, baud, garbage, disconnect_after, 1.0, gesture, audio, seed).start()
    try:
        command = (
            "tinyml record imu --label O --subject you"
            if sensor == "imu"
            else "tinyml record kws --label yes --speaker you"
        )
        print(board.port, flush=True)  # first line: the port alone, for scripts
        _say(
            f"simulated {board.header.board} ({sensor}) on [bold]{board.port}[/]; in another terminal: "
            f"{command} --port {board.port}   (Ctrl-C to stop)"
        )
        board.wait(seconds)
        if not board.connected:
            console.print("the simulated board disconnected", style="yellow")
    finally:
        board.stop()


@board_app.command()
def ports() -> None:
    """List serial ports; Arduino boards are marked."""
    from serial.tools import list_ports

    arduino_vids = {0x2341, 0x2A03, 0x1B4F}
    rows = []
    for p in sorted(list_ports.comports(), key=lambda p: p.device):
        ids = f"{p.vid:04x}:{p.pid:04x}" if p.vid is not None else ""
        rows.append([p.device, p.description or "", ids, "yes" if p.vid in arduino_vids else ""])
    if not rows:
        console.print(
            "no serial ports found: plug the board in (a data cable, not a charging-only one), or try "
            "'tinyml device simulate'",
            style="yellow",
        )
        return
    console.print(table("serial ports", ["port", "description", "usb id", "arduino"], rows))


@board_app.command()
def check(
    port: str = typer.Option(..., "--port", help=PORT_HELP),
    baud: int = BAUD,
    timeout: float = typer.Option(5.0, "--timeout", help="Seconds to wait for the board's header."),
) -> None:
    """Connect to a board and show what its capture sketch reports (sensor, rate, axes, board)."""
    from tinymlkit.capture.serial_link import BoardConnection

    with BoardConnection(port, baud) as board:
        header = board.wait_header(timeout=timeout)
        rows = [[k, v] for k, v in header.fields.items()]
        console.print(table(f"{port}: tinyml protocol v{header.version}", ["field", "value"], rows))
        console.print(f"{board.stats.lines} good lines, {board.stats.garbage} dropped", style="dim")


# -- helpers ---------------------------------------------------------------------------------------------------


def _microphone(wav: Path | None, port: str | None, baud: int, device: str | None):
    if wav is not None and port is not None:
        raise TinyMLError("give either --wav or --port, not both")
    if port is not None:
        from tinymlkit.capture.serial_link import SerialMicrophone

        return SerialMicrophone(port, baud)
    from tinymlkit.capture.microphone import open_microphone

    dev: int | str | None = int(device) if device is not None and device.isdigit() else device
    return open_microphone(wav, dev)


def _interactive(yes: bool) -> bool:
    if yes:
        return False
    if not sys.stdin.isatty():
        _say("(input is not a terminal: keeping every take that passes the checks, as with --yes)", style="dim")
        return False
    return True


def _countdown(what: str, seconds: int) -> Callable[[int, int], None]:
    def show(number: int, count: int) -> None:
        if seconds <= 0:
            return
        console.print(f"[bold]{number}/{count}[/] {what} in ", end="", highlight=False)
        for k in range(seconds, 0, -1):
            console.print(f"{k}.. ", end="", highlight=False)
            console.file.flush()
            time.sleep(1.0)
        console.print("[bold red]now[/]")

    return show


def _level_meter() -> Callable[[float], None]:
    """A one-line level meter (dBFS) redrawn as audio blocks arrive."""

    def show(dbfs: float) -> None:
        if not console.is_terminal:  # a meter is for eyes, not for logs
            return
        filled = int(max(0.0, min(1.0, (dbfs + 60.0) / 60.0)) * 30)
        colour = "red" if dbfs > -3 else "green" if dbfs > -40 else "dim"
        console.file.write("\r")  # back to the start of the line: Rich itself drops carriage returns
        console.print(
            f"  level [{colour}]{'█' * filled}{' ' * (30 - filled)}[/] {dbfs:6.1f} dBFS", end="", highlight=False
        )
        console.file.flush()

    return show


def _ask(playable: bool, problem: bool = False) -> str:
    """Ask what to do with a take; after a problem, Enter redoes it (keeping it must be asked for)."""
    from tinymlkit.capture.session import KEEP, QUIT, REDO

    play = "[p] play  " if playable else ""
    options = f"[Enter] redo  [k] keep anyway  {play}[q] quit" if problem else f"[Enter] keep  [r] redo  {play}[q] quit"
    while True:
        answer = typer.prompt(options, default="", show_default=False).strip().lower()
        if answer == "k" or (answer == "" and not problem):
            return KEEP
        if answer == "r" or (answer == "" and problem):
            return REDO
        if answer == "q":
            return QUIT
        if answer == "p" and playable:
            return "play"


def _take_name(take) -> str:
    return f"take {take.number}" + (f" (attempt {take.attempt})" if take.attempt > 1 else "")


def _review_clip(mic, interactive: bool):
    from tinymlkit.capture.session import KEEP, REDO, Take

    def review(take: Take) -> str:
        console.print("")
        info = take.info
        if take.data is None or take.problems:
            for problem in take.problems:
                _say(f"  [yellow]{_take_name(take)}: {problem}[/]")
            if not interactive or take.data is None:
                return REDO
        else:
            _say(
                f"  {_take_name(take)}: speech {info.get('speech_ms', 0)} ms, peak {info['level_dbfs']} dBFS, "
                f"{info['snr_db']} dB above the noise"
            )
        for note in take.notes:
            _say(f"  [yellow]{note}[/]")
        if not interactive:
            return KEEP
        playable = mic.play(take.data)
        while (answer := _ask(playable, bool(take.problems))) == "play":
            mic.play(take.data)
        return answer

    return review


def _review_gesture(interactive: bool):
    import numpy as np

    from tinymlkit.capture.session import KEEP, REDO, Take

    def review(take: Take) -> str:
        if take.data is None or take.problems:
            for problem in take.problems:
                _say(f"  [yellow]{_take_name(take)}: {problem}[/]")
            if not interactive or take.data is None or len(take.data) < 2:
                return REDO
        rows = take.data
        motion = np.linalg.norm(rows[:, 4:7] - np.median(rows[:, 4:7], axis=0), axis=1)
        bins = np.array_split(motion, min(40, len(motion)))
        top = max(float(motion.max()), 1e-9)
        line = "".join(SPARKS[min(7, int(float(b.max()) / top * 7.999))] for b in bins)
        _say(
            f"  {_take_name(take)}: {len(rows)} samples at {take.info['measured_rate_hz']} Hz, peak "
            f"{take.info.get('peak_dps', 0)} deg/s  {line}"
        )
        if not interactive:
            return KEEP
        return _ask(False, bool(take.problems))

    return review


def _session_summary(result, data: Path) -> None:
    _say(f"[bold green]{len(result.saved)} kept[/], {result.rejected} redone, in {data}/")
    if result.stopped:
        _say(f"[yellow]stopped early:[/] {result.stopped}")


def _show_kws_status(data: Path, words: str | None) -> None:
    from tinymlkit.capture.kws import kws_status

    st = kws_status(data, [w.strip() for w in words.split(",") if w.strip()] if words else None)
    rows = [[label, c["train"], c["validation"], c["test"], st.speakers[label]] for label, c in st.counts.items()]
    console.print(table(f"clips in {data}", ["label", "train", "validation", "test", "speakers"], rows))
    console.print(f"background noise: {st.noise_seconds:.0f} s", style="dim")
    _missing(st.missing, st.advice)


def _show_imu_status(data: Path) -> None:
    from tinymlkit.capture.imu import imu_status

    st = imu_status(data)
    rows = [[label, c["train"], c["validation"], c["test"], st.subjects[label]] for label, c in st.counts.items()]
    console.print(table(f"recordings in {data}", ["gesture", "train", "validation", "test", "subjects"], rows))
    _missing(st.missing, st.advice)


def _missing(missing: list[str], advice: list[str]) -> None:
    for item in missing:
        _say(f"[yellow]missing:[/] {item}")
    for item in advice:
        _say(f"[dim]tip: {item}[/]")
    if not missing:
        console.print("[bold green]ready to train[/]")
