"""The hall's phases, every kader at once: log in, start the test, save the planned answers
(each acknowledgement checked) and submit."""

from __future__ import annotations

import random
import threading
import time

from lms.accounts.phone import format_phone

from .client import Client, Reply, timed
from .kader import Kader, Save
from .operations import Operation
from .settings import KADER_PASSWORD, MAX_THINK_SECONDS, UNIT
from .together import at_once, run_together


def phase_login(kaders: list[Kader], op: Operation) -> None:
    def work(i: int, start_line: threading.Barrier) -> None:
        kader = kaders[i]
        start_line.wait()
        body = {"phone": format_phone(kader.phone), "password": KADER_PASSWORD}
        reply = timed(op, kader.client, "POST", "/api/v1/tokens", (201,), body=body)
        if reply is not None:
            kader.client.token = reply.json()["token"]

    run_together(len(kaders), work)


def phase_start(kaders: list[Kader], op: Operation) -> None:
    def work(i: int, start_line: threading.Barrier) -> None:
        kader = kaders[i]
        start_line.wait()
        if kader.client.token is None:
            return  # its failed login is already counted
        reply = timed(op, kader.client, "POST", f"/api/v1/units/{UNIT}/attempts", (201,))
        if reply is not None:
            view = reply.json()
            if len(view["questions"]) != 20 or view["status"] != "open":
                op.record_error(f"attempt {view['id']}: unexpected view", "wrong view")
            kader.attempt_id = view["id"]

    run_together(len(kaders), work)


def phase_save(kaders: list[Kader], op: Operation, think: float) -> None:
    """Each kader saves its plan one request after the other; with `think` > 0 it pauses
    0.5-1.5 x think seconds before each answer (0: back to back, the worst case)."""

    def work(i: int, start_line: threading.Barrier) -> None:
        kader = kaders[i]
        pauses = random.Random(31 * (i + 1))  # noqa: S311 - reproducible, not a secret
        start_line.wait()
        if kader.attempt_id is None:
            return
        path = f"/api/v1/attempts/{kader.attempt_id}/answers/"
        for number, save in enumerate(kader.saves):
            if think > 0 and number:
                time.sleep(min(pauses.uniform(0.5, 1.5) * think, MAX_THINK_SECONDS))
            send_save(kader, save, path, op)

    run_together(len(kaders), work)


def send_save(kader: Kader, save: Save, path: str, op: Operation) -> None:
    """One planned save (with its racing older save on the second connection at the same
    moment); a failed save marks its position, a wrong acknowledgement is an error."""

    def put(client: Client, save: Save = save) -> Reply | None:
        body = {"response": save.response, "seq": save.seq}
        return timed(op, client, "PUT", f"{path}{save.position}", (200,), body=body)

    racing = save.racing
    if racing is None:
        reply = put(kader.client)
    else:
        reply, older = at_once(
            lambda: put(kader.client), lambda: put(kader.second_client(), racing)
        )
        if older is None:
            kader.failed_positions.add(save.position)
    if reply is None:
        kader.failed_positions.add(save.position)
        return
    ack = reply.json()
    if ack.get("applied") is not save.applied or ack.get("response") != save.stored_after:
        kader.ack_mismatches += 1
        message = f"{path}{save.position}: acknowledged {ack}, expected {save}"
        op.record_error(message, "wrong acknowledgement")


def phase_submit(kaders: list[Kader], op: Operation) -> None:
    def work(i: int, start_line: threading.Barrier) -> None:
        kader = kaders[i]
        start_line.wait()
        if kader.attempt_id is None:
            return
        path = f"/api/v1/attempts/{kader.attempt_id}/submit"

        def submit(client: Client) -> Reply | None:
            return timed(op, client, "POST", path, (200,))

        if kader.double_submit:
            replies = at_once(lambda: submit(kader.client), lambda: submit(kader.second_client()))
        else:
            replies = (submit(kader.client),)
        kader.submit_results = [reply.json() for reply in replies if reply is not None]

    run_together(len(kaders), work)
