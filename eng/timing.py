"""Times a call as the `gemm` and `steps` commands of tests/MlNetDeep.Benchmarks do (their BatchTimer): a warm-up of
at least 3 calls and 0.5 s, then until 30 calls or 2 s; then BATCHES batches of about seconds/BATCHES each. The best
batch is the headline figure: on a shared machine it is the one least disturbed by other processes."""
import time

BATCHES = 7


def time_batches(call, seconds):
    """Returns (calls per batch, each batch's seconds per call from fastest to slowest, wall seconds of all batches,
    process CPU seconds of all batches)."""
    start = time.perf_counter()
    i = 0
    while i < 3 or (i < 30 and time.perf_counter() - start < 2) or time.perf_counter() - start < 0.5:
        call()
        i += 1

    t = time.perf_counter()
    call()
    calls = max(1, int(seconds / BATCHES / max(time.perf_counter() - t, 1e-7)))
    per_call = []
    cpu_start = time.process_time()
    run_start = time.perf_counter()
    for _ in range(BATCHES):
        t = time.perf_counter()
        for _ in range(calls):
            call()
        per_call.append((time.perf_counter() - t) / calls)
    wall = time.perf_counter() - run_start
    return calls, sorted(per_call), wall, time.process_time() - cpu_start
