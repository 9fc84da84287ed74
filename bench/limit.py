"""The in-process limit: page images OCR'd by one loaded Tesseract engine per core, and nothing else.

`python bench/limit.py WORKERS TESSDATA LANG LIST OUT`: LIST is a JSON list of image files; OUT receives their
texts, in order. Each of WORKERS processes loads the engine once (tesserocr) and reads the files Leptonica
decodes for it, as `tesseract IMG -` does, one page at a time: the same pages as the bare-Tesseract row, without a
process started (and the model loaded) per page. Start-up is included in what the benchmark times.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys

_api = None


def _load(tessdata: str, lang: str) -> None:
    global _api
    import tesserocr

    _api = tesserocr.PyTessBaseAPI(path=tessdata, lang=lang, variables={"debug_file": "/dev/null"})


def _read(image: str) -> str:
    assert _api is not None
    _api.SetImageFile(image)
    try:
        return _api.GetUTF8Text()
    finally:
        _api.Clear()


def main(argv: list[str]) -> int:
    workers, tessdata, lang, listing, out = int(argv[0]), argv[1], argv[2], argv[3], argv[4]
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with open(listing, encoding="utf-8") as fh:
        images = json.load(fh)
    # fork: this script has no threads; each worker loads its engine once, in its initializer.
    with multiprocessing.get_context("fork").Pool(workers, _load, (tessdata, lang)) as pool:
        texts = list(pool.imap(_read, images, chunksize=1))
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(texts, fh, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
