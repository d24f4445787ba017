"""Real concurrent clients for the tests that prove an invariant holds under a race."""

import threading

from django.db import connection


def race(*calls):
    """Run the calls at the same moment, each in its own thread with its own connection; return
    each call's result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # the outcome, refusal included, is what the test compares
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes
