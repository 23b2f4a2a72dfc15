"""Flask extensions, created unbound at import time and bound in ``create_app``."""

from flask_babel import Babel
from flask_socketio import SocketIO

socketio = SocketIO()
babel = Babel()
