"""Another reader's answers while `/model` computes its network.

    python benchmarks/network_rest.py [--runs 4] [--at REV]

One `panel serve` (the README's command). Two browserless sessions (tests/wire.py): a reader on
`/model` sets its steps to 1 000 and lets them rest, so the server computes the network's two runs
(0.1–1 s of Python); meanwhile a reader on `/ravine` drags β, a change 20 ms after each OK, timed from
sending to the server's OK. Reported per rest: that reader's slowest and median answer — how long one
reader's network keeps every other reader of the process waiting. `--at REV` serves the app as it was at
git revision REV (e.g. the revision before the runs left the event loop), with the same load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from live_server import Server, free_port, serve_command
from sessions import acknowledged, beta, checked_out  # the many-sessions benchmark's helpers
from wire import WireSession

#: Each rest: the steps the `/model` reader sets (each new, so that no run is remembered).
STEPS = (1000, 990, 980, 970, 960, 950)


async def measure(url: str, runs: int) -> list[tuple[float, float]]:
    model, other = WireSession(f"{url}/model"), WireSession(f"{url}/ravine")
    await asyncio.gather(model.open(), other.open())
    results, i = [], 0
    try:
        for steps in STEPS[:runs]:
            await acknowledged(model, "model-steps", steps)  # the network follows 0.25 s later
            times, deadline = [], time.monotonic() + 2.0
            while time.monotonic() < deadline:
                times.append(await acknowledged(other, "ravine-beta", beta(i)))
                i += 1
                await asyncio.sleep(0.02)
            results.append((max(times), statistics.median(times)))
    finally:
        model.close()
        other.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=4, help=f"rests of the /model reader (≤ {len(STEPS)})")
    parser.add_argument("--at", help="serve the app as it was at this git revision")
    args = parser.parse_args()
    with checked_out(args.at) as folder:
        if args.at is not None:
            os.environ["PYTHONPATH"] = str(folder)  # the server imports that revision's app
        port = free_port()
        server = Server(Path(tempfile.mkdtemp()) / "panel.log", serve_command(port), port=port, cwd=folder)
        try:
            results = asyncio.run(measure(server.url, args.runs))
        finally:
            server.stop()
    print(f"app at {args.at or 'this checkout'}: /ravine's β answered while /model's network runs")
    for steps, (slowest, median) in zip(STEPS, results, strict=False):
        print(f"  /model at {steps} steps: slowest {slowest:6.1f} ms, median {median:5.1f} ms")


if __name__ == "__main__":
    main()
