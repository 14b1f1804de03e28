# Scorelijst in a container: small (slim Python, no build tools or caches in the image), run as
# a user without rights, the database on a volume, the token from the environment.
#
#   docker build -t scorelijst .
#   docker run -d --name scorelijst --restart unless-stopped \
#     -e TELEGRAM_BOT_TOKEN=123456:ABC... -v scorelijst-data:/data scorelijst
#
# Webhook mode: add -e BOT_WEBHOOK_URL=https://... -e BOT_WEBHOOK_SECRET=... -p 127.0.0.1:8080:8080
# and let the web server in front forward the URL's path to port 8080. See the README.

# Build stage: install the bot and its dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY content ./content
COPY domain ./domain
COPY emulator ./emulator
COPY services ./services
COPY storage ./storage
RUN python -m venv /opt/scorelijst && /opt/scorelijst/bin/pip install .

# Run stage: the same Python, the virtual environment, nothing else.
FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /data scorelijst \
    && mkdir /data && chown scorelijst:scorelijst /data
COPY --from=build /opt/scorelijst /opt/scorelijst
ENV PATH=/opt/scorelijst/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    BOT_DB_PATH=/data/scorelijst.sqlite3 \
    BOT_WEBHOOK_LISTEN=0.0.0.0 \
    BOT_WEBHOOK_PORT=8080
USER scorelijst
WORKDIR /data
VOLUME ["/data"]
# Only used in webhook mode (BOT_WEBHOOK_URL set); long polling needs no port.
EXPOSE 8080
# The database opens and, in webhook mode, the webhook server answers (bot/ops.py).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
# python-telegram-bot stops cleanly on SIGTERM (docker stop): the last answers are committed.
CMD ["python", "-m", "bot"]
