"""The catalog's REST API (/api/v1/): films, people, genres, platforms, streaming titles,
import runs (staff) and the company's analytics questions."""
