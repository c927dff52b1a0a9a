"""Running a batch's events side by side: ``local`` (threads in this process, bounded by
``--concurrency``) or ``ray`` (actors on a Ray cluster, ``--engine ray``), and the ``gate``
that makes one worker's rate limit (a 429 with Retry-After) hold back the others.

The engines know nothing of events: they map a function over items and yield
``(index, result)`` as each item completes; ``pipeline.iter_run`` says what the work is."""
