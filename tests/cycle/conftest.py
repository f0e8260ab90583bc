"""Fixtures of the quarterly cycle: real SMTP servers on free local ports (one that accepts, one
that refuses, and an address where nothing listens), and returns submitted through the service
at a moment of the test's choosing."""

import email
import socket
from dataclasses import dataclass
from datetime import datetime
from email import policy
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller

from exchange.context import get_blobs, get_uow
from exchange.ingest.submissions import StoredFile, Submission, submit_return

LONDON = ZoneInfo("Europe/London")


def at(text: str) -> datetime:
    """A moment in UK time: at("2025-07-31 23:30")."""
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def body(self) -> str:
        return self.message.get_content().replace("\r\n", "\n")  # CRLF on the wire


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts, or refuses them all with 550."""

    def __init__(self, refuse: bool = False):
        self.refuse = refuse
        self.messages: list[Received] = []
        self.url = ""

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "550 5.7.1 Mail refused by the test server"
        self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                      email.message_from_bytes(envelope.content,
                                                               policy=policy.default)))
        return "250 OK: queued"


def _serve(handler: Mailbox):
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.url = f"smtp://127.0.0.1:{controller.port}"
    return controller


@pytest.fixture
def smtp_server():
    """A local SMTP server that accepts everything: ``.url`` and the ``.messages`` it got."""
    handler = Mailbox()
    controller = _serve(handler)
    yield handler
    controller.stop()


@pytest.fixture
def refusing_smtp_server():
    """A local SMTP server that answers 550 to every message."""
    handler = Mailbox(refuse=True)
    controller = _serve(handler)
    yield handler
    controller.stop()


@pytest.fixture
def smtp_down_url():
    """An SMTP URL where nothing listens: the server is down."""
    return f"smtp://127.0.0.1:{free_port()}"


SPEND = ("Payment Date,Amount,Supplier Name,Supplier Postcode\n"
         "{day},{amount},Rotherham Widgets Ltd,S60 2UD\n")
MEASURES = "Measure,Value,Unit\nliving_wage_employees,{amount},people\n"


def spend_file(period_start, amount: str = "1000.00") -> str:
    day = period_start.replace(day=15)
    return SPEND.format(day=f"{day:%d/%m/%Y}", amount=amount)


def submit_at(moment: datetime, partner: str, kind: str, period: str, text: str,
              actor: str = "test"):
    """Submit a return through the service as if it arrived at ``moment``; the receipt."""
    with time_machine.travel(moment, tick=False):
        data = text.encode("utf-8")
        sha, size = get_blobs().save_bytes(data)
        return submit_return(Submission(partner, kind, period, actor),
                             StoredFile(sha, size, f"{kind}.csv", "text/csv"), get_uow(),
                             get_blobs())


@pytest.fixture
def submit(app):
    """submit(moment, partner, kind, period, amount="…") -> receipt of an accepted return."""
    from exchange.periods import Period

    def make(moment: datetime, partner: str, kind: str = "spend", period: str = "2025-26-Q1",
             amount: str = "1000.00", actor: str = "test"):
        text = (spend_file(Period.parse(period).start, amount) if kind == "spend"
                else MEASURES.format(amount=int(float(amount))))
        receipt = submit_at(moment, partner, kind, period, text, actor)
        assert receipt.status == "accepted", [i.message for i in receipt.issues]
        return receipt

    return make
