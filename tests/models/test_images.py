"""Image validation: only real, reasonably sized images are stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from articles.images import validate_image_file
from articles.models import Image


def png_bytes(size=(40, 30), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def error_codes(data: bytes, name: str = "photo.png") -> list[str]:
    with pytest.raises(ValidationError) as exc:
        validate_image_file(upload(data, name))
    return [e.code for e in exc.value.error_list]


def test_real_image_passes_and_records_its_size(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = Image(file=upload(png_bytes((64, 48))), alt_text="A red square")
    image.full_clean()
    image.save()
    assert (image.width, image.height) == (64, 48)


def test_non_image_with_image_extension_is_refused():
    assert error_codes(b"<?php echo 'not an image'; ?>", "evil.png") == ["not_image"]


def test_empty_file_is_refused():
    assert error_codes(b"", "empty.png") == ["empty"]


def test_truncated_image_is_refused():
    data = png_bytes((300, 300), "JPEG")
    assert error_codes(data[: len(data) // 2], "cut.jpg") == ["damaged"]


def test_decompression_bomb_is_refused(settings):
    # A tiny file that claims an enormous canvas: refused before any pixel is decoded.
    settings.IMAGE_MAX_PIXELS = 40_000_000
    buffer = io.BytesIO()
    PILImage.new("1", (10_000, 10_000)).save(buffer, "PNG")  # 100 megapixels, a few KB
    data = buffer.getvalue()
    assert len(data) < 200_000
    assert error_codes(data, "bomb.png") == ["too_many_pixels"]


def test_oversized_file_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1000
    assert error_codes(png_bytes((400, 400)), "big.png") == ["too_large"]


def test_unsupported_format_is_refused():
    buffer = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(buffer, "BMP")
    assert error_codes(buffer.getvalue(), "pic.bmp") == ["bad_format"]


def test_alt_text_is_required(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = Image(file=upload(png_bytes()), alt_text="")
    with pytest.raises(ValidationError) as exc:
        image.full_clean()
    assert "alt_text" in exc.value.message_dict
