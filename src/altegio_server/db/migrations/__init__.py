"""Schema migrations, applied in order; each is a module `mNNNN_name.py` with `statements(dialect)`."""
