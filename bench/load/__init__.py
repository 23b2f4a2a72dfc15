"""The phones benchmark of issue 8: a load generator of real Socket.IO phones, the scenario
(sign-in, a ballot burst, the projector's count, the floor's fan-out), a bare baseline
server, and the report. Run ``make bench`` or ``python -m bench.load --help``; see README.md.
"""

# Options of every client's WebSocket (websocket-client): it checks UTF-8 byte by byte in
# Python (about 4 ms for a 3 KB snapshot on the benchmark machine), so a process of 250 phones
# would spend a second on each broadcast; Python's own decoding still rejects bad UTF-8.
WEBSOCKET = {"skip_utf8_validation": True}
