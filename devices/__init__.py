"""The room's hardware behind small interfaces (``devices.adapters`` picks each from config)."""
