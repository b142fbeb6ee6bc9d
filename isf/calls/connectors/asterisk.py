"""An example connector: Asterisk's Manager Interface (AMI) events -> ISF call events (docs/telephony.md).

Asterisk reports a call as channels; the connector follows each call by its ``Linkedid`` (the id of the first
channel, kept by every channel of the call) and sends ISF one event per step:

* ``DialBegin`` to an agent's phone (the first one): ``ringing``, the agent being the extension of
  ``DestChannel`` (``PJSIP/201-0000002a`` -> ``201``);
* ``DialEnd`` with ``DialStatus: ANSWER``: ``answered`` by that extension;
* ``BlindTransfer`` / ``AttendedTransfer``: the call now belongs to the extension it went to (sent on ``ended``);
* ``Hangup`` of the call's first channel: ``ended`` when it was answered, else ``missed`` (inbound) or
  ``ended`` (outbound, nobody answered).

A call is inbound when its first channel is in one of ``inbound_contexts`` (the dialplan context of the trunk),
else outbound. Times come from the events' ``Timestamp`` (``timestampevents = yes`` in manager.conf), so the
events carry the moment the phone system saw, not the moment they were posted. The translation is a plain class
without I/O (:class:`AmiTranslator`, tested against recorded AMI sessions in isf/calls/tests/recorded/);
``main`` reads AMI from a TCP connection and posts each event with the integration user's token.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

_EXTENSION = re.compile(r"^[A-Za-z0-9]+/([^-@/]+)")


def parse_ami(lines: Iterable[str]) -> Iterator[dict[str, str]]:
    """AMI's text protocol as dicts: ``Key: Value`` lines, one block per event, blocks ended by a blank line."""
    block: dict[str, str] = {}
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            if block:
                yield block
            block = {}
            continue
        key, sep, value = line.partition(":")
        if sep:
            block[key.strip()] = value.strip()
    if block:
        yield block


def extension_of(channel: str) -> str:
    """``PJSIP/201-0000002a`` or ``SIP/201@pbx-1`` -> ``201`` ('' for no channel)."""
    match = _EXTENSION.match(channel or "")
    return match.group(1) if match else ""


@dataclass
class _Call:
    call_id: str
    direction: str
    from_number: str
    to_number: str
    agent: str = ""
    rang: bool = False
    answered: bool = False


@dataclass
class AmiTranslator:
    """Turns AMI event blocks into ISF's call events (dicts ready for POST /api/v1/telephony/events)."""

    inbound_contexts: frozenset[str] = frozenset({"from-trunk", "from-pstn", "from-external"})
    calls: dict[str, _Call] = field(default_factory=dict)

    def feed(self, block: dict[str, str]) -> list[dict]:
        kind = block.get("Event", "")
        handler = getattr(self, f"_on_{kind.lower()}", None)
        return handler(block) if handler else []

    def _event(self, call: _Call, event: str, block: dict[str, str], agent: str = "") -> dict:
        stamp = float(block.get("Timestamp") or 0) or datetime.now(UTC).timestamp()
        body = {"call_id": call.call_id, "event": event, "at": datetime.fromtimestamp(stamp, UTC).isoformat(),
                "direction": call.direction, "from": call.from_number, "to": call.to_number}
        if agent:
            body["agent"] = agent
        return body

    def _on_newchannel(self, block):
        linked, unique = block.get("Linkedid", ""), block.get("Uniqueid", "")
        if not linked or linked != unique or linked in self.calls:
            return []  # only the call's first channel starts it
        inbound = block.get("Context", "") in self.inbound_contexts
        caller, exten = block.get("CallerIDNum", ""), block.get("Exten", "")
        if inbound:
            self.calls[linked] = _Call(linked, "in", caller, exten)
        else:
            self.calls[linked] = _Call(linked, "out", caller, exten, agent=extension_of(block.get("Channel", "")))
        return []

    def _on_dialbegin(self, block):
        call = self.calls.get(block.get("Linkedid", ""))
        if call is None or call.rang:
            return []
        call.rang = True
        agent = extension_of(block.get("DestChannel", "")) if call.direction == "in" else call.agent
        return [self._event(call, "ringing", block, agent)]

    def _on_dialend(self, block):
        call = self.calls.get(block.get("Linkedid", ""))
        if call is None or call.answered or block.get("DialStatus") != "ANSWER":
            return []
        call.answered = True
        if call.direction == "in":
            call.agent = extension_of(block.get("DestChannel", ""))
        return [self._event(call, "answered", block, call.agent)]

    def _on_blindtransfer(self, block):
        call = self.calls.get(block.get("TransfereeLinkedid", ""))
        if call is not None and block.get("Result", "Success") == "Success":
            call.agent = block.get("Extension", "") or call.agent
        return []

    def _on_attendedtransfer(self, block):
        call = self.calls.get(block.get("OrigTransfererLinkedid", ""))
        if call is not None and block.get("Result", "Success") == "Success":
            call.agent = extension_of(block.get("SecondTransfererChannel", "")) or call.agent
        return []

    def _on_hangup(self, block):
        unique = block.get("Uniqueid", "")
        if unique != block.get("Linkedid", "") or unique not in self.calls:
            return []
        call = self.calls.pop(unique)
        if call.answered:
            return [self._event(call, "ended", block, call.agent)]
        return [self._event(call, "missed" if call.direction == "in" else "ended", block, call.agent)]


def post_event(url: str, token: str, body: dict, timeout: float = 10) -> int:
    """POST one event; the HTTP status (a 409 or 422 is logged and skipped: the event is wrong, not the line)."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the configured ISF URL
            return response.status
    except urllib.error.HTTPError as exc:
        sys.stderr.write(f"{body['event']} of call {body['call_id']}: {exc.code} "
                         f"{exc.read().decode(errors='replace')}\n")
        return exc.code


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - network I/O; the translation is tested
    parser = argparse.ArgumentParser(description="Send Asterisk AMI call events to ISF")
    parser.add_argument("--ami", default="127.0.0.1:5038", help="host:port of the Asterisk manager interface")
    parser.add_argument("--ami-user", required=True, help="manager.conf user (read = call)")
    parser.add_argument("--ami-secret", required=True, help="its secret")
    parser.add_argument("--isf", required=True, help="ISF's base URL, e.g. https://isf.example.com")
    parser.add_argument("--token", required=True, help="API token of ISF's telephony integration user")
    parser.add_argument("--inbound-context", action="append", default=[], help="dialplan context of the trunk")
    args = parser.parse_args(argv)
    host, _, port = args.ami.partition(":")
    translator = AmiTranslator(**({"inbound_contexts": frozenset(args.inbound_context)} if args.inbound_context
                                  else {}))
    url = args.isf.rstrip("/") + "/api/v1/telephony/events"
    with socket.create_connection((host, int(port or 5038))) as conn:
        conn.sendall(f"Action: Login\r\nUsername: {args.ami_user}\r\nSecret: {args.ami_secret}\r\n"
                     f"Events: call\r\n\r\n".encode())
        for block in parse_ami(conn.makefile("r", encoding="utf-8", newline="")):
            for body in translator.feed(block):
                post_event(url, args.token, body)


if __name__ == "__main__":  # pragma: no cover
    main()
