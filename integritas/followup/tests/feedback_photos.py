"""Photos for the feedback tests: a JPEG that carries a GPS position and a camera's name."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

CAMERA = "KameraRahasia X1"


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x0110] = "Model 7"
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (6.0, 12.0, 30.0)
    gps[3] = "E"
    gps[4] = (106.0, 49.0, 5.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"dibuat di rumah")
    return out.getvalue()


def png(size: tuple[int, int] = (20, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 200, 10)).save(out, format="PNG")
    return out.getvalue()


PDF_NAMED_JPG = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb's
    shape), with a correct checksum so that only its size gives it away."""
    real = png((1, 1))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return real[:8] + ihdr + real[8 + 25 :]
