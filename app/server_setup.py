"""`panel serve --setup app/server_setup.py`: runs once per server process before it starts."""

from app.server import set_up

set_up()
