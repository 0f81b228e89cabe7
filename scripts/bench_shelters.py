"""How fast the nearest shelters are found: a synthetic list spread over Japan, built as the
indexer builds it, loaded as the webhook loads it, and searched as a resident's location is.

    python scripts/bench_shelters.py [--shelters 10000] [--requests 2000] [--open 0.3]

Prints the build and load times, and per request (median, 95th percentile, worst) the search
alone, the search with a notice's hazards first, and the whole reply (messages included). The
target: at most 5 ms per request over 10,000 shelters.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from madoguchi.conversation.shelter_reply import nearest_reply
from madoguchi.model import BotSettings, Shelter, ShelterKind
from madoguchi.search import artifact
from madoguchi.shelters import HAZARDS, ShelterIndex
from madoguchi.shelters.nearest import ARRAY_NAME

TARGET_MS = 5.0
# Main islands, roughly: a resident or a shelter is a random point in one of these boxes.
REGIONS = (
    (31.0, 34.0, 129.5, 132.0),  # Kyushu
    (33.0, 35.5, 132.0, 136.0),  # Shikoku, Chugoku, Kinki
    (34.5, 37.5, 136.0, 140.5),  # Chubu, Kanto
    (37.5, 41.0, 139.5, 141.5),  # Tohoku
    (41.5, 45.0, 140.0, 145.0),  # Hokkaido
)


def synthetic(count: int, open_share: float, rng: random.Random) -> list[Shelter]:
    """`count` shelters spread over the regions, a share of them open."""
    shelters = []
    for n in range(count):
        lat0, lat1, lon0, lon1 = rng.choice(REGIONS)
        shelters.append(
            Shelter(
                name=f"避難所{n:05d}",
                address=f"どこか市{n}番地",
                latitude=rng.uniform(lat0, lat1),
                longitude=rng.uniform(lon0, lon1),
                kinds=(ShelterKind.SHELTER,),
                hazards=tuple(rng.sample(HAZARDS, rng.randint(1, 4))),
                open=rng.random() < open_share,
            )
        )
    return shelters


def timed(calls, points) -> list[float]:
    """Milliseconds of each call on each point."""
    spent = []
    for point in points:
        started = time.perf_counter()
        calls(point)
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def line(name: str, spent: list[float]) -> str:
    ordered = sorted(spent)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return (
        f"{name:<34} median {statistics.median(spent):6.3f} ms   p95 {p95:6.3f} ms   "
        f"worst {ordered[-1]:6.3f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shelters", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--open", type=float, default=0.3, help="share of shelters open")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    shelters = synthetic(args.shelters, args.open, rng)

    started = time.perf_counter()
    index = ShelterIndex(shelters)
    documents = {"shelters": [s.to_dict() for s in shelters]}
    data = artifact.encode({}, documents, {ARRAY_NAME: index.xyz})
    build_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    _, loaded_documents, arrays = artifact.decode(data)
    loaded = ShelterIndex.from_records(loaded_documents["shelters"], arrays[ARRAY_NAME])
    load_ms = (time.perf_counter() - started) * 1000

    points: list[tuple[float, float]] = []
    for _ in range(args.requests):
        lat0, lat1, lon0, lon1 = rng.choice(REGIONS)
        points.append((rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)))
    settings = BotSettings()
    for lat, lon in points[:50]:  # warm up numpy's code paths
        loaded.nearest(lat, lon, 5, open_only=True)
    search = timed(lambda p: loaded.nearest(p[0], p[1], 5, open_only=True), points)
    hazard = timed(
        lambda p: loaded.nearest(p[0], p[1], 5, open_only=True, hazards=("洪水",)), points
    )
    reply = timed(
        lambda p: nearest_reply(loaded, *p, settings=settings, hazards=("洪水", "土砂")), points
    )
    print(
        f"{args.shelters:,} shelters ({args.open:.0%} open), {args.requests:,} requests; "
        f"index file section {len(data) / 1024:,.0f} KB"
    )
    print(f"build at publish (vectors + file)  {build_ms:8.1f} ms")
    print(f"load in the webhook                {load_ms:8.1f} ms")
    print(line("nearest 5 open", search))
    print(line("nearest 5 open, flood first", hazard))
    print(line("whole reply (messages included)", reply))
    worst = sorted(reply)[int(len(reply) * 0.95) - 1]
    verdict = "within" if worst <= TARGET_MS else "OVER"
    print(f"p95 of the whole reply {worst:.3f} ms: {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
