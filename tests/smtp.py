"""A real SMTP server for the tests (aiosmtpd), started and stopped by the test itself."""

import socket

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class SmtpServer:
    """An SMTP server on a free local port, stopped until `start()`; `messages` holds what it received."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages: list = []
        self.refuse_with: str | None = None
        self.refuse_logins = False
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        if self.refuse_with:
            return self.refuse_with
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        options = {}
        if self.refuse_logins:  # offer AUTH over plain text, and turn every login down (535)
            options = {
                "authenticator": lambda *args: AuthResult(success=False, handled=False),
                "auth_require_tls": False,
            }
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def subjects(self) -> list[str]:
        from email import message_from_bytes
        from email.header import decode_header, make_header

        return [
            str(make_header(decode_header(message_from_bytes(envelope.content)["Subject"])))
            for envelope in self.messages
        ]
