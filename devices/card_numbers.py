"""How many paper cards there are, known without loading OpenCV (``devices.cards`` does).

The web layer validates card numbers with it at import time; reading a photo or drawing a
card sheet loads OpenCV and numpy (~45 MB) only when a clerk first does either.
"""

from __future__ import annotations

# The codes of the AprilTag 36h11 family that keep ``devices.cards.MIN_MIRROR_DISTANCE``:
# changing either renumbers the markers, and every printed card would be wrong.
MAX_CARD_NUMBER = 526
