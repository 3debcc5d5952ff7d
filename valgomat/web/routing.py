"""URL converters of our own, registered in ``create_app`` before any route."""

from werkzeug.routing import IntegerConverter


class AsciiInteger(IntegerConverter):
    """``<int:…>`` for ASCII digits only, at most nine of them.

    Werkzeug's ``\\d+`` also matches ``٣`` or ``７`` (Python's ``\\d`` is Unicode),
    so ``/en/quiz/٣`` would open statement 3 under a second address.
    """

    regex = r"[0-9]{1,9}"
