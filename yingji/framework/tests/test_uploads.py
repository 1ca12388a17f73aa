import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from yingji.framework.uploads import stored_name, validate_document, validate_image


def _image(fmt="JPEG", size=(8, 8)):
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, format=fmt)
    return buf.getvalue()


@pytest.mark.parametrize(("fmt", "ext"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")])
def test_real_photos_are_accepted_with_their_true_extension(fmt, ext):
    upload = SimpleUploadedFile("photo.bin", _image(fmt))
    assert validate_image(upload) == ext
    assert upload.read(2)  # left rewound for saving


def test_a_renamed_text_file_is_refused():
    with pytest.raises(ValidationError) as err:
        validate_image(SimpleUploadedFile("evil.jpg", b"<?php echo 1; ?>"))
    assert err.value.code == "image_invalid"


def test_an_unaccepted_image_format_is_refused():
    with pytest.raises(ValidationError) as err:
        validate_image(SimpleUploadedFile("scan.tif", _image("TIFF")))
    assert err.value.code == "image_type"


def test_size_limit_is_inclusive():
    data = _image()
    assert validate_image(SimpleUploadedFile("a.jpg", data), max_bytes=len(data)) == "jpg"
    with pytest.raises(ValidationError) as err:
        validate_image(SimpleUploadedFile("a.jpg", data), max_bytes=len(data) - 1)
    assert err.value.code == "image_too_large"


def test_documents_by_extension_and_size():
    assert validate_document(SimpleUploadedFile("方案.PDF", b"%PDF-1.4")) == "pdf"
    with pytest.raises(ValidationError) as err:
        validate_document(SimpleUploadedFile("run.exe", b"MZ"))
    assert err.value.code == "file_type"
    with pytest.raises(ValidationError) as err:
        validate_document(SimpleUploadedFile("a.pdf", b"x" * 11), max_bytes=10)
    assert err.value.code == "file_too_large"


def test_stored_names_do_not_keep_the_users_name():
    a, b = stored_name("hazards", "jpg"), stored_name("hazards", "jpg")
    assert a != b and a.startswith("hazards/") and a.endswith(".jpg") and "photo" not in a
