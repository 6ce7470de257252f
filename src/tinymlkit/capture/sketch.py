"""Arduino capture sketches for the Nano 33 BLE Sense that speak the tinyml serial protocol.

    write_capture_sketch("imu", "sketches")     # sketches/capture_imu/{capture_imu.ino, tinyml_protocol.*}

The sketches are template files under ``capture/templates/``: the protocol code (framing, checksum,
number formatting, command parsing) is plain C++ shared by both; the ``.ino`` files read the sensors.
"""

from pathlib import Path

from tinymlkit import __version__
from tinymlkit.capture.protocol import DEFAULT_BAUD, PROTOCOL_VERSION
from tinymlkit.deploy.render import environment
from tinymlkit.errors import TinyMLError
from tinymlkit.fileio import building_dir, write_text
from tinymlkit.validate import check_number

TEMPLATES = Path(__file__).parent / "templates"
BOARD = "Arduino Nano 33 BLE Sense"
REVISIONS = {1: "original, LSM9DS1 IMU", 2: "Rev2, BMI270 + BMM150 IMU"}
BOARD_NAMES = {1: "nano33ble_sense", 2: "nano33ble_sense_rev2"}
MIC_MAX_MS = 2000  # the longest take the microphone sketch buffers (64 KB of its 256 KB of RAM)
MIC_BLOCK = 256  # samples per audio line
TRIGGER_DPS = 150.0  # motion trigger: gyroscope magnitude in degrees/s
TRIGGER_MS = 2000  # motion trigger: recording length
PROTOCOL_FILES = ("tinyml_protocol.h", "tinyml_protocol.cpp")


def write_capture_sketch(
    sensor: str,
    out: str | Path,
    rev: int = 2,
    baud: int = DEFAULT_BAUD,
    motion_trigger: bool = False,
    force: bool = False,
) -> Path:
    """Write the sketch folder ``<out>/capture_<sensor>/`` (sketch, protocol files, README) and return it.

    A sketch written earlier is replaced only while unedited: an edited file is never overwritten (``force``
    only allows other files in the folder)."""
    if sensor not in ("imu", "mic"):
        raise TinyMLError(f"unknown sensor '{sensor}'; capture sketches exist for imu and mic")
    if rev not in REVISIONS:
        raise TinyMLError(f"--rev must be 1 (original Nano 33 BLE Sense) or 2 (Rev2), not {rev}")
    check_number("--baud", baud, 300, 4_000_000, integer=True, why="the fastest rate a USB serial port offers")
    sketch = f"capture_{sensor}"
    context = {
        "version": __version__,
        "protocol": PROTOCOL_VERSION,
        "sketch": sketch,
        "sensor": sensor,
        "board": BOARD,
        "rev": rev,
        "revision_text": REVISIONS[rev] if sensor == "imu" else "any revision",
        "board_name": BOARD_NAMES[rev],
        "baud": baud,
        "motion_trigger": motion_trigger,
        "trigger_dps": f"{TRIGGER_DPS:.1f}f",
        "trigger_ms": TRIGGER_MS,
        "max_ms": MIC_MAX_MS,
        "block": MIC_BLOCK,
        **_readme_context(sensor, rev, baud, motion_trigger),
    }
    out = Path(out)
    templates = environment(TEMPLATES)
    with building_dir(out / sketch, force) as tmp:
        write_text(tmp / f"{sketch}.ino", templates.get_template(f"{sketch}.ino.j2").render(**context))
        for name in PROTOCOL_FILES:
            write_text(tmp / name, (TEMPLATES / name).read_text())
        write_text(tmp / "README.md", templates.get_template("README.md.j2").render(**context))
    return out / sketch


def _readme_context(sensor: str, rev: int, baud: int, motion_trigger: bool) -> dict:
    port = "/dev/ttyACM0"
    baud_opt = "" if baud == DEFAULT_BAUD else f" --baud {baud}"
    if sensor == "imu":
        commands = [f"tinyml record imu --port {port}{baud_opt} --label O --subject subj01 --count 10"]
        if motion_trigger:
            commands.append(f"tinyml record imu --port {port}{baud_opt} --label O --subject subj01 --trigger board")
        return {
            "title": "IMU gesture capture",
            "libraries": ["Arduino_BMI270_BMM150" if rev == 2 else "Arduino_LSM9DS1"],
            "commands": commands,
            "wire": [
                "one line per sample: `t_ms,ax,ay,az,gx,gy,gz*CRC` (about 60 bytes) at the IMU's rate "
                f"({'99.84' if rev == 2 else '119'} Hz): about 7 KB/s, well within USB serial and even a "
                "115200-baud UART (11.5 KB/s)",
                "the host asks for each recording (`r <ms> [label]`)"
                + (
                    "; with MOTION_TRIGGER 1 a swing above "
                    f"{TRIGGER_DPS:g} deg/s starts a {TRIGGER_MS} ms recording by itself"
                    if motion_trigger
                    else ""
                ),
            ],
        }
    return {
        "title": "microphone clip capture",
        "libraries": [],
        "commands": [f"tinyml record kws --port {port}{baud_opt} --label yes --speaker spk01 --count 20"],
        "wire": [
            f"each take (up to {MIC_MAX_MS} ms) is recorded into RAM first, then sent as base64 lines of "
            f"{MIC_BLOCK} samples: about 43 KB per second of audio, so the link's speed only changes how long "
            "the transfer takes (the host prints the measured rate)",
            "PDM microphone at 16 kHz with the library's default gain, as in the keyword-spotting sketch",
        ],
    }
