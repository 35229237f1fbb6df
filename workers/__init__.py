"""arq workers: time-based transitions. Jobs are plain `async def f(ctx, ...)` calling domain code,
so the queue engine stays replaceable (arq is in maintenance-only mode upstream)."""
