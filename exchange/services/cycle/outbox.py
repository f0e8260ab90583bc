"""E-mail through an outbox: a message is written to the database first (once per dedupe key),
then sent to the SMTP server, and marked sent only once the server has accepted it. A failed send
is recorded and retried with exponential backoff (1, 2, 4 ... minutes, at most 6 hours apart);
nothing is ever deleted. A message is sent at least once: should the process die between the
server's acceptance and the commit, it is sent again."""

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from config import default
from exchange.models.base import utcnow
from exchange.models.outbox import OutboxMessage
from exchange.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send: ``smtp://[user:password@]host[:port][?starttls=true]`` or
    ``smtps://…`` (TLS from the first byte, port 465 by default)."""

    host: str
    port: int
    tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0

    @classmethod
    def parse(cls, url: str) -> "SmtpSettings":
        parts = urlsplit(url or "")
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://host:port or smtps://host:port")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        tls = parts.scheme == "smtps"
        return cls(host=parts.hostname, port=parts.port or (465 if tls else 25), tls=tls,
                   starttls=query.get("starttls", "").lower() in TRUE,
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password else None,
                   timeout=float(query.get("timeout", 30)))

    def connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        if self.tls:
            connection = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          context=context)
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.starttls:
                connection.starttls(context=context)
            if self.username:
                connection.login(self.username, self.password or "")
        except BaseException:
            connection.close()
            raise
        return connection


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "errors": list(self.errors)}


def enqueue(uow: UnitOfWork, *, to, subject: str, body: str, dedupe_key: str,
            now: datetime | None = None) -> bool:
    """Write one message to the outbox; False (and nothing written) if the key is already there.

    Inside an open ``with uow:`` it joins that transaction and the caller commits; otherwise it
    commits on its own."""
    recipients = sorted({address.strip() for address in ([to] if isinstance(to, str) else to)
                         if address and address.strip()})
    if not recipients:
        raise ValueError("an e-mail needs at least one recipient")
    if uow.session is None:
        with uow:
            queued = enqueue(uow, to=recipients, subject=subject, body=body,
                             dedupe_key=dedupe_key, now=now)
            uow.commit()
            return queued
    now = now or utcnow()
    dialect = postgresql if uow.session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(OutboxMessage).values(
        recipients=recipients, subject=subject[:300], body=body, dedupe_key=dedupe_key[:200],
        created_at=now, attempts=0, next_attempt_at=now,
    ).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(OutboxMessage.id)
    return uow.session.execute(stmt).first() is not None


def deliver_pending(uow: UnitOfWork, now: datetime, smtp_url: str, *,
                    sender: str = default.MAIL_FROM, limit: int = 500) -> DeliveryReport:
    """Send every message that is due, oldest first, each in its own transaction."""
    settings = SmtpSettings.parse(smtp_url)
    with uow:
        due = list(uow.session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))
    report = DeliveryReport()
    connection: smtplib.SMTP | None = None
    try:
        for message_id in due:
            with uow:
                message = _claim(uow, message_id, now)
                if message is None:
                    continue  # sent meanwhile, or another worker holds it
                try:
                    connection = connection or settings.connect()
                    refused = connection.send_message(_email(message, sender, now),
                                                      to_addrs=message.recipients)
                except (smtplib.SMTPException, OSError, ValueError) as err:
                    # ValueError: a header the e-mail library will not write (a line break in
                    # an address); recorded like a refusal, so it cannot block the others.
                    # Start the next message on a fresh connection: this one may be unusable.
                    connection = _close(connection)
                    error = _describe(err, settings)
                    _record_failure(message, now, error)
                    report.failed += 1
                    report.errors.append(f"message {message.id}: {error}")
                    log.warning("e-mail %s not sent (attempt %s): %s", message.id,
                                message.attempts, error)
                else:
                    message.attempts += 1
                    message.last_attempt_at = message.sent_at = now
                    message.last_error = (_describe_refused(refused) if refused else None)
                    report.sent += 1
                uow.commit()
    finally:
        _close(connection)
    return report


def _claim(uow: UnitOfWork, message_id: int, now: datetime) -> OutboxMessage | None:
    """The message, locked for this transaction (PostgreSQL) if it is still due."""
    stmt = (select(OutboxMessage)
            .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
                   OutboxMessage.next_attempt_at <= now)
            .with_for_update(skip_locked=True))
    return uow.session.scalars(stmt).first()


def _email(message: OutboxMessage, sender: str, now: datetime) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = ", ".join(message.recipients)
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "anchor-exchange.invalid"
    # The same id on every attempt, so a message sent twice can be recognised as one.
    email["Message-ID"] = f"<outbox-{message.id}@{domain}>"
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    return email


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4 ... minutes, at most 6 h."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 20), LONGEST_RETRY)


def _record_failure(message: OutboxMessage, now: datetime, error: str) -> None:
    message.attempts += 1
    message.last_attempt_at = now
    message.last_error = error
    message.next_attempt_at = now + backoff(message.attempts)


def _describe(err: Exception, settings: SmtpSettings) -> str:
    """What went wrong, for the outbox row and the log: never the password."""
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        text = "every recipient was refused: " + _describe_refused(err.recipients)
    elif isinstance(err, smtplib.SMTPResponseException):
        reply = err.smtp_error.decode("utf-8", "replace") if isinstance(
            err.smtp_error, bytes) else str(err.smtp_error)
        text = f"the server answered {err.smtp_code} {reply}"
    elif isinstance(err, smtplib.SMTPException | ValueError):
        text = f"{type(err).__name__}: {err}"
    else:
        reason = getattr(err, "strerror", None) or type(err).__name__
        text = f"could not reach {settings.host}:{settings.port}: {reason}"
    if settings.password:
        text = text.replace(settings.password, "***")
    return text[:500]


def _describe_refused(refused: dict) -> str:
    def text(reply):
        return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)

    return "; ".join(f"{address}: {code} {text(reply)}"
                     for address, (code, reply) in sorted(refused.items()))[:500]


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is None:
        return None
    try:
        connection.quit()
    except (smtplib.SMTPException, OSError):
        connection.close()
    return None
