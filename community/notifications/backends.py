"""Mail backends: where a rendered outbox message goes."""

from __future__ import annotations

import http.client
import logging
import sys
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)


#: How long one SendGrid call may take; far inside the 10-minute claim lease, so a
#: hung call is abandoned (and retried later) long before another worker could
#: take the mail back.
SEND_TIMEOUT_SECONDS = 20


class DeliveryError(Exception):
    """Delivery failed. ``permanent`` failures are not retried."""

    def __init__(self, message: str, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def _as_email(message, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    mail["X-Idempotency-Key"] = message.idempotency_key
    mail.set_content(message.text_body)
    mail.add_alternative(message.html_body, subtype="html")
    return mail


class ConsoleBackend:
    """Prints mail to standard output: the embedded default for development."""

    def send(self, message) -> str:
        sender = current_app.config["MAIL_FROM"]
        print(f"\n----- mail {message.idempotency_key} -----", file=sys.stdout)
        print(f"From: {sender}\nTo: {message.to_address}\nSubject: {message.subject}\n")
        print(message.text_body)
        print("----- end of mail -----\n", flush=True)
        return f"console-{message.id}"


class FileBackend:
    """Writes each mail as an .eml file, named by its outbox id."""

    def send(self, message) -> str:
        directory = Path(current_app.config["MAIL_FILE_DIR"])
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{message.id:08d}-{message.template}.eml"
        path.write_bytes(bytes(_as_email(message, current_app.config["MAIL_FROM"])))
        return path.name


class SendGridBackend:
    """Sends through SendGrid's v3 API with the official client."""

    def send(self, message) -> str:
        from python_http_client.exceptions import HTTPError
        from sendgrid import SendGridAPIClient
        from sendgrid.helpers.mail import CustomArg, Header, Mail

        config = current_app.config
        if not config["SENDGRID_API_KEY"]:
            raise DeliveryError("SENDGRID_API_KEY is not set", permanent=True)
        mail = Mail(
            from_email=config["MAIL_FROM"],
            to_emails=message.to_address,
            subject=message.subject,
            plain_text_content=message.text_body,
            html_content=message.html_body,
        )
        mail.add_header(Header("X-Idempotency-Key", message.idempotency_key))
        mail.add_custom_arg(CustomArg("outbox_key", message.idempotency_key))
        client = SendGridAPIClient(api_key=config["SENDGRID_API_KEY"], host=config["SENDGRID_HOST"])
        # Well inside the claim lease, so a hung request cannot lead to a second send.
        client.client.timeout = config.get("MAIL_SEND_TIMEOUT_SECONDS", SEND_TIMEOUT_SECONDS)
        try:
            response = client.send(mail)
        except HTTPError as error:
            status = getattr(error, "status_code", 0)
            permanent = 400 <= status < 500 and status not in (408, 429)
            raise DeliveryError(f"SendGrid answered {status}", permanent=permanent) from error
        except (OSError, http.client.HTTPException) as error:
            # Refused, reset, timed out, or a broken answer: SendGrid may or may not
            # have accepted the mail. It is tried again (a lost mail is worse than a
            # rare second copy); see the README's "Mail under faults".
            raise DeliveryError(f"SendGrid unreachable: {type(error).__name__}") from error
        headers = getattr(response, "headers", {}) or {}
        return headers.get("X-Message-Id", "") or f"sendgrid-{response.status_code}"


BACKENDS = {"console": ConsoleBackend, "file": FileBackend, "sendgrid": SendGridBackend}


def get_backend():
    name = current_app.config["MAIL_BACKEND"]
    try:
        return BACKENDS[name]()
    except KeyError:
        raise RuntimeError(f"Unknown MAIL_BACKEND {name!r}; choose one of {sorted(BACKENDS)}")
