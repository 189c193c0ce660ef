"""The content index: one weighted TF-IDF document per film, top-k cosine neighbours.

A document has one block per field (genres, keywords, top-billed cast,
director, collection, knowledge-graph entities, overview words). Each block is
TF-IDF weighted and L2-normalised on its own, then scaled by the field's
weight, so the weights say directly how much sharing a director counts
against sharing genres, whatever the number of tokens in each field.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from catalog.models import Credit, KnowledgeFact, Movie
from recommender.neighbours import topk_cosine_neighbours

TOKEN_FIELDS = ("genre", "keyword", "cast", "director", "collection", "fact")
DEFAULT_FIELD_WEIGHTS: dict[str, float] = {
    "genre": 1.0,
    "keyword": 1.0,
    "cast": 1.0,
    "director": 1.0,
    "collection": 1.0,
    "fact": 1.0,
    "overview": 0.5,
}
TOP_BILLED = 5


@dataclass
class FilmDocument:
    movie_id: int
    tokens: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    overview: str = ""


def content_documents() -> list[FilmDocument]:
    """One document per film in the catalog, read with a handful of flat queries."""
    documents: dict[int, FilmDocument] = {}
    for movie_id, overview, collection_id in Movie.objects.order_by("id").values_list(
        "id", "overview", "collection_id"
    ):
        document = FilmDocument(movie_id=movie_id, overview=overview or "")
        if collection_id:
            document.tokens["collection"].append(f"c{collection_id}")
        documents[movie_id] = document
    for movie_id, genre_id in Movie.genres.through.objects.values_list("movie_id", "genre_id"):
        documents[movie_id].tokens["genre"].append(f"g{genre_id}")
    for movie_id, keyword_id in Movie.keywords.through.objects.values_list("movie_id", "keyword_id"):
        documents[movie_id].tokens["keyword"].append(f"k{keyword_id}")
    for movie_id, person_id in Credit.objects.filter(kind=Credit.Kind.CAST, order__lt=TOP_BILLED).values_list(
        "movie_id", "person_id"
    ):
        documents[movie_id].tokens["cast"].append(f"p{person_id}")
    for movie_id, person_id in Credit.objects.filter(job="Director").values_list("movie_id", "person_id"):
        documents[movie_id].tokens["director"].append(f"p{person_id}")
    for movie_id, relation, entity in KnowledgeFact.objects.values_list("movie_id", "relation", "entity"):
        documents[movie_id].tokens["fact"].append(f"{relation.rsplit('.', 1)[-1]}:{entity}")
    return list(documents.values())


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def content_matrix(documents: list[FilmDocument], weights: dict[str, float] | None = None) -> sparse.csr_matrix:
    """Films x features, each field's block TF-IDF, L2-normalised and scaled by its weight."""
    # Imported here, not at the top: scikit-learn costs most of a second to import, and every
    # web and worker process imports this module while only index builds need it.
    from sklearn.feature_extraction.text import TfidfVectorizer

    weights = {**DEFAULT_FIELD_WEIGHTS, **(weights or {})}
    blocks = []
    for name in TOKEN_FIELDS:
        if weights.get(name, 0) <= 0:
            continue
        vectorizer = TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True, dtype=np.float32)
        try:
            block = vectorizer.fit_transform([document.tokens.get(name, []) for document in documents])
        except ValueError:  # no token of this field is shared by two films
            continue
        blocks.append(block * weights[name])
    if weights.get("overview", 0) > 0:
        vectorizer = TfidfVectorizer(
            stop_words="english", min_df=2, max_df=0.5, sublinear_tf=True, max_features=100_000, dtype=np.float32
        )
        with contextlib.suppress(ValueError):  # no overview word is shared by two films
            blocks.append(vectorizer.fit_transform([document.overview for document in documents]) * weights["overview"])
    if not blocks:
        return sparse.csr_matrix((len(documents), 0), dtype=np.float32)
    return sparse.hstack(blocks, format="csr", dtype=np.float32)


def content_index_build(
    documents: list[FilmDocument],
    *,
    k: int,
    weights: dict[str, float] | None = None,
    on_block: Callable[[int, int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Artifact arrays: movie_ids, neighbours (row numbers, int32) and scores (float32)."""
    matrix = content_matrix(documents, weights)
    neighbours, scores = topk_cosine_neighbours(matrix, k=k, on_block=on_block)
    return {
        "movie_ids": np.array([document.movie_id for document in documents], dtype=np.int64),
        "neighbours": neighbours,
        "scores": scores,
    }
