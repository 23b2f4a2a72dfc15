"""The phones benchmark of issue 8: a load generator of real Socket.IO phones, the scenario
(sign-in, a ballot burst, the projector's count, the floor's fan-out), a bare baseline
server, and the report. Run ``make bench`` or ``python -m bench.load --help``; see README.md.
"""
