"""The ``ting`` command: ``ting ask "…"`` for one turn, ``ting chat`` for a conversation.

Exit codes: 0 done, 1 Ting could not start (settings, storage, skills), 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from ting.errors import InputError, TingError

if TYPE_CHECKING:
    from ting.assistant import Assistant, TurnResult
    from ting.events import RunEvent
    from ting.pipeline.stack import VoiceStack
    from ting.settings import AssistantSettings

EXIT_FAILURE = 1
EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ting", description="Ting (听): a bilingual English / Mandarin voice assistant."
    )
    parser.add_argument(
        "--data-dir",
        help="where Ting keeps its database and models "
        "(default: $TING_DATA_DIR or ~/.local/share/ting)",
    )
    parser.add_argument("--timezone", help="IANA time zone of this device (default: the system's)")
    parser.add_argument("--language", help="reply language when the input shows none: en or zh")
    parser.add_argument("--device", default="local", help="device id of this session")
    parser.add_argument("--user", default=None, help="user id of this session")
    parser.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    commands = parser.add_subparsers(dest="command", required=True)
    ask = commands.add_parser("ask", help="one turn: say something, print the reply")
    ask.add_argument("text", nargs="?", help='what to say; "-" reads it from standard input')
    ask.add_argument("--json", action="store_true", help="print intent, slots, reply and actions")
    ask.add_argument("--audio", help="a WAV or FLAC file holding the spoken command instead")
    ask.add_argument("--out", help="with --audio: write the spoken reply to this WAV file")
    say = commands.add_parser("say", help="speak a text into a WAV file")
    say.add_argument("text", help="what to say")
    say.add_argument("--out", required=True, help="the WAV file to write")
    say.add_argument(
        "--reply-language",
        dest="say_language",
        choices=["en", "zh"],
        help="voice language (default: detected from the text)",
    )
    commands.add_parser("listen", help="live: microphone in, speaker out (wake word first)")
    chat = commands.add_parser("chat", help="a conversation on the terminal; timers ring here")
    chat.add_argument("--json", action="store_true", help="print each turn as a JSON line")
    commands.add_parser("models", help="which speech models are installed, and where")
    history = commands.add_parser("history", help="what was said on this device, newest first")
    history.add_argument("--limit", type=int, default=20, help="how many turns (default 20)")
    history.add_argument("--json", action="store_true", help="one JSON object per turn")
    history.add_argument("--delete", action="store_true", help="forget this device's history")
    serve = commands.add_parser("serve", help="run the hub: speakers, REST API and console")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8765, help="port (0: any free one)")
    serve.add_argument("--no-voice", action="store_true", help="text only: load no speech models")
    serve.add_argument(
        "--no-signup", action="store_true", help="households are created by an admin only"
    )
    serve.add_argument(
        "--wyoming-port",
        type=int,
        help="also serve asr, tts and intent handling to Wyoming peers (Home Assistant) on this "
        "TCP port (0: any free one); unauthenticated, keep it on a trusted network",
    )
    serve.add_argument(
        "--wyoming-household", default="home", help="household whose turns Wyoming handles"
    )
    satellite = commands.add_parser(
        "satellite", help="the speaker side: pair | run (ting satellite --help)", add_help=False
    )
    satellite.add_argument("satellite_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "satellite":  # its own parser; imported only when used
        from ting.satellite.cli import main as satellite_main

        return satellite_main([*extra, *args.satellite_args], verbose=args.verbose)
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "ask" and args.audio:
            return asyncio.run(_ask_audio(args))
        if args.command == "ask":
            text = _ask_text(args.text or "")
            return asyncio.run(_ask(args, text))
        if args.command == "say":
            return asyncio.run(_say(args))
        if args.command == "listen":
            return asyncio.run(_listen(args))
        if args.command == "history":
            return asyncio.run(_history(args))
        if args.command == "models":
            return _models(args)
        if args.command == "serve":
            return asyncio.run(_serve(args))
        return asyncio.run(_chat(args))
    except InputError as err:
        print(f"ting: {err}", file=sys.stderr)
        return EXIT_USAGE
    except TingError as err:
        print(f"ting: {err}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


async def _serve(args: argparse.Namespace) -> int:
    from ting.hub.server import serve
    from ting.hub.settings import HubSettings

    settings = HubSettings(
        assistant=_settings(args),
        host=args.host,
        port=args.port,
        voice=not args.no_voice,
        allow_signup=not args.no_signup,
        wyoming_port=args.wyoming_port,
        wyoming_household=args.wyoming_household,
    )
    try:
        await serve(settings)
    except OSError as err:
        print(f"ting: cannot listen on {args.host}:{args.port}: {err.strerror}", file=sys.stderr)
        return EXIT_FAILURE
    return 0


def _ask_text(raw: str) -> str:
    if raw == "-":
        return decode_input(sys.stdin.buffer.read())
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError("the text is not valid UTF-8") from err
    if not raw.strip():
        raise InputError('nothing to ask: the text is empty (try: ting ask "what time is it")')
    return raw


def decode_input(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(
            f"the input is not valid UTF-8 (bad byte at position {err.start})"
        ) from err
    if not text.strip():
        raise InputError("nothing to ask: the input is empty")
    return text


def _settings(args: argparse.Namespace) -> AssistantSettings:
    from ting.settings import load_settings

    return load_settings(
        data_dir=args.data_dir, timezone=args.timezone, language=args.language, seed=args.seed
    )


async def _open(args: argparse.Namespace) -> Assistant:
    from ting.assistant import Assistant

    return await Assistant.open(_settings(args))


async def _ask(args: argparse.Namespace, text: str) -> int:
    from ting.skills.base import Scope

    async with await _open(args) as assistant:
        result = await assistant.handle_text(
            text, scope=Scope(device_id=args.device, user_id=args.user)
        )
    _print_result(result, args.json, sys.stdout)
    return 0


async def _voice_stack(assistant: Assistant, args: argparse.Namespace) -> VoiceStack:
    from ting.models import ModelResolver, ModelSettings
    from ting.pipeline.stack import VoiceStack

    resolver = ModelResolver(ModelSettings.from_env(_settings(args).data_dir))
    return await VoiceStack.open(assistant, resolver)


async def _ask_audio(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ting.pipeline.ask import ask_audio, print_ask

    async with await _open(args) as assistant:
        stack = await _voice_stack(assistant, args)
        out = Path(args.out) if args.out else None
        result = await ask_audio(stack.pipeline(), Path(args.audio), out)
    return print_ask(result, as_json=args.json)


async def _say(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ting.models import ModelResolver, ModelSettings
    from ting.tts.say import say_to_file

    resolver = ModelResolver(ModelSettings.from_env(_settings(args).data_dir))
    result = await say_to_file(
        args.text, Path(args.out), resolver=resolver, language=args.say_language
    )
    print(f"{result.path}: {result.audio_s:.1f} s of {result.language} speech")
    return 0


async def _listen(args: argparse.Namespace) -> int:
    from ting.pipeline.live import audio_devices, listen

    problem = audio_devices()
    if problem is not None:
        print(f"ting: {problem}", file=sys.stderr)
        return EXIT_FAILURE
    async with await _open(args) as assistant:
        await assistant.start()
        stack = await _voice_stack(assistant, args)
        await listen(stack.pipeline())
    return 0


def _models(args: argparse.Namespace) -> int:
    from ting.models import ModelSettings, list_models, print_models

    statuses = list_models(ModelSettings.from_env(_settings(args).data_dir))
    print_models(statuses)
    return 0


async def _history(args: argparse.Namespace) -> int:
    from ting.store import open_store

    settings = _settings(args)
    if not settings.database_path.exists():
        print("No history yet.")
        return 0
    async with await open_store(settings.database_path) as store:
        if args.delete:
            count = await store.delete_history("home", args.device)
            print(f"Deleted {count} turns.")
            return 0
        entries = await store.history("home", args.device, limit=max(1, args.limit))
    for entry in entries:
        if args.json:
            row = {
                "at": entry.at.isoformat(),
                "language": entry.language,
                "text": entry.text,
                "intent": entry.intent,
                "reply": entry.reply,
                "actions": entry.actions,
            }
            print(json.dumps(row, ensure_ascii=False))
        else:
            local = entry.at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M")
            print(f"{local}  you: {entry.text}\n{'':16}  ting: {entry.reply}")
    return 0


def _print_result(result: TurnResult, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.write((result.reply or "(stopped)") + "\n")
    out.flush()


async def _chat(args: argparse.Namespace) -> int:
    from ting.events import NotificationEvent
    from ting.skills.base import Scope

    interactive = sys.stdin.isatty()
    scope = Scope(device_id=args.device, user_id=args.user)
    async with await _open(args) as assistant:

        def show(event: RunEvent) -> None:
            if isinstance(event, NotificationEvent) and event.device_id == scope.device_id:
                if args.json:
                    line = json.dumps(
                        {
                            "notification": event.kind,
                            "text": event.text,
                            "late_by_s": round(event.late_by_s, 1),
                        },
                        ensure_ascii=False,
                    )
                else:
                    line = f"⏰ {event.text}"
                sys.stdout.write(line + "\n")
                sys.stdout.flush()

        assistant.events.subscribe(show)
        await assistant.start()
        if interactive:
            print("Ting is listening. Type in English or 中文; Ctrl-D to quit.")
        while True:
            if interactive:
                sys.stdout.write("you> ")
                sys.stdout.flush()
            data = await asyncio.to_thread(sys.stdin.buffer.readline)
            if not data:
                break
            try:
                text = decode_input(data)
            except InputError as err:
                if "empty" in str(err):
                    continue
                print(f"ting: {err}", file=sys.stderr)
                continue
            result = await assistant.handle_text(text, scope=scope)
            if not args.json:
                sys.stdout.write("ting> ")
            _print_result(result, args.json, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
