# Momentum Explorer: `docker build -t momentum-explorer . && docker run -p 5006:5006 momentum-explorer`
FROM python:3.11-slim

# PYTHONMALLOC=malloc: memory freed when sessions end goes back to the system (docs/deploy.md).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PYTHONMALLOC=malloc \
    PORT=5006 ALLOW_WEBSOCKET_ORIGIN=localhost:5006

RUN useradd --create-home --uid 1000 explorer
WORKDIR /home/explorer/app

COPY pyproject.toml README.md ./
COPY momentum_core ./momentum_core
COPY app ./app
RUN pip install --no-cache-dir . && chown -R explorer /home/explorer

USER explorer
EXPOSE 5006
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/liveness')"

# The README's serve command, with port and allowed origins from the environment; the image's working
# folder plays no part (the command serves the installed package).
CMD ["sh", "-c", "exec momentum-explorer --address 0.0.0.0 --port ${PORT} --allow-websocket-origin ${ALLOW_WEBSOCKET_ORIGIN} --liveness --check-unused-sessions 10000 --unused-session-lifetime 60000"]
