"""Issue 9, item 9: nothing a user or a dataset supplies is ever unpickled; artifacts are verified first.

Every payload here is a real pickle whose unpickling would create a marker
file. Each is fed where a careless reader would unpickle it (an uploaded
ratings file, import_catalog inputs, a model artifact with its checksum
recorded); the marker must never appear.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from catalog.models import ImportRun
from recommender.artifacts import ArtifactError, artifact_read, file_sha256
from recommender.models import ModelVersion
from recommender.registry import model_load, registry
from tests.factories import ModelVersionFactory, UserFactory

pytestmark = pytest.mark.django_db


class CreatesMarker:
    """Unpickling this calls Path.touch(marker): proof that someone ran pickle.loads on it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.marker,))


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "unpickled.marker"


@pytest.fixture
def payload(marker: Path) -> bytes:
    data = pickle.dumps(CreatesMarker(marker), protocol=pickle.HIGHEST_PROTOCOL)
    # The payload works: this is what the code under test must never do.
    pickle.loads(data)  # noqa: S301
    assert marker.exists()
    marker.unlink()
    return data


def test_an_uploaded_ratings_file_holding_a_pickle_is_refused_and_never_unpickled(payload: bytes, marker: Path) -> None:
    client = Client()
    client.force_login(UserFactory())

    for name in ("ratings.csv", "ratings.pkl", "ratings.csv.gz"):
        content = gzip.compress(payload) if name.endswith(".gz") else payload
        response = client.post(reverse("ratings-import"), {"file": SimpleUploadedFile(name, content)})
        assert response.status_code in (200, 400), name
        assert not marker.exists(), name


@pytest.mark.parametrize(
    "file_name",
    ["movies_metadata.csv", "ratings.csv", "credits.csv", "links.csv", "movies.pkl", "ratings.csv.gz", "ml.zip"],
)
def test_import_catalog_inputs_holding_a_pickle_are_refused_and_never_unpickled(
    payload: bytes, marker: Path, tmp_path: Path, file_name: str
) -> None:
    path = tmp_path / "inputs" / file_name
    path.parent.mkdir()
    if file_name.endswith(".gz"):
        path.write_bytes(gzip.compress(payload))
    elif file_name.endswith(".zip"):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("ml-latest/ratings.csv", payload)
            archive.writestr("ml-latest/model.pkl", payload)
    else:
        path.write_bytes(payload)

    # Detected, or forced to be read as each family; refusing the file outright is fine too.
    for options in ([], ["--format", "tmdb"], ["--format", "movielens"]):
        with contextlib.suppress(CommandError):
            call_command("import_catalog", str(path), *options, stdout=io.StringIO())

    assert not marker.exists()
    assert not ImportRun.objects.filter(rows_inserted__gt=0).exists()


def test_an_artifact_holding_a_pickle_is_refused_even_with_its_checksum_recorded(
    marker: Path, tmp_path: Path, settings: object
) -> None:
    path = tmp_path / "collaborative-v1.npz"
    # An object array is stored pickled inside the .npz.
    np.savez(path, item_factors=np.array([CreatesMarker(marker)], dtype=object))
    assert not marker.exists()
    version = ModelVersionFactory(
        kind=ModelVersion.Kind.COLLABORATIVE,
        status=ModelVersion.Status.ACTIVE,
        artifact_path=str(path),
        checksum=file_sha256(path),
    )

    with pytest.raises(ArtifactError):
        artifact_read(path=path, checksum=version.checksum)
    with pytest.raises(ArtifactError):
        model_load(version)
    registry.reset()
    assert registry.active().svd is None
    assert not marker.exists()
    registry.reset()


def test_an_artifact_whose_bytes_differ_from_the_recorded_checksum_is_never_parsed(
    payload: bytes, marker: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "content-v2.npz"
    path.write_bytes(payload)
    parsed: list[object] = []
    monkeypatch.setattr(np, "load", lambda *args, **kwargs: parsed.append(args))

    with pytest.raises(ArtifactError, match="does not match the recorded"):
        artifact_read(path=path, checksum="0" * 64)
    with pytest.raises(ArtifactError, match="no checksum recorded"):
        artifact_read(path=path, checksum="")

    assert parsed == []
    assert not marker.exists()
