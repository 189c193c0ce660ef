"""Top-k cosine neighbours of every row of a sparse matrix, in row blocks.

Memory stays bounded by the block: a block of rows times all rows is made
dense at most `block_rows` x n at a time, never n x n.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import sparse

# About 64 MB of float32 similarities per block at 45,000 films.
DEFAULT_BLOCK_CELLS = 16_000_000
# Features shared by more than this share of rows (genres, say) make a sparse
# product nearly dense; up to MAX_DENSE_FEATURES of them go through BLAS instead.
DENSE_FEATURE_SHARE = 0.01
MAX_DENSE_FEATURES = 512


def topk_cosine_neighbours(
    matrix: sparse.spmatrix,
    *,
    k: int,
    block_rows: int | None = None,
    on_block: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(neighbours, scores): for each row, the k most cosine-similar other rows, best first.

    neighbours is int32 (n, k) with -1 where a row has fewer than k neighbours
    with a positive similarity; scores is float32 (n, k) with 0 there.
    """
    # Imported here: scikit-learn takes most of a second to import, and serving processes
    # import this module's package without ever building neighbours.
    from sklearn.preprocessing import normalize

    matrix = sparse.csr_matrix(matrix, dtype=np.float32)
    n = matrix.shape[0]
    k = max(0, min(k, n - 1))
    neighbours = np.full((n, k), -1, dtype=np.int32)
    scores = np.zeros((n, k), dtype=np.float32)
    # No feature at all (a small catalog where no two films share anything): no neighbours, not an error.
    if n == 0 or k == 0 or matrix.shape[1] == 0:
        return neighbours, scores
    rows = normalize(matrix, norm="l2", axis=1, copy=True)
    block_rows = block_rows or max(1, DEFAULT_BLOCK_CELLS // max(n, 1))
    document_frequency = np.bincount(rows.indices, minlength=rows.shape[1])
    common = np.argsort(-document_frequency)[:MAX_DENSE_FEATURES]
    common = common[document_frequency[common] > DENSE_FEATURE_SHARE * n]
    rare = np.setdiff1d(np.arange(rows.shape[1]), common)
    dense_part = rows[:, common].toarray()
    sparse_part = rows[:, rare].tocsr()
    sparse_transposed = sparse_part.T.tocsc()
    for start in range(0, n, block_rows):
        end = min(start + block_rows, n)
        block = (sparse_part[start:end] @ sparse_transposed).toarray()
        if len(common):
            block += dense_part[start:end] @ dense_part.T
        block[np.arange(end - start), np.arange(start, end)] = -np.inf  # a film is not its own neighbour
        top = np.argpartition(-block, k - 1, axis=1)[:, :k]
        top_scores = np.take_along_axis(block, top, axis=1)
        order = np.lexsort((top, -top_scores), axis=1)
        top = np.take_along_axis(top, order, axis=1)
        top_scores = np.take_along_axis(top_scores, order, axis=1)
        positive = top_scores > 0
        neighbours[start:end] = np.where(positive, top, -1)
        scores[start:end] = np.where(positive, top_scores, 0)
        if on_block:
            on_block(end, n)
    return neighbours, scores
