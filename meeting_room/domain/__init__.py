"""The meeting's rules and words: standard library only (plus pypinyin), no Flask, no database."""
