"""Counting first places over the simulated populations, chunk by chunk, in parallel.

The work is cut into jobs: one per chunk of each population, plus the
discrimination index. Every job generates its own voters from its seed
(``sim``) and returns integer counts, so jobs can run in worker processes
(``score_batch`` is bound by the GIL, so threads would not help) and still add up
to the same report: counts are exact, and examples come from the earliest chunk.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np

from valgomat.core.audit.report import AuditSettings
from valgomat.core.audit.sim import (
    CHUNK,
    COMBOS,
    IntArray,
    Scenario,
    discrimination,
    first_places,
    party_voters,
    uniform_voters,
)
from valgomat.core.matching import HALF_TOLERANCE
from valgomat.core.scoring import CHUNK_VOTERS, BoolArray, FloatArray

Example = tuple[FloatArray, BoolArray]
HISTOGRAM_PARTIES = 12  # up to this many parties, first places are counted per bit set


@dataclass
class Counts:
    """First places of one population: ``firsts[c, k, p]`` counts voters whose first
    place under combination c is shared by k parties, p among them."""

    parties: int
    voters: int = 0
    firsts: IntArray = field(init=False)
    recovered: IntArray = field(init=False)  # [c, q, k]: voters around q with q first (of k)
    around: IntArray = field(init=False)  # [c, q]: voters around q with a first place

    def __post_init__(self) -> None:
        self.firsts = np.zeros((len(COMBOS), self.parties + 1, self.parties), dtype=np.int64)
        self.recovered = np.zeros((len(COMBOS), self.parties, self.parties + 1), np.int64)
        self.around = np.zeros((len(COMBOS), self.parties), dtype=np.int64)

    def add(self, combo: int, codes: IntArray, ties: IntArray,
            party_of: IntArray | None = None) -> None:
        """Count one chunk's first places (bit sets ``codes`` of size ``ties``)."""
        self.firsts[combo] += _by_size(codes, ties, self.parties)
        if party_of is not None:
            size = self.parties * (self.parties + 1)
            hit = ((codes >> party_of) & 1).astype(np.bool_)
            index = party_of[hit] * (self.parties + 1) + ties[hit]
            self.recovered[combo] += np.bincount(index, minlength=size).reshape(
                self.parties, self.parties + 1)
            self.around[combo] += np.bincount(party_of[ties > 0], minlength=self.parties)

    def merge(self, other: Counts) -> None:
        self.voters += other.voters
        self.firsts += other.firsts
        self.recovered += other.recovered
        self.around += other.around

    def with_first(self) -> IntArray:
        """(C,) voters who have a first place under each combination."""
        per_size = self.firsts.sum(axis=2)[:, 1:]  # (C, k): k × voters with k tied
        voters: IntArray = (per_size // np.arange(1, self.parties + 1)).sum(axis=1)
        return voters

    def shares(self) -> FloatArray:
        sizes = np.maximum(np.arange(self.parties + 1), 1)[None, :, None]
        fractions = (self.firsts / sizes).sum(axis=1)
        return np.asarray(fractions / np.maximum(self.with_first(), 1)[:, None])

    def recovery(self) -> FloatArray:
        sizes = np.maximum(np.arange(self.parties + 1), 1)[None, None, :]
        got = (self.recovered / sizes).sum(axis=2)
        return np.asarray(got / np.maximum(self.around, 1))


def _by_size(codes: IntArray, ties: IntArray, parties: int) -> IntArray:
    """(k, p): how many of these first places have size k and include party p."""
    if parties <= HISTOGRAM_PARTIES:  # count each bit set once, then spread its bits
        every = np.arange(1 << parties, dtype=np.int64)
        bits = (every[:, None] >> np.arange(parties)) & 1
        sizes = bits.sum(axis=1)
        weighted = np.bincount(codes, minlength=1 << parties)[:, None] * bits
        result = np.zeros((parties + 1, parties), dtype=np.int64)
        np.add.at(result, sizes, weighted)
        return result
    return np.stack([np.bincount(ties[((codes >> p) & 1).astype(np.bool_)],
                                 minlength=parties + 1) for p in range(parties)], axis=1)


@dataclass
class Uniform(Counts):
    """The uniform population also counts changed first places and same displays, and
    keeps the earliest example of each party alone in first place."""

    own: int = 0
    changed: IntArray = field(init=False)  # [c]: first place differs from the own setting
    any_changed: IntArray = field(init=False)  # any other method, policy, combination
    same_display: IntArray = field(init=False)
    examples: list[Example | None] = field(init=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.changed = np.zeros(len(COMBOS), dtype=np.int64)
        self.any_changed = np.zeros(3, dtype=np.int64)
        self.same_display = np.zeros((self.parties, self.parties), dtype=np.int64)
        self.examples = [None] * self.parties

    def merge(self, other: Counts) -> None:
        super().merge(other)
        assert isinstance(other, Uniform)
        self.changed += other.changed
        self.any_changed += other.any_changed
        self.same_display += other.same_display
        self.examples = [mine if mine is not None else theirs
                         for mine, theirs in zip(self.examples, other.examples, strict=True)]

    def score(self, scenario: Scenario, answers: FloatArray, important: BoolArray) -> None:
        scores = scenario.all_scores(answers, important)
        own_codes, own_ties = first_places(scores[COMBOS[self.own]])
        has = own_ties > 0
        self.voters += answers.shape[0]
        self.add(self.own, own_codes, own_ties)
        self._display(scores[COMBOS[self.own]], has)
        self._examples(answers, important, own_codes)
        method, missing = COMBOS[self.own]
        anys = np.zeros((3, answers.shape[0]), dtype=np.bool_)
        for combo, (other_method, other_missing) in enumerate(COMBOS):
            if combo != self.own:
                codes, ties = first_places(scores[other_method, other_missing])
                self.add(combo, codes, ties)
                changed = (codes != own_codes) & has
                self.changed[combo] += int(np.count_nonzero(changed))
                for which, differs in enumerate((other_missing == missing,
                                                 other_method == method, True)):
                    if differs:
                        anys[which] |= changed
        self.any_changed += np.count_nonzero(anys, axis=1)

    def _display(self, scores: FloatArray, has: BoolArray) -> None:
        # matching.whole_percent, vectorised: whole percent, exact halves up
        shown = np.floor(np.ascontiguousarray(scores[has].T) + 0.5 + HALF_TOLERANCE)
        for party in range(self.parties):
            self.same_display[party] += np.count_nonzero(shown[party] == shown, axis=1)

    def _examples(self, answers: FloatArray, important: BoolArray, codes: IntArray) -> None:
        for party in range(self.parties):
            if self.examples[party] is None:
                hits = np.flatnonzero(codes == 1 << party)
                if hits.size:
                    self.examples[party] = (answers[hits[0]].copy(), important[hits[0]].copy())


@dataclass(frozen=True)
class Job:
    kind: str  # "uniform", "parties" or "discrimination"
    chunk: int
    first: int
    count: int


def jobs(settings: AuditSettings) -> list[Job]:
    """The party-centred chunks, the discrimination index, then the uniform chunks
    (many and alike, they fill the workers evenly at the end)."""
    return [*_chunks("parties", settings.party_voters),
            Job("discrimination", 0, 0, settings.sample),
            *_chunks("uniform", settings.voters)]


def _chunks(kind: str, voters: int) -> list[Job]:
    return [Job(kind, index, first, min(CHUNK, voters - first))
            for index, first in enumerate(range(0, voters, CHUNK))]


def run_job(scenario: Scenario, settings: AuditSettings, job: Job) -> Counts | FloatArray:
    """One job, in this process or a worker: its voters come from ``[seed, kind, chunk]``."""
    parties, statements = scenario.positions.shape
    own = COMBOS.index((scenario.method, scenario.missing))
    if job.kind == "parties":
        rng = np.random.default_rng([settings.seed, 1, job.chunk])
        answers, important, party_of = party_voters(
            rng, job.first, job.count, scenario.positions, scenario.scale,
            (settings.skip_rate, settings.importance_rate, settings.noise))
        counts = Counts(parties, voters=job.count)
        scores = scenario.all_scores(answers, important)
        for combo, key in enumerate(COMBOS):
            counts.add(combo, *first_places(scores[key]), party_of=party_of)
        return counts
    rng = np.random.default_rng([settings.seed, 0, job.chunk])
    size = min(CHUNK, settings.voters) if job.kind == "discrimination" else job.count
    answers, important = uniform_voters(rng, size, statements, scenario.scale,
                                        settings.skip_rate, settings.importance_rate)
    if job.kind == "discrimination":  # the first voters of the first uniform chunk
        answers, important = answers[:job.count], important[:job.count]
        return discrimination(scenario, answers, important,
                              first_places(scenario.scores(answers, important))[0])
    uniform = Uniform(parties, own=own)
    uniform.score(scenario, answers, important)
    return uniform


def run_jobs(scenario: Scenario, settings: AuditSettings,
             workers: int) -> tuple[Uniform, Counts, FloatArray]:
    """Every job (in ``workers`` processes when more than one), merged in job order."""
    todo = jobs(settings)
    work = partial(run_job, scenario, settings)
    if workers <= 1 or len(todo) <= 1:
        results = [work(job) for job in todo]
    else:
        work = partial(run_job, replace(scenario, block=CHUNK_VOTERS), settings)
        context = _context()
        with ProcessPoolExecutor(max_workers=min(workers, len(todo)),
                                 mp_context=context) as pool:
            results = list(pool.map(work, todo))
    uniform, around = Uniform(scenario.positions.shape[0], own=COMBOS.index(
        (scenario.method, scenario.missing))), Counts(scenario.positions.shape[0])
    discriminating = np.zeros(scenario.positions.shape[1])
    for job, result in zip(todo, results, strict=True):
        if isinstance(result, Counts):
            (uniform if job.kind == "uniform" else around).merge(result)
        else:
            discriminating = result
    return uniform, around, discriminating


def _context() -> multiprocessing.context.BaseContext:
    """How to start the workers.

    On Linux, from a process with no other thread: ``fork`` (fast, and the caller's
    main module is not run again). Otherwise a fork server preloaded with this module
    (forking a multi-threaded process is unsafe), or ``spawn``; these two import the
    caller's main module in every worker, so a script must guard its entry point with
    ``if __name__ == "__main__":`` (or pass ``workers=1``).
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")

