"""Report photos: the Pillow pipeline (the services that store the renditions
are activities/services/photos.py).

``process_image`` turns uploaded bytes into three JPEG renditions (thumbnail, web,
print) or refuses them with a Chinese ``ValidationError``. The order of the checks
is chosen so that nothing expensive happens to a file that can be refused cheaply:

1. byte size (before anything is parsed);
2. what Pillow detects from the content (never the file name or content type);
3. the pixel count declared in the header, before a single pixel is decoded;
4. the container walked to its end marker (JPEG EOI, PNG IEND, WebP RIFF size):
   missing end -> incomplete; anything but padding after it, or HTML, script or
   PDF hidden in a metadata segment -> refused as not purely an image (a polyglot);
5. ``Image.verify`` on one open, then a decode of every byte on a second open,
   so a file cut short fails here too (``LOAD_TRUNCATED_IMAGES`` stays off).

The renditions are re-encoded from decoded pixels, with EXIF orientation applied
and colours converted to sRGB, and carry no EXIF, ICC, XMP or comment: GPS
positions and camera serial numbers never reach the disk. The uploaded bytes are
not kept; only their sha256, to refuse the same photo twice on one report.

Trusted code (``load_demo``, the Word import) adds photos while the report is a
draft, like a worker would, or passes a superuser as ``by``: a superuser may also
change the photos of a report under review.
"""

from .containers import (
    FOREIGN_SIGNATURES,
)
from .pipeline import (
    ACCEPTED_FORMATS,
    PRINT_SIZE,
    QUALITY,
    THUMB_SIZE,
    WEB_SIZE,
    Renditions,
    process_image,
    read_upload,
)

__all__ = [
    "ACCEPTED_FORMATS",
    "FOREIGN_SIGNATURES",
    "PRINT_SIZE",
    "QUALITY",
    "Renditions",
    "THUMB_SIZE",
    "WEB_SIZE",
    "process_image",
    "read_upload",
]
