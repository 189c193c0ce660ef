"""Every test here starts from a process with nothing loaded and its own rows."""

from tests.recommender_state import fresh_recommender_state, recommender_ttls_off  # noqa: F401 - autouse
