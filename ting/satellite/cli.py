"""``ting satellite pair|run``: the speaker side on the command line.

    ting satellite pair --hub http://HOST:PORT --name Kitchen [--room kitchen] [--state-dir DIR]
    ting satellite run [--hub ws://HOST:PORT] [--state-dir DIR] [--input mic|FILE|-|inbox:DIR]
                       [--output speaker|DIR] [--wake okay_nabu[,alexa]] [--sensitivity F]
                       [--language en|zh] [--muted] [--log-events]

Exit codes: 0 done, 1 failed (not paired, token refused, hub unreachable while pairing, no
audio device), 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from ting.errors import InputError, TingError

EXIT_FAILURE = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ting satellite",
        description="The speaker side of Ting: local wake word, audio to the hub after a wake.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="action", required=True)
    pair = commands.add_parser("pair", help="pair this speaker with a hub (enter a code there)")
    pair.add_argument("--hub", required=True, help="the hub, http://HOST:PORT")
    pair.add_argument("--name", required=True, help="what this speaker is called, e.g. Kitchen")
    pair.add_argument("--room", help="the room it stands in, e.g. kitchen")
    _state_dir(pair)
    run = commands.add_parser("run", help="listen for the wake word and talk to the hub")
    run.add_argument("--hub", help="hub address (default: the one paired with); ws://HOST:PORT")
    _state_dir(run)
    run.add_argument(
        "--input",
        default="mic",
        help="mic (default), a WAV/FLAC file (then silence), - (s16le 16 kHz mono on stdin) "
        "or inbox:DIR (WAV files dropped there are heard)",
    )
    run.add_argument(
        "--output", default="speaker", help="speaker (default) or a folder for WAVs + events.jsonl"
    )
    run.add_argument(
        "--wake", default="okay_nabu", help="wake word models, comma-separated (okay_nabu)"
    )
    run.add_argument(
        "--sensitivity",
        type=float,
        help="wake probability cutoff 0–1 for every model; lower wakes more easily "
        "(default: each model's own)",
    )
    run.add_argument("--language", choices=["en", "zh"], default="en", help="own words' language")
    run.add_argument("--muted", action="store_true", help="start muted (SIGUSR1 toggles)")
    run.add_argument("--log-events", action="store_true", help="print each event as JSON")
    return parser


def _state_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state-dir",
        help="where the pairing, schedule and mute file live "
        "(default: $TING_SATELLITE_DIR or ~/.local/state/ting/satellite)",
    )


def main(argv: Sequence[str] | None = None, *, verbose: bool = False) -> int:
    args = build_parser().parse_args(argv)
    if verbose or args.verbose:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    else:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.action == "pair":
            return _pair(args)
        return asyncio.run(_run(args))
    except InputError as error:
        print(f"ting satellite: {error}", file=sys.stderr)
        return EXIT_USAGE
    except TingError as error:
        print(f"ting satellite: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


def _state_path(args: argparse.Namespace) -> Path:
    from ting.satellite.settings import default_state_dir

    return Path(args.state_dir).expanduser() if args.state_dir else default_state_dir()


def _pair(args: argparse.Namespace) -> int:
    from ting.satellite.pairing import pair

    state_dir = _state_path(args)
    pairing = pair(args.hub, args.name, state_dir, room=args.room, out=sys.stdout)
    print(f"Paired as {pairing.name} (device {pairing.device_id}); saved in {state_dir}.")
    return 0


async def _run(args: argparse.Namespace) -> int:
    from ting.satellite.audio_in import microphone_problem, open_input
    from ting.satellite.audio_out import AudioOutput, DirectoryOutput, SpeakerOutput
    from ting.satellite.journal import Journal
    from ting.satellite.runner import Satellite
    from ting.satellite.settings import SatelliteSettings, read_pairing, websocket_url
    from ting.vad import MicroVadEngine
    from ting.wake import MicroWakeEngine, WakeDetector, WakeModelSettings, WakeSettings

    state_dir = _state_path(args)
    pairing = read_pairing(state_dir)
    if pairing is None:
        raise TingError(
            f"this speaker is not paired (no {state_dir / 'satellite.json'}): run "
            "ting satellite pair --hub http://HOST:PORT --name NAME"
        )
    wake_words = tuple(w.strip() for w in args.wake.split(",") if w.strip())
    settings = SatelliteSettings(
        hub_url=websocket_url(args.hub or pairing.hub),
        token=pairing.token,
        state_dir=state_dir,
        name=pairing.name,
        device_id=pairing.device_id or None,
        room=pairing.room,
        language=args.language,
        wake_words=wake_words,
        wake_cutoff=args.sensitivity,
        muted=args.muted,
    )
    if args.input == "mic" and (problem := microphone_problem()) is not None:
        raise TingError(problem)
    source = open_input(args.input, settings.block_ms)
    output: AudioOutput
    events_path: Path | None = None
    if args.output == "speaker":
        output = SpeakerOutput()
    else:
        folder = Path(args.output).expanduser()
        output = DirectoryOutput(folder)
        events_path = folder / "events.jsonl"
    engine = MicroWakeEngine(wake_words)
    detector = WakeDetector(
        engine,
        WakeSettings(tuple(WakeModelSettings(w, cutoff=settings.wake_cutoff) for w in wake_words)),
    )
    journal = Journal(events_path, echo=sys.stdout if args.log_events else None)
    satellite = Satellite(
        settings,
        source=source,
        output=output,
        detector=detector,
        vad=MicroVadEngine(),
        journal=journal,
    )
    try:
        await satellite.run()
    finally:
        engine.close()
    return 0
