"""The Ray engine (``--engine ray``): a batch's events mapped over a Ray cluster.

One actor per CPU of the cluster (``num_cpus=1`` each), each running up to ``concurrency``
items at once in threads (a threaded actor: model calls wait on sockets). The work function
is sent to each actor once; whatever it keeps per process (``pipeline``'s backend, so a
local model server starts once per worker) lives as long as the actor. The driver keeps
every actor ``concurrency`` items busy and yields each result as it completes (``ray.wait``).

Ray is an optional extra (``pip install 'summarize[ray]'``); without it, ``require`` raises
one ``ConfigError`` saying how to install it. ``address`` is a running cluster's (``auto``,
``HEAD:6379``); without one, a local instance is started for the run (or the cluster
``RAY_ADDRESS`` names is joined) and this module shuts down what it started."""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Generator, Sequence
from types import ModuleType
from typing import Any, Generic, TypeVar

from summarize.errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")

INSTALL = (
    "--engine ray needs Ray, an optional extra: pip install 'summarize[ray]' "
    "(in a checkout, make install installs it)"
)


def require() -> ModuleType:
    """The ``ray`` module, or a ``ConfigError`` telling how to install it."""
    try:
        import ray
    except ImportError:
        raise ConfigError(INSTALL) from None
    return ray


class _Worker(Generic[T, R]):
    """The actor: holds the work function for the life of its process."""

    def __init__(self, work: Callable[[T], R]) -> None:
        self.work = work

    def run(self, item: T) -> R:
        return self.work(item)


def imap_unordered(
    work: Callable[[T], R],
    items: Sequence[T],
    *,
    lost: Callable[[T, str], R],
    address: str | None = None,
    concurrency: int = 1,
    env: dict[str, str] | None = None,
    on_submit: Callable[[int], None] | None = None,
) -> Generator[tuple[int, R], None, None]:
    """``(index, work(item))`` for every item, in the order they complete. ``work`` must be
    importable by name (a module-level function or a ``functools.partial`` of one). An item
    whose worker was lost (its process or node died, after one restart and retry) gets
    ``lost(item, why)``; an exception ``work`` raised is raised here, as the local engine
    does. ``env`` reaches the workers' environment."""
    ray = require()
    started = _connect(ray, address)
    actors: list[Any] = []
    try:
        cpus = int(ray.cluster_resources().get("CPU", 0))
        if cpus < 1:
            raise ConfigError(f"the Ray cluster ({address or 'local'}) has no CPU for a worker")
        actor_class = ray.remote(_Worker).options(
            num_cpus=1,
            max_concurrency=max(1, concurrency),
            max_restarts=1,
            max_task_retries=1,
            runtime_env={"env_vars": dict(env or {})},
        )
        actors = [actor_class.remote(work) for _ in range(min(cpus, len(items)))]
        alive = set(range(len(actors)))
        queue = deque(range(len(items)))
        in_flight: dict[Any, tuple[int, int]] = {}  # object ref -> (item index, actor index)

        def submit(actor: int) -> None:
            index = queue.popleft()
            in_flight[actors[actor].run.remote(items[index])] = (index, actor)
            if on_submit is not None:
                on_submit(index)

        for actor in range(len(actors)):
            for _ in range(max(1, concurrency)):
                if queue:
                    submit(actor)
        while in_flight:
            done, _ = ray.wait(list(in_flight), num_returns=1)
            index, actor = in_flight.pop(done[0])
            try:
                result = ray.get(done[0])
            except ray.exceptions.RayTaskError as e:
                raise e.as_instanceof_cause() from None
            except ray.exceptions.RayError as e:  # the actor, its process or its node is gone
                alive.discard(actor)
                result = lost(items[index], f"Ray worker lost: {_first_line(e)}")
            yield index, result
            if actor in alive and queue:
                submit(actor)
            if not alive:
                while queue:
                    index = queue.popleft()
                    yield index, lost(items[index], "no Ray worker left")
    finally:
        _stop(ray, actors)
        if started:
            ray.shutdown()


# How long the actors get to run their exit hooks (a local model server's stop) before they
# are killed.
STOP_GRACE_S = 20.0


def _stop(ray: ModuleType, actors: list[Any]) -> None:
    """End the actors the way a process ends: ``__ray_terminate__`` runs their ``atexit``
    hooks (a worker's model server is stopped there; ``ray.kill`` alone would leave it
    running, in its own session). An actor that has not exited within ``STOP_GRACE_S`` is
    killed."""
    if not actors:
        return
    pending = {actor.__ray_terminate__.remote(): actor for actor in actors}
    # The termination task never returns a value: its ref resolves (to an actor-died error)
    # when the process has exited.
    done, _ = ray.wait(list(pending), num_returns=len(pending), timeout=STOP_GRACE_S)
    for ref, actor in pending.items():
        if ref not in done:
            ray.kill(actor)


def _connect(ray: ModuleType, address: str | None) -> bool:
    """Connect (or start a local instance); True when this call did, so it must disconnect
    (which stops a local instance it started)."""
    if ray.is_initialized():
        return False
    where = f"--ray-address {address}" if address else "a local Ray instance"
    kwargs: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
    if address is None and not os.environ.get("RAY_ADDRESS"):
        # "local": a new instance for this run, even where a cluster was started on this
        # machine (ray.init() alone would join that one).
        address = "local"
        kwargs["include_dashboard"] = False
    try:
        ray.init(address=address, **kwargs)
    except (ConnectionError, ValueError, RuntimeError) as e:
        raise ConfigError(f"{where}: cannot connect: {_first_line(e)}") from None
    return True


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__
