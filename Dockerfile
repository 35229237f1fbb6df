# Standing's image: `standing serve`, `standing worker`, `standing migrate` (docker-compose.yml).
# The base is pinned to an exact Python release of Debian bookworm's slim image; bump the tag deliberately
# (and add `@sha256:<digest>` from `docker buildx imagetools inspect` when your registry policy asks for one).
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, from the lock file only (deploy/lock.py writes it): the layer is reused until it changes,
# and the build never picks a version of its own.
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock

COPY pyproject.toml README.md ./
COPY domain ./domain
COPY schema ./schema
COPY workers ./workers
COPY cli ./cli
RUN pip install --no-deps . && rm -rf build *.egg-info

# An unprivileged user that owns nothing but its scratch directory (var/: the export signing key, if made here).
RUN groupadd --system --gid 10001 standing \
    && useradd --system --uid 10001 --gid standing --home-dir /app --no-create-home --shell /usr/sbin/nologin standing \
    && mkdir -p /app/var && chown standing:standing /app/var
USER standing:standing

ENV STANDING_HOST=0.0.0.0 STANDING_PORT=8000
EXPOSE 8000
CMD ["standing", "serve"]
