# Customer Lens for a team: one container, run as a non-root user, behind a reverse proxy
# with TLS (README, "Serving a team"). Never built as an image (no container registry on
# the machine it was written on). Checked by hand: the pip line resolves on Python 3.11,
# and with this ENV the app runs as an unprivileged user from a directory it cannot write
# (pages and a 5 MB upload work). tests/test_server_startup.py starts the server with this
# file's ENV and CMD and checks that it makes no outbound call.
#
#   docker build -t customer-lens .
#   docker run --rm -p 127.0.0.1:8501:8501 \
#     -e STREAMLIT_BROWSER_SERVER_ADDRESS=lens.example.com \
#     -e STREAMLIT_SERVER_ALLOWED_HOSTS=lens.example.com \
#     -v /etc/customer-lens/secrets.toml:/app/.streamlit/secrets.toml:ro \
#     --read-only --tmpfs /tmp customer-lens
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home lens

WORKDIR /app
# Dependencies first, so that a change to the app does not reinstall them.
COPY pyproject.toml README.md ./
COPY core/ core/
COPY ui/ ui/
COPY sample_data/ sample_data/
# Authlib: what st.login needs when [auth] is set in secrets.toml.
RUN pip install . "Authlib>=1.3.2"
COPY app.py ./
COPY app_pages/ app_pages/
COPY assets/ assets/
COPY .streamlit/config.toml .streamlit/config.toml
RUN chown -R root:root /app && chmod -R a+rX,go-w /app

USER lens
# Inside the container every interface (the container's own); publish the port on the
# host's loopback for the reverse proxy. Naming the public host (browser.serverAddress)
# keeps Streamlit from looking up its external IP; set both to the name users type.
ENV HOME=/tmp \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_BROWSER_SERVER_ADDRESS=localhost \
    STREAMLIT_SERVER_ALLOWED_HOSTS=localhost
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s \
    CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["streamlit", "run", "app.py"]
