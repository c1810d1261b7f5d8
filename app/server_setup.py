"""`panel serve --setup app/server_setup.py`: runs once per server process before it starts."""

from app.server import enable_tcp_nodelay

enable_tcp_nodelay()
