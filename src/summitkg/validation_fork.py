"""Validation in a forked process, so that ``serve`` loads the store and starts its workers meanwhile.

Validating the summit graph takes most of a second (pyshacl), about as long as the rest of a
first start; on two cores the two can overlap. The child shares the parsed dataset
copy-on-write and sends back only the report. The caller still answers nothing until the
report says the graph passed.
"""

from __future__ import annotations

import multiprocessing
import traceback
from multiprocessing.connection import Connection

from rdflib import Dataset

from .config import Settings
from .errors import SummitError
from .validate import ValidationReport, validate_dataset

__all__ = ["PendingValidation"]


class PendingValidation:
    """A validation running in a child process; ``report()`` waits for its answer."""

    def __init__(self, dataset: Dataset, settings: Settings) -> None:
        # Fork, not spawn: the child starts at once with the dataset already parsed. The caller
        # forks while no other thread runs (a thread's held lock would stay held in the child).
        context = multiprocessing.get_context("fork")
        self._answer, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_validate, args=(sender, dataset, settings),
                                        name="summitkg validation", daemon=True)
        self._process.start()
        sender.close()

    def report(self) -> ValidationReport:
        try:
            kind, payload = self._answer.recv()
        except EOFError:
            kind, payload = "crash", f"the validation process ended with status {self._process.exitcode}"
        finally:
            self._answer.close()
            self._process.join()
        if kind == "report":
            return payload
        if kind == "error":  # re-raised by message: not every error's constructor survives pickling
            message, exit_code = payload
            error = SummitError(message)
            error.exit_code = exit_code
            raise error
        raise RuntimeError(f"validation failed unexpectedly: {payload}")

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._answer.close()


def _validate(answer: Connection, dataset: Dataset, settings: Settings) -> None:
    try:
        answer.send(("report", validate_dataset(dataset, settings)))
    except SummitError as error:  # a user's mistake (an unreadable shapes file): said as in-process
        answer.send(("error", (str(error), error.exit_code)))
    except BaseException:  # noqa: BLE001 - a bug: its traceback goes to the parent, which raises
        answer.send(("crash", traceback.format_exc()))
    finally:
        answer.close()
