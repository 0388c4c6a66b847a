"""`make run`'s mail server: a real SMTP server (aiosmtpd) on 127.0.0.1 that sends nothing on
and keeps every mail it receives as an .eml file (any mail program opens it) under ./var/mail.
The notifications service is configured to send to it (plain SMTP, no login). The end-to-end
tests run the same sink in a temporary directory and read what it kept.

    python -m deploy.local.mail_sink [--dir var/mail] [--port 8025]   # on its own
"""
from __future__ import annotations

import argparse
import email
import email.policy
import threading
import time
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

DEFAULT_PORT = 8025


class MailSink:
    def __init__(self, directory: Path, port: int = DEFAULT_PORT, host: str = "127.0.0.1") -> None:
        self.directory, self.host, self.port = Path(directory), host, port
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook, in the sink's thread
        now_ns = time.time_ns()  # names sort in the order received
        name = f"{time.strftime('%Y%m%d-%H%M%S', time.localtime(now_ns // 10**9))}-{now_ns % 10**9:09d}.eml"
        header = "X-Envelope-To: " + ", ".join(envelope.rcpt_tos) + "\r\n"
        partial = self.directory / (name + ".part")
        partial.write_bytes(header.encode() + envelope.content)
        partial.rename(self.directory / name)  # a reader never sees half a mail
        return "250 Message kept"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def mails(self) -> list[EmailMessage]:
        """Every mail kept, in the order received."""
        return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                for path in sorted(self.directory.glob("*.eml"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.local.mail_sink", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, default=Path("var/mail"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    sink = MailSink(args.dir, args.port, args.host)
    sink.start()
    print(f"SMTP sink on {args.host}:{args.port}: every mail is kept as an .eml file in {args.dir.resolve()}",
          flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sink.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
