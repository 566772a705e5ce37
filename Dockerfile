# syntax=docker/dockerfile:1
# Production image: the wheel is built in one stage and installed (not editable) in a slim
# runtime stage that runs as an unprivileged user. Cloud SDKs are opt-in because some are huge
# (the OCI SDK alone is ~500 MB):
#   docker build --build-arg PAYBILL_EXTRAS=aws,gcp -t paybill .
ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS build
WORKDIR /src
# Everything setup.py bundles into the wheel (migrations, alembic.ini, modules, examples).
COPY pyproject.toml setup.py MANIFEST.in README.md alembic.ini ./
COPY src ./src
COPY migrations ./migrations
COPY terraform-modules ./terraform-modules
COPY examples ./examples
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:${PYTHON_VERSION}-slim AS runtime
ARG PAYBILL_EXTRAS=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PAYBILL_HOST=0.0.0.0 \
    PAYBILL_DATA_DIR=/var/lib/paybill
RUN groupadd --system --gid 10001 paybill \
    && useradd --system --uid 10001 --gid paybill --home-dir /var/lib/paybill --create-home paybill
COPY --from=build /wheels /wheels
RUN set -eux; \
    wheel="$(ls /wheels/paybill_control_plane-*.whl)"; \
    if [ -n "$PAYBILL_EXTRAS" ]; then wheel="paybill-control-plane[${PAYBILL_EXTRAS}] @ file://${wheel}"; fi; \
    pip install --no-cache-dir "$wheel"; \
    rm -rf /wheels
USER paybill
WORKDIR /var/lib/paybill
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"]
CMD ["paybill", "serve"]
