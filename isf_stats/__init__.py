"""Django-free statistics for ISF (pure Python + numpy/scipy, importable without settings)."""
