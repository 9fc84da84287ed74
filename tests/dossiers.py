"""Seeded generator of realistic sample GTCLQG dossiers for tests and benchmarks.

A dossier (hồ sơ tham dự Giải thưởng Chất lượng Quốc gia) is a folder of files, one per component
(see ``COMPONENT_IDS`` and ``/work/shared/DOMAIN.md``), plus usually a cover letter (công văn gửi kèm)
that must *not* be recognised as a component.  This module writes such folders in the formats
enterprises really send: digital PDF, scanned (image-only) PDF, Word .docx with text, .docx with pasted
page pictures, and JPEG/PNG/TIFF scans or phone photos.

Everything is driven by the ``random.Random`` passed in: the same seed and arguments give the same
content and byte-identical files (PDF/docx timestamps are pinned).  No network access is used.

Content guarantees the classifier and its tests rely on (keep them true when editing):

* every line is NFC; the first page of each component starts with the national header
  ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc") and/or an organisation name,
  then the UPPERCASE title within the first 10 lines; the *first* title line alone always contains one of
  the component's ``titles`` phrases from ``rules/gtclqg-2020.toml`` (a second line may continue it);
* bodies use several of the component's ``keywords``; pages are short (about 10-25 lines);
* ``self_assessment``: one heading "Tiêu chí N: <name> (<points> điểm)" per requested criterion, 2018
  wording or sometimes the older wording; criteria not requested are named nowhere; the phrase
  "kết quả hoạt động" appears only as criterion 7's heading;
* ``environment``: one "Kết quả quan trắc môi trường năm YYYY: ..." line per requested year and no other
  2015-2019 year anywhere in the file;
* ``tax_insurance``: tax year lines (no "bảo hiểm"), then at least 3 lines mentioning neither tax nor
  insurance, then insurance year lines (no "thuế"); no other 2015-2019 year anywhere;
* the cover letter has no title of its own: only "V/v: ..." and a numbered, sentence-case list of every
  component title.

Fonts: DejaVu Serif (Condensed when available) is used for PDF and images because the Liberation Serif
installed here lacks most Vietnamese precomposed letters (ơ, ư, ạ, ế, ...).  Word files name
"Times New Roman" as Vietnamese offices do.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import random
import re
import shutil
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist
from typing import Iterable, Sequence

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

__all__ = [
    "COMPONENT_IDS",
    "CATEGORIES",
    "FORMATS",
    "TITLES",
    "Enterprise",
    "Page",
    "make_enterprise",
    "component_pages",
    "cover_letter_pages",
    "write_digital_pdf",
    "write_scanned_pdf",
    "render_page_image",
    "write_docx",
    "write_image",
    "write_dossier",
    "write_merged_dossier",
    "merged_pages",
    "nfd_name",
]

COMPONENT_IDS = (
    "registration_form",
    "company_profile",
    "self_assessment",
    "quality_system",
    "product_conformity",
    "environment",
    "tax_insurance",
    "other_evidence",
)

CATEGORIES = ("Sản xuất lớn", "Sản xuất vừa và nhỏ", "Dịch vụ lớn", "Dịch vụ vừa và nhỏ")

#: File formats accepted by :func:`write_dossier` (per component).
FORMATS = ("pdf", "scan", "docx", "docx_scan", "jpg", "png", "tiff")

Page = list[str]

NATIONAL_HEADER = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
CAMPAIGN_YEAR = 2020
PROVINCE = "Bắc Giang"

#: Full titles as printed on the first page (all variants), per component.
TITLES: dict[str, tuple[str, ...]] = {
    "registration_form": ("ĐƠN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020",),
    "company_profile": ("BÁO CÁO GIỚI THIỆU CHUNG VỀ TỔ CHỨC, DOANH NGHIỆP",),
    "self_assessment": ("BÁO CÁO TỰ ĐÁNH GIÁ THEO 07 TIÊU CHÍ CỦA GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA",),
    "quality_system": ("GIẤY CHỨNG NHẬN HỆ THỐNG QUẢN LÝ CHẤT LƯỢNG",),
    "product_conformity": ("GIẤY CHỨNG NHẬN HỢP QUY", "GIẤY CHỨNG NHẬN HỢP CHUẨN"),
    "environment": ("BÁO CÁO KẾT QUẢ QUAN TRẮC MÔI TRƯỜNG", "KẾ HOẠCH BẢO VỆ MÔI TRƯỜNG"),
    "tax_insurance": ("XÁC NHẬN KẾT QUẢ THỰC HIỆN NGHĨA VỤ THUẾ VÀ CHẾ ĐỘ BẢO HIỂM XÃ HỘI",),
    "other_evidence": ("CÁC TÀI LIỆU CHỨNG MINH KHÁC", "BẰNG KHEN"),
}

# Title split into printed lines; the first line alone always contains a rule-file title phrase.
_TITLE_LINES: dict[str, tuple[tuple[str, ...], ...]] = {
    "registration_form": (
        ("ĐƠN ĐĂNG KÝ THAM DỰ", "GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020"),
        ("ĐƠN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG", "CHẤT LƯỢNG QUỐC GIA NĂM 2020"),
    ),
    "company_profile": (
        ("BÁO CÁO GIỚI THIỆU CHUNG VỀ TỔ CHỨC, DOANH NGHIỆP",),
        ("BÁO CÁO GIỚI THIỆU CHUNG", "VỀ TỔ CHỨC, DOANH NGHIỆP"),
    ),
    "self_assessment": (
        ("BÁO CÁO TỰ ĐÁNH GIÁ THEO 07 TIÊU CHÍ", "CỦA GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"),
        ("BÁO CÁO TỰ ĐÁNH GIÁ", "THEO 07 TIÊU CHÍ CỦA GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA"),
    ),
    "tax_insurance": (
        ("XÁC NHẬN KẾT QUẢ THỰC HIỆN NGHĨA VỤ THUẾ", "VÀ CHẾ ĐỘ BẢO HIỂM XÃ HỘI"),
    ),
}

# Criteria: number -> (points, names); names[0] is the 2018 wording, the rest are older wordings.
# Mirrors [[components.checks]] criteria in rules/gtclqg-2020.toml.
_CRITERIA: dict[int, tuple[int, tuple[str, ...]]] = {
    1: (120, ("Vai trò của lãnh đạo",)),
    2: (85, ("Chiến lược hoạt động", "Hoạch định chiến lược")),
    3: (85, ("Chính sách định hướng vào khách hàng và thị trường", "Định hướng vào khách hàng")),
    4: (90, ("Đo lường, phân tích và quản lý tri thức", "Đo lường, phân tích và quản trị tri thức")),
    5: (85, ("Quản lý nguồn nhân lực", "Định hướng vào nguồn nhân lực")),
    6: (85, ("Quản lý quá trình hoạt động",)),
    7: (450, ("Kết quả hoạt động",)),
}

# Body sentences per criterion.  Each one avoids every word that names another criterion
# (lãnh đạo, chiến lược, khách hàng, thị trường, đo lường, phân tích, tri thức, nhân lực, quá trình,
# kết quả, hoạt động), so omitting a criterion really removes every trace of it.
_CRITERION_BODY: dict[int, tuple[str, ...]] = {
    1: (
        "Ban Giám đốc xác định rõ tầm nhìn, sứ mệnh, giá trị cốt lõi và phổ biến tới toàn thể cán bộ công nhân viên.",
        "Lãnh đạo công ty trực tiếp chỉ đạo xây dựng văn hóa doanh nghiệp và thực hiện trách nhiệm với cộng đồng.",
        "Ban lãnh đạo định kỳ xem xét mục tiêu chất lượng, cam kết cải tiến liên tục.",
    ),
    2: (
        "Công ty xây dựng kế hoạch phát triển 5 năm và kế hoạch sản xuất kinh doanh hằng năm với chỉ tiêu cụ thể.",
        "Các mục tiêu dài hạn được triển khai thành chương trình hành động tới từng phòng ban, đơn vị.",
        "Định kỳ sáu tháng, công ty rà soát và điều chỉnh mục tiêu cho phù hợp với tình hình thực tế.",
    ),
    3: (
        "Ý kiến phản hồi của khách hàng được thu thập qua phiếu khảo sát và được xử lý kịp thời.",
        "Mức độ hài lòng của khách hàng đạt trên 90%; thị phần trong nước tăng ổn định.",
        "Công ty tham gia hội chợ, triển lãm để mở rộng thị trường tiêu thụ sản phẩm.",
    ),
    4: (
        "Hệ thống chỉ số đo lường hiệu suất được cập nhật hằng tháng, làm căn cứ ra quyết định.",
        "Dữ liệu sản xuất được phân tích trên phần mềm ERP; sáng kiến, kinh nghiệm được lưu trữ và chia sẻ.",
        "Công ty khuyến khích sáng kiến cải tiến kỹ thuật, lưu giữ tri thức trong cơ sở dữ liệu nội bộ.",
    ),
    5: (
        "Công ty lập kế hoạch đào tạo hằng năm, tổ chức bồi dưỡng kỹ năng cho người lao động.",
        "Chế độ tiền lương, thưởng và phúc lợi bảo đảm quyền lợi của người lao động theo quy định.",
        "Công tác tuyển dụng, đánh giá và đề bạt cán bộ được thực hiện công khai, minh bạch.",
    ),
    6: (
        "Các quy trình sản xuất, kiểm soát chất lượng được chuẩn hóa; công ty áp dụng công cụ 5S, Kaizen.",
        "Công ty kiểm soát chặt chẽ nhà cung cấp, nguyên vật liệu đầu vào và sản phẩm đầu ra.",
        "Tỷ lệ sản phẩm không phù hợp được theo dõi hằng ngày tại từng công đoạn sản xuất.",
    ),
    7: (
        "Doanh thu và lợi nhuận tăng bình quân {growth}%/năm; thu nhập của người lao động tăng đều.",
        "Tỷ lệ sản phẩm lỗi giảm còn {defect}%; không có khiếu nại nghiêm trọng về chất lượng.",
        "Các chỉ tiêu tài chính, năng suất lao động đều tăng so với cùng kỳ.",
    ),
}

# --------------------------------------------------------------------------------------------------
# Enterprises
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enterprise:
    """A participating enterprise (all text NFC)."""

    name: str
    address: str
    phone: str
    email: str
    tax_code: str
    representative: str
    category: str
    employees: int
    founded: dt.date


@dataclass(frozen=True)
class _Industry:
    word: str  # as it appears in the company name
    production: bool
    products: str
    scope: str  # ISO 9001 certification scope
    conformity: str  # "hợp quy" | "hợp chuẩn"
    product: str  # certified product
    standard: str  # QCVN/TCVN number


_INDUSTRIES: tuple[_Industry, ...] = (
    _Industry("May", True, "áo jacket, quần âu, áo sơ mi xuất khẩu",
              "Sản xuất và gia công các sản phẩm may mặc", "hợp quy",
              "Sản phẩm dệt may (áo jacket, quần âu)", "QCVN 01:2017/BCT"),
    _Industry("Thép", True, "thép cuộn, thép thanh vằn xây dựng",
              "Sản xuất thép xây dựng", "hợp quy", "Thép làm cốt bê tông", "QCVN 7:2019/BKHCN"),
    _Industry("Bao bì", True, "bao bì carton, bao bì nhựa PP",
              "Sản xuất bao bì carton và bao bì nhựa", "hợp quy",
              "Bao bì nhựa tiếp xúc trực tiếp với thực phẩm", "QCVN 12-1:2011/BYT"),
    _Industry("Thực phẩm", True, "nước uống đóng chai, bánh kẹo",
              "Sản xuất nước uống đóng chai và bánh kẹo", "hợp quy", "Nước uống đóng chai",
              "QCVN 6-1:2010/BYT"),
    _Industry("Phân bón", True, "phân bón NPK, phân hữu cơ vi sinh",
              "Sản xuất phân bón NPK và phân bón hữu cơ", "hợp quy", "Phân bón NPK 16-16-8",
              "QCVN 01-189:2019/BNNPTNT"),
    _Industry("Gạch ngói", True, "gạch đất sét nung, ngói lợp",
              "Sản xuất gạch đất sét nung", "hợp quy", "Gạch đặc đất sét nung", "QCVN 16:2019/BXD"),
    _Industry("Điện tử", True, "linh kiện điện tử, bộ nguồn, bo mạch",
              "Sản xuất, lắp ráp linh kiện điện tử", "hợp quy", "Bộ nguồn một chiều dùng cho thiết bị gia dụng",
              "QCVN 4:2009/BKHCN"),
    _Industry("Cơ khí", True, "kết cấu thép, cột thép mạ kẽm, phụ tùng máy nông nghiệp",
              "Gia công cơ khí và mạ kẽm nhúng nóng", "hợp chuẩn", "Cột thép mạ kẽm nhúng nóng",
              "TCVN 5408:2007"),
    _Industry("Nhựa", True, "ống nhựa PVC-U, HDPE và phụ kiện",
              "Sản xuất ống nhựa và phụ kiện", "hợp chuẩn", "Ống nhựa PVC-U dùng cho hệ thống cấp nước",
              "TCVN 8491-2:2011"),
    _Industry("Bê tông", True, "bê tông thương phẩm, cọc bê tông ly tâm",
              "Sản xuất bê tông thương phẩm và cấu kiện bê tông", "hợp chuẩn",
              "Cọc bê tông ly tâm ứng lực trước", "TCVN 7888:2014"),
    _Industry("Chế biến gỗ", True, "ván ép, ván MDF, đồ gỗ nội thất",
              "Sản xuất ván nhân tạo và đồ gỗ nội thất", "hợp chuẩn", "Ván sợi MDF", "TCVN 7753:2007"),
    _Industry("Nước sạch", False, "dịch vụ cung cấp nước sạch sinh hoạt",
              "Sản xuất và cung cấp nước sạch", "hợp quy", "Nước sạch sinh hoạt", "QCVN 01-1:2018/BYT"),
    _Industry("Xăng dầu", False, "dịch vụ kinh doanh xăng dầu, dầu nhờn",
              "Kinh doanh xăng dầu và dầu nhờn", "hợp quy", "Xăng E5 RON 92", "QCVN 1:2015/BKHCN"),
    _Industry("Xây dựng", False, "thi công công trình dân dụng, cung cấp bê tông thương phẩm",
              "Thi công xây dựng công trình dân dụng và công nghiệp", "hợp chuẩn", "Bê tông thương phẩm",
              "TCVN 9340:2012"),
    _Industry("Thương mại", False, "phân phối thiết bị điện gia dụng, vật tư điện",
              "Kinh doanh, phân phối thiết bị điện gia dụng", "hợp quy", "Quạt điện, nồi cơm điện",
              "QCVN 4:2009/BKHCN"),
)

_COMPANY_TYPES = ("Công ty Cổ phần", "Công ty TNHH", "Công ty TNHH MTV")
_BRANDS = (
    "Bắc Giang", "Hà Bắc", "Việt Yên", "Lục Ngạn", "Yên Dũng", "Hiệp Hòa", "Lạng Giang", "Tân Yên",
    "Lục Nam", "Yên Thế", "Sơn Động", "Kinh Bắc", "Hoàng Long", "Minh Phát", "An Phú", "Trường Thịnh",
    "Đức Giang", "Phú Lâm", "Thành Đạt", "Hưng Thịnh", "Xương Giang", "Cầu Gồ",
)
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Ngô", "Dương", "Đặng", "Bùi",
           "Thân", "Giáp", "Nguyễn", "Trần")
_MIDDLE_M = ("Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Ngọc", "Xuân")
_MIDDLE_F = ("Thị", "Thu", "Minh", "Ngọc", "Thanh")
_GIVEN_M = ("Hùng", "Dũng", "Tuấn", "Thắng", "Hải", "Long", "Nam", "Sơn", "Bình", "Cường", "Quân")
_GIVEN_F = ("Hương", "Lan", "Hà", "Thủy", "Hạnh", "Nga", "Phương", "Huyền")
_STREETS = ("Hùng Vương", "Lê Lợi", "Xương Giang", "Nguyễn Văn Cừ", "Trần Nguyên Hãn", "Ngô Gia Tự",
            "Nguyễn Thị Minh Khai", "Lý Thái Tổ")
_WARDS = ("Trần Phú", "Ngô Quyền", "Hoàng Văn Thụ", "Lê Lợi", "Mỹ Độ", "Xương Giang", "Thọ Xương")
_PARKS = (("Đình Trám", "Việt Yên"), ("Quang Châu", "Việt Yên"), ("Vân Trung", "Việt Yên"),
          ("Song Khê - Nội Hoàng", "Yên Dũng"), ("Hòa Phú", "Hiệp Hòa"))
_COMMUNES = (("Hồng Giang", "Lục Ngạn"), ("Tân Mỹ", "Yên Dũng"), ("Dĩnh Trì", "Lạng Giang"),
             ("Cao Xá", "Tân Yên"), ("Đông Lỗ", "Hiệp Hòa"), ("Cẩm Lý", "Lục Nam"))
_HAMLETS = ("Đồng Quan", "Hạ", "Trung", "Thượng", "Chùa", "Đông")


def _person(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE_M)} {rng.choice(_GIVEN_M)}"
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE_F)} {rng.choice(_GIVEN_F)}"


def _fold(text: str) -> str:
    """ASCII fold: drop diacritics, map đ/Đ to d/D."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_YEARLIKE = re.compile(r"201[5-9]")


def _count(rng: random.Random, lo: int, hi: int) -> int:
    """A head count that can never be read as a year (1900-2100)."""
    while True:
        n = rng.randint(lo, hi)
        if not 1900 <= n <= 2100:
            return n


def make_enterprise(rng: random.Random) -> Enterprise:
    """A plausible enterprise in Bắc Giang (name, contacts, category, head count, founding date)."""
    category = rng.choices(CATEGORIES, weights=(3, 4, 1, 2))[0]
    production = category.startswith("Sản xuất")
    large = category.endswith("lớn")
    industry = rng.choice([i for i in _INDUSTRIES if i.production == production])
    ctype = rng.choices(_COMPANY_TYPES, weights=(5, 4, 1))[0]
    brand = rng.choice(_BRANDS)
    name = f"{ctype} {industry.word} {brand}"

    kind = rng.random()
    if kind < 0.45:
        park, district = rng.choice(_PARKS)
        address = (f"Lô {rng.choice('ABCDE')}-{rng.randint(1, 12)}, Khu công nghiệp {park}, "
                   f"huyện {district}, tỉnh {PROVINCE}")
    elif kind < 0.75:
        address = (f"Số {rng.randint(2, 298)}, đường {rng.choice(_STREETS)}, phường {rng.choice(_WARDS)}, "
                   f"thành phố {PROVINCE}, tỉnh {PROVINCE}")
    else:
        commune, district = rng.choice(_COMMUNES)
        address = (f"Thôn {rng.choice(_HAMLETS)}, xã {commune}, huyện {district}, tỉnh {PROVINCE}")

    if rng.random() < 0.7:
        phone = f"0204 3{rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"
    else:
        prefix = rng.randint(0, 99)
        prefix = 91 if prefix == 92 else prefix  # 0992 is no Vietnamese mobile range (phonenumbers says so)
        phone = f"09{prefix:02d} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"

    slug = re.sub(r"[^a-z]", "", _fold(f"{industry.word} {brand}").lower())
    if rng.random() < 0.6:
        email = f"{rng.choice(('info', 'contact', 'vanphong', 'kinhdoanh'))}@{slug}.com.vn"
    else:
        email = f"{slug}{rng.randint(1, 99)}@gmail.com"

    while True:  # Bắc Giang tax codes start with 24; never contain a 2015-2019 look-alike; a valid check digit
        tax_code = "24" + "".join(str(rng.randint(0, 9)) for _ in range(8))
        tax_code = tax_code[:9] + _mst_check_digit(tax_code[:9])
        if not _YEARLIKE.search(tax_code) and len(tax_code) == 10:
            break

    employees = _count(rng, 320, 4800) if large else _count(rng, 25, 290)
    start = dt.date(1993, 1, 1).toordinal()
    founded = dt.date.fromordinal(rng.randint(start, dt.date(2016, 12, 31).toordinal()))
    return Enterprise(
        name=_nfc(name), address=_nfc(address), phone=phone, email=email, tax_code=tax_code,
        representative=_nfc(_person(rng)), category=category, employees=employees, founded=founded,
    )


def _mst_check_digit(first9: str) -> str:
    """The check digit of a Vietnamese tax code (mã số thuế), as python-stdnum's `stdnum.vn.mst` computes it
    ("10" when none exists: such a prefix is never issued)."""
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    return str(10 - sum(w * int(d) for w, d in zip(weights, first9)) % 11)


def tax_code_like(rng: random.Random, digits: str = "0123456789", prefix: str = "24") -> str:
    """A valid tax code drawn from `digits` (e.g. "0158" for one full of look-alikes: 0/O, 1/l, 5/S, 8/B)."""
    for _ in range(1000):
        body = prefix + "".join(rng.choice(digits) for _ in range(9 - len(prefix)))
        code = body + _mst_check_digit(body)
        if len(code) == 10 and not _YEARLIKE.search(code):
            return code
    raise RuntimeError("no valid tax code from these digits")


CONFUSABLE_LOCALS = ("hoso1", "hoso01", "tdc1", "ketoan1", "lienhe01", "vp10", "info1", "kd2020", "sales5",
                     "hanhchinh8", "admin0", "office1", "qlcl1", "doanhnghiep1", "cskh01", "hoso.dk1")
"""E-mail local parts OCR commonly misreads (a trailing 1 read as l, 0 as o, 5 as s, 8 as B)."""


def confusable_contacts(ent: Enterprise, rng: random.Random) -> Enterprise:
    """The same enterprise with contacts full of characters OCR confuses: an e-mail like "hoso1@…", a tax code
    and a phone number rich in 0, 1, 5 and 8 (all still valid)."""
    slug = ent.email.rpartition("@")[2]
    local = rng.choice(CONFUSABLE_LOCALS)
    domain = slug if rng.random() < 0.5 else "gmail.com"
    tax = tax_code_like(rng, "01588", "01" if rng.random() < 0.3 else "24")
    if rng.random() < 0.3:
        tax += "-0" + rng.choice("01") + rng.choice("158")
    phone = rng.choice((f"0204 3{rng.choice('158')}{rng.choice('0158')}{rng.choice('0158')} "
                        f"{rng.choice('0158')}{rng.choice('0158')}{rng.choice('0158')}",
                        f"091{rng.choice('158')} {rng.choice('158')}0{rng.choice('158')} 1{rng.choice('0158')}0"))
    return Enterprise(**{**ent.__dict__, "email": f"{local}@{domain}", "tax_code": tax, "phone": phone})


def _industry_of(ent: Enterprise) -> _Industry:
    padded = f" {ent.name} "
    hits = [i for i in _INDUSTRIES if f" {i.word} " in padded]
    if hits:
        return max(hits, key=lambda i: len(i.word))
    production = ent.category.startswith("Sản xuất")
    return next(i for i in _INDUSTRIES if i.word == ("Cơ khí" if production else "Thương mại"))


def _short_name(ent: Enterprise) -> str:
    for prefix in sorted(_COMPANY_TYPES + ("Tổng Công ty", "Công ty"), key=len, reverse=True):
        if ent.name.startswith(prefix + " "):
            return ent.name[len(prefix) + 1:]
    return ent.name


def _abbr(ent: Enterprise) -> str:
    words = re.findall(r"\w+", _fold(_short_name(ent)))
    return "".join(w[0].upper() for w in words if w[0].isalpha()) or "DN"


def _sign_title(ent: Enterprise) -> str:
    return "TỔNG GIÁM ĐỐC" if ent.category.endswith("lớn") else "GIÁM ĐỐC"


# --------------------------------------------------------------------------------------------------
# Small content helpers
# --------------------------------------------------------------------------------------------------


def _date_2020(rng: random.Random, first: tuple[int, int] = (3, 20), last: tuple[int, int] = (6, 25)) -> dt.date:
    a = dt.date(CAMPAIGN_YEAR, *first).toordinal()
    b = dt.date(CAMPAIGN_YEAR, *last).toordinal()
    return dt.date.fromordinal(rng.randint(a, b))


def _vn_date(d: dt.date) -> str:
    """ "ngày 05 tháng 3 năm 2020" (Nghị định 30/2020: day < 10 and months 1, 2 take a leading 0)."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def _place_date(d: dt.date) -> str:
    return f"{PROVINCE}, {_vn_date(d)}"


def _dmy(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _money(amount: int) -> str:
    """12345000000 -> "12.345.000.000" (no run of 4 digits, so never a year look-alike)."""
    return f"{amount:,}".replace(",", ".")


def _signature(ent: Enterprise, rng: random.Random) -> list[str]:
    note = rng.choice(("(Ký tên, đóng dấu)", "(Ký, ghi rõ họ tên và đóng dấu)"))
    return [_sign_title(ent), note, ent.representative]


def _company_head(ent: Enterprise, rng: random.Random, doc_code: str | None, d: dt.date,
                  *, with_date: bool = True) -> list[str]:
    """Enterprise name (+ number) and national header, in one of two stacked orders."""
    org = [ent.name.upper()]
    if doc_code:
        org.append(f"Số: {rng.randint(3, 96):02d}/{doc_code}-{_abbr(ent)}")
    national = [NATIONAL_HEADER, MOTTO]
    lines = org + national if rng.random() < 0.75 else national + org
    if with_date:
        lines.append(_place_date(d))
    return lines


# --------------------------------------------------------------------------------------------------
# Components
# --------------------------------------------------------------------------------------------------


def _registration_form(ent: Enterprise, rng: random.Random, **_: object) -> list[Page]:
    d = _date_2020(rng)
    lines: list[str] = []
    if rng.random() < 0.4:
        lines.append(ent.name.upper())
    lines += [NATIONAL_HEADER, MOTTO]
    lines += list(rng.choice(_TITLE_LINES["registration_form"]))
    lines.append(rng.choice((
        "Kính gửi: Hội đồng Giải thưởng Chất lượng Quốc gia",
        f"Kính gửi: Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia tỉnh {PROVINCE}",
    )))
    lines += [
        f"Tên doanh nghiệp: {ent.name}",
        f"Địa chỉ: {ent.address}",
        f"Điện thoại: {ent.phone}",
        f"Email: {ent.email}",
        f"Mã số thuế: {ent.tax_code}",
        f"Người đại diện theo pháp luật: {ent.representative}",
        f"Loại hình: {ent.category}",
        f"Tổng số lao động: {ent.employees} người",
        f"Ngày thành lập: {_dmy(ent.founded)}",
        f"Sau khi nghiên cứu các quy định, {ent.name} tự nguyện đăng ký tham dự Giải thưởng "
        f"Chất lượng Quốc gia năm {CAMPAIGN_YEAR}.",
        "Đề nghị Hội đồng xem xét, đánh giá hồ sơ của doanh nghiệp theo quy định.",
        "Chúng tôi cam kết các thông tin trong hồ sơ là đúng sự thật và chấp hành nghiêm các quy định của Giải thưởng.",
        _place_date(d),
    ]
    lines += _signature(ent, rng)
    return [lines]


def _company_profile(ent: Enterprise, rng: random.Random, **_: object) -> list[Page]:
    ind = _industry_of(ent)
    d = _date_2020(rng)
    lines = _company_head(ent, rng, "BC", d)
    lines += list(rng.choice(_TITLE_LINES["company_profile"]))
    capital = rng.randint(5, 300) * 1_000_000_000 if ent.category.endswith("lớn") else rng.randint(2, 40) * 500_000_000
    depts = rng.randint(4, 9)
    units = rng.randint(2, 6)
    markets = rng.choice((
        "trong nước và xuất khẩu sang Nhật Bản, Hàn Quốc, Hoa Kỳ",
        "các tỉnh miền Bắc, tập trung tại Hà Nội, Bắc Ninh và Bắc Giang",
        "trong tỉnh và các tỉnh lân cận",
        "thị trường nội địa và EU",
    ))
    lines += [
        "1. Thông tin chung",
        f"Tên doanh nghiệp: {ent.name}",
        f"Địa chỉ trụ sở: {ent.address}",
        f"Điện thoại: {ent.phone}; Email: {ent.email}",
        f"Vốn điều lệ: {_money(capital)} đồng",
        rng.choice(("2. Lịch sử hình thành và phát triển", "2. Quá trình hình thành và phát triển")),
        f"Công ty được thành lập ngày {_dmy(ent.founded)}, đăng ký doanh nghiệp với mã số {ent.tax_code}; "
        "từ một cơ sở nhỏ, công ty đã không ngừng đầu tư mở rộng sản xuất.",
        "3. Cơ cấu tổ chức",
        f"Cơ cấu tổ chức gồm Hội đồng quản trị, Ban Giám đốc, {depts} phòng chức năng và {units} "
        f"{'phân xưởng' if ind.production else 'chi nhánh'}; tổng số {ent.employees} lao động.",
        "4. Sản phẩm chính và thị trường",
        f"Sản phẩm chính: {ind.products}.",
        f"Thị trường tiêu thụ: {markets}.",
        rng.choice((
            "Công ty luôn coi chất lượng sản phẩm là yếu tố hàng đầu cho sự phát triển bền vững.",
            "Mục tiêu của công ty là trở thành doanh nghiệp hàng đầu của tỉnh trong lĩnh vực hoạt động.",
        )),
    ]
    lines += _signature(ent, rng)
    return [lines]


def _criterion_heading(number: int, rng: random.Random) -> str:
    points, names = _CRITERIA[number]
    name = names[0]
    if len(names) > 1 and rng.random() < 0.25:
        name = rng.choice(names[1:])
    return f"Tiêu chí {number}: {name} ({points} điểm)"


def _self_assessment(ent: Enterprise, rng: random.Random, *, criteria: Iterable[int] = (1, 2, 3, 4, 5, 6, 7),
                     **_: object) -> list[Page]:
    chosen = sorted(set(int(c) for c in criteria))
    unknown = [c for c in chosen if c not in _CRITERIA]
    if unknown:
        raise ValueError(f"unknown criteria {unknown}; valid: 1..7")
    d = _date_2020(rng)
    head = _company_head(ent, rng, "BC", d)
    head += list(rng.choice(_TITLE_LINES["self_assessment"]))
    head += [
        "Căn cứ Nghị định số 132/2008/NĐ-CP và Nghị định số 74/2018/NĐ-CP của Chính phủ về giải thưởng "
        "chất lượng sản phẩm, hàng hóa,",
        f"{ent.name} đã tự đánh giá theo các tiêu chí của Giải thưởng Chất lượng Quốc gia như sau:",
    ]
    blocks: list[list[str]] = []
    total = 0
    for number in chosen:
        points = _CRITERIA[number][0]
        score = round(points * rng.uniform(0.55, 0.82))
        total += score
        body = rng.choice(_CRITERION_BODY[number]).format(
            growth=rng.randint(6, 18), defect=f"{rng.randint(3, 15) / 10:.1f}".replace(".", ","))
        block = [_criterion_heading(number, rng), body]
        if rng.random() < 0.6:
            block.append(f"Điểm tự đánh giá: {score}/{points} điểm.")
        blocks.append(block)
    first = (len(blocks) + 1) // 2
    page1 = head + [line for b in blocks[:first] for line in b]
    page2 = [line for b in blocks[first:] for line in b]
    page2 += [
        f"Tổng điểm tự đánh giá: {total} điểm.",
        "Công ty cam kết các nội dung trong báo cáo là trung thực và chịu trách nhiệm về thông tin đã cung cấp.",
    ]
    page2 += _signature(ent, rng)
    return [page1, page2]


_QS_ISSUERS = (
    "TRUNG TÂM CHỨNG NHẬN PHÙ HỢP (QUACERT)",
    "TRUNG TÂM KỸ THUẬT TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG 1",
    "VIỆN NĂNG SUẤT VIỆT NAM",
)
_PC_ISSUERS = (
    ("TRUNG TÂM CHỨNG NHẬN PHÙ HỢP (QUACERT)", "QUACERT"),
    ("TRUNG TÂM KỸ THUẬT TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG 1", "QUATEST1"),
    ("TRUNG TÂM KỸ THUẬT TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG BẮC GIANG", "TĐC"),
)


def _certified_copy(rng: random.Random) -> list[str]:
    """The "sao y bản chính" stamp block of a certified copy (chứng thực)."""
    d = _date_2020(rng)
    return [
        "SAO Y BẢN CHÍNH",
        f"Số chứng thực: {rng.randint(12, 890)}, quyển số {rng.randint(1, 9):02d}/{CAMPAIGN_YEAR}-SCT/BS",
        _place_date(d),
        rng.choice(("PHÓ CHỦ TỊCH", "CHỦ TỊCH")),
        _person(rng),
    ]


def _quality_system(ent: Enterprise, rng: random.Random, **_: object) -> list[Page]:
    ind = _industry_of(ent)
    # issued mid-2017..2019, so still valid (3 years) when the dossier is submitted in 2020
    issued = dt.date.fromordinal(rng.randint(dt.date(2017, 7, 1).toordinal(), dt.date(2019, 12, 31).toordinal()))
    expires = dt.date(issued.year + 3, issued.month, min(issued.day, 28)) - dt.timedelta(days=1)
    lines = [NATIONAL_HEADER, MOTTO, rng.choice(_QS_ISSUERS), TITLES["quality_system"][0],
             f"Số: HT {rng.randint(1000, 9999)}.{issued.year % 100:02d}",
             "Chứng nhận hệ thống quản lý chất lượng của",
             ent.name.upper(),
             f"Địa chỉ: {ent.address}",
             "đã được đánh giá và phù hợp với các yêu cầu của tiêu chuẩn",
             rng.choice(("TCVN ISO 9001:2015 / ISO 9001:2015", "ISO 9001:2015")),
             f"Phạm vi chứng nhận: {ind.scope}",
             f"Ngày cấp: {_dmy(issued)} - Có hiệu lực đến: {_dmy(expires)}",
             "Giấy chứng nhận có giá trị với điều kiện tổ chức duy trì hệ thống và chịu sự đánh giá giám sát "
             "định kỳ của tổ chức chứng nhận.",
             "GIÁM ĐỐC",
             _person(rng)]
    return [lines + _certified_copy(rng)]


def _product_conformity(ent: Enterprise, rng: random.Random, **_: object) -> list[Page]:
    ind = _industry_of(ent)
    issuer, code = rng.choice(_PC_ISSUERS)
    year = rng.randint(2017, 2019)
    quy = ind.conformity == "hợp quy"
    title = TITLES["product_conformity"][0 if quy else 1]
    kind_code = "QC" if quy else "HC"
    lines = [NATIONAL_HEADER, MOTTO, issuer, title,
             f"Số: {rng.randint(100, 999)}/{year}/{kind_code}-{code}",
             f"Chứng nhận sản phẩm: {ind.product}",
             f"Sản xuất tại: {ent.name}",
             f"Địa chỉ: {ent.address}",
             (f"Phù hợp quy chuẩn kỹ thuật: {ind.standard}" if quy
              else f"Phù hợp tiêu chuẩn: {ind.standard}"),
             rng.choice(("Phương thức chứng nhận: Phương thức 5 theo Thông tư số 28/2012/TT-BKHCN",
                         "Phương thức chứng nhận: Phương thức 7 theo Thông tư số 28/2012/TT-BKHCN")),
             (f"Tổ chức được quyền sử dụng dấu hợp quy (CR) trên sản phẩm, hàng hóa phù hợp {ind.standard}."
              if quy else "Tổ chức được quyền sử dụng dấu hợp chuẩn trên sản phẩm được chứng nhận."),
             "Giấy chứng nhận có hiệu lực 03 năm kể từ ngày ký và chịu sự giám sát hằng năm.",
             "GIÁM ĐỐC",
             _person(rng)]
    return [lines + _certified_copy(rng)]


def _environment(ent: Enterprise, rng: random.Random, *, env_years: Iterable[int] = (2017, 2018, 2019),
                 **_: object) -> list[Page]:
    years = sorted(set(int(y) for y in env_years))
    d = _date_2020(rng)
    plan = rng.random() < 0.35
    lines = _company_head(ent, rng, None if plan else "BC", d)
    lines.append(TITLES["environment"][1 if plan else 0])
    district = rng.choice(("Việt Yên", "Yên Dũng", "Lạng Giang", "Hiệp Hòa", "Lục Ngạn", "Tân Yên"))
    if plan:
        lines += [
            f"Cơ sở: {ent.name}",
            f"Kế hoạch bảo vệ môi trường của cơ sở đã được Ủy ban nhân dân huyện {district} xác nhận "
            f"tại Giấy xác nhận số {rng.randint(12, 480)}/GXN-UBND.",
            "Chương trình giám sát môi trường định kỳ: nước thải, khí thải, tiếng ồn; tần suất 02 lần/năm.",
            "Tổng hợp kết quả quan trắc định kỳ:",
        ]
    else:
        lines += [
            f"Kính gửi: Sở Tài nguyên và Môi trường tỉnh {PROVINCE}",
            f"Cơ sở: {ent.name}",
            f"Hồ sơ môi trường: Kế hoạch bảo vệ môi trường đã được Ủy ban nhân dân huyện {district} xác nhận.",
            f"Đơn vị thực hiện quan trắc: Trung tâm Quan trắc Tài nguyên và Môi trường tỉnh {PROVINCE}.",
            "Tần suất quan trắc: 02 lần/năm đối với nước thải, khí thải và tiếng ồn.",
        ]
    for y in years:
        suffix = rng.choice(("", " và QCVN 19:2009/BTNMT", "; tiếng ồn đạt QCVN 26:2010/BTNMT"))
        lines.append(f"Kết quả quan trắc môi trường năm {y}: các chỉ tiêu nước thải, khí thải đạt "
                     f"QCVN 40:2011/BTNMT{suffix}.")
    lines += [
        "Chất thải rắn, chất thải nguy hại được thu gom và chuyển giao cho đơn vị có chức năng xử lý.",
        "Công ty cam kết thực hiện đầy đủ các biện pháp bảo vệ môi trường theo quy định của pháp luật.",
    ]
    lines += _signature(ent, rng)
    return [lines]


_TAX_INS_SEPARATORS = (
    "Đến thời điểm xác nhận, doanh nghiệp không có khoản nợ đọng, tiền phạt chậm nộp.",
    "Sổ sách kế toán, hóa đơn, chứng từ được lưu giữ đầy đủ theo quy định.",
    "Doanh nghiệp chấp hành đúng quy định về hợp đồng lao động và tiền lương.",
    "Doanh nghiệp không bị xử phạt vi phạm hành chính trong thời gian qua.",
)


def _tax_insurance(ent: Enterprise, rng: random.Random, *, tax_years: Iterable[int] = (2017, 2018, 2019),
                   insurance_years: Iterable[int] = (2017, 2018, 2019), **_: object) -> list[Page]:
    tyears = sorted(set(int(y) for y in tax_years))
    iyears = sorted(set(int(y) for y in insurance_years))
    d = _date_2020(rng)
    large = ent.category.endswith("lớn")
    lines = _company_head(ent, rng, "CV", d)
    lines += list(_TITLE_LINES["tax_insurance"][0])
    lines += [
        f"Kính gửi: Hội đồng sơ tuyển Giải thưởng Chất lượng Quốc gia tỉnh {PROVINCE}",
        f"Mã số thuế: {ent.tax_code}",
        f"I. Cục Thuế tỉnh {PROVINCE} xác nhận tình hình thực hiện nghĩa vụ thuế:",
    ]
    for y in tyears:
        amount = rng.randint(2_000, 60_000) * 1_000_000 if large else rng.randint(150, 5_000) * 1_000_000
        lines.append(f"Năm {y}: đã hoàn thành nghĩa vụ thuế, nộp ngân sách {_money(amount)} đồng")
    lines += rng.sample(_TAX_INS_SEPARATORS, 3)
    lines.append(f"II. Bảo hiểm xã hội tỉnh {PROVINCE} xác nhận tình hình tham gia bảo hiểm xã hội:")
    for y in iyears:
        workers = _count(rng, max(5, int(ent.employees * 0.8)), max(6, ent.employees))
        lines.append(f"Năm {y}: đã đóng đầy đủ bảo hiểm xã hội cho {workers} người lao động")
    lines.append("Đơn vị không nợ tiền đóng BHXH, BHYT, BHTN tại thời điểm xác nhận.")
    lines += _signature(ent, rng)
    return [lines]


def _other_evidence(ent: Enterprise, rng: random.Random, **_: object) -> list[Page]:
    d = _date_2020(rng, (1, 10), (3, 15))
    if rng.random() < 0.5:
        lines = [NATIONAL_HEADER, MOTTO, f"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH {PROVINCE.upper()}", "TẶNG",
                 TITLES["other_evidence"][1], ent.name.upper(),
                 f"Đã có thành tích xuất sắc trong sản xuất kinh doanh năm {CAMPAIGN_YEAR - 1};",
                 "doanh thu và lợi nhuận tăng trưởng ổn định, góp phần vào sự phát triển kinh tế - xã hội của tỉnh.",
                 f"Quyết định khen thưởng số {rng.randint(12, 980)}/QĐ-UBND",
                 _place_date(d),
                 "CHỦ TỊCH",
                 _person(rng)]
        return [lines]
    lines = _company_head(ent, rng, None, d, with_date=False)
    lines += [TITLES["other_evidence"][0], "VỀ KẾT QUẢ SẢN XUẤT, KINH DOANH"]
    lines += [
        f"1. Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh {PROVINCE} về thành tích trong sản xuất kinh doanh.",
        f"2. Giấy khen của Liên đoàn Lao động tỉnh {PROVINCE}.",
        "3. Báo cáo tài chính đã được kiểm toán của ba năm gần nhất.",
        "Tổng hợp một số chỉ tiêu sản xuất, kinh doanh:",
    ]
    large = ent.category.endswith("lớn")
    revenue = rng.randint(300, 3000) if large else rng.randint(20, 280)
    for y in range(CAMPAIGN_YEAR - 3, CAMPAIGN_YEAR):
        profit = max(1, round(revenue * rng.uniform(0.03, 0.09)))
        lines.append(f"Năm {y}: doanh thu {revenue} tỷ đồng, lợi nhuận {profit} tỷ đồng.")
        revenue = round(revenue * rng.uniform(1.04, 1.2))
    lines.append(_place_date(_date_2020(rng)))
    lines += _signature(ent, rng)
    return [lines]


_BUILDERS = {
    "registration_form": _registration_form,
    "company_profile": _company_profile,
    "self_assessment": _self_assessment,
    "quality_system": _quality_system,
    "product_conformity": _product_conformity,
    "environment": _environment,
    "tax_insurance": _tax_insurance,
    "other_evidence": _other_evidence,
}


def component_pages(
    component_id: str,
    ent: Enterprise,
    rng: random.Random,
    *,
    criteria: Iterable[int] = (1, 2, 3, 4, 5, 6, 7),
    env_years: Iterable[int] = (2017, 2018, 2019),
    tax_years: Iterable[int] = (2017, 2018, 2019),
    insurance_years: Iterable[int] = (2017, 2018, 2019),
) -> list[Page]:
    """The text of one component, as pages of lines (NFC).

    ``criteria`` only affects ``self_assessment``, ``env_years`` only ``environment``, ``tax_years`` and
    ``insurance_years`` only ``tax_insurance``; each lists what the document covers (use it to build
    deficient dossiers).  ``self_assessment`` has 2 pages, every other component 1.
    """
    try:
        builder = _BUILDERS[component_id]
    except KeyError:
        raise ValueError(f"unknown component {component_id!r}; expected one of {COMPONENT_IDS}") from None
    pages = builder(ent, rng, criteria=criteria, env_years=env_years, tax_years=tax_years,
                    insurance_years=insurance_years)
    return [[_nfc(line) for line in page] for page in pages]


_COVER_LIST = (
    "Đơn đăng ký tham dự Giải thưởng Chất lượng Quốc gia năm 2020;",
    "Báo cáo giới thiệu chung về tổ chức, doanh nghiệp;",
    "Báo cáo tự đánh giá theo 07 tiêu chí của Giải thưởng Chất lượng Quốc gia;",
    "Giấy chứng nhận hệ thống quản lý chất lượng ISO 9001:2015 (bản sao y bản chính);",
    "Giấy chứng nhận hợp quy, Giấy chứng nhận hợp chuẩn của sản phẩm chính (bản sao y bản chính);",
    "Báo cáo kết quả quan trắc môi trường và Kế hoạch bảo vệ môi trường;",
    "Xác nhận kết quả thực hiện nghĩa vụ thuế và chế độ bảo hiểm xã hội;",
    "Các tài liệu chứng minh khác (Bằng khen, báo cáo tài chính).",
)


def cover_letter_pages(ent: Enterprise, rng: random.Random) -> list[Page]:
    """A one-page công văn gửi kèm listing every component by its full title (not a component)."""
    d = _date_2020(rng)
    lines = [ent.name.upper(), f"Số: 25/CV-{_abbr(ent)}", NATIONAL_HEADER, MOTTO, _place_date(d),
             f"V/v: Đăng ký tham dự Giải thưởng Chất lượng Quốc gia năm {CAMPAIGN_YEAR}",
             f"Kính gửi: Sở Khoa học và Công nghệ tỉnh {PROVINCE}",
             # Deliberately no "tham dự Giải thưởng ..." here: that phrase fuzzy-matches the registration
             # form's title; the only traps meant in a cover letter are the V/v line and the list items.
             rng.choice((
                 f"Thực hiện Kế hoạch của Sở Khoa học và Công nghệ tỉnh {PROVINCE}, {ent.name} xin gửi kèm "
                 "theo công văn này hồ sơ của Công ty, gồm:",
                 f"{ent.name} trân trọng gửi tới Quý Sở bộ hồ sơ của đơn vị, gồm có:",
             ))]
    lines += [f"{i}. {item}" for i, item in enumerate(_COVER_LIST, 1)]
    lines += [
        "Rất mong nhận được sự quan tâm, hướng dẫn của Quý Sở.",
        "Trân trọng cảm ơn!",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT.",
    ]
    lines += _signature(ent, rng)
    return [[_nfc(line) for line in lines]]


def nfd_name(name: str) -> str:
    """The NFD form of a (file) name, as macOS and some scanners write it."""
    return unicodedata.normalize("NFD", name)


def move_with_one_change(old: Path, new: Path) -> Path:
    """An enterprise copies its dossier folder `old` to `new`, removes the old one and changes one file (its first
    by name): most file names the same, not the same files. Returns the changed file."""
    shutil.copytree(old, new)
    shutil.rmtree(old)
    victim = sorted(new.iterdir())[0]
    victim.write_bytes(victim.read_bytes() + b"\n")
    return victim


# --------------------------------------------------------------------------------------------------
# Layout (shared by the PDF and image renderers)
# --------------------------------------------------------------------------------------------------

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/truetype"),
)
_FONT_FILES = {
    "regular": ("DejaVuSerifCondensed.ttf", "DejaVuSerif.ttf"),
    "bold": ("DejaVuSerifCondensed-Bold.ttf", "DejaVuSerif-Bold.ttf"),
    "italic": ("DejaVuSerifCondensed-Italic.ttf", "DejaVuSerif-Italic.ttf"),
    "bolditalic": ("DejaVuSerifCondensed-BoldItalic.ttf", "DejaVuSerif-BoldItalic.ttf"),
}
_FPDF_STYLE = {"regular": "", "bold": "B", "italic": "I", "bolditalic": "BI"}
_PDF_FAMILY = "DejaVuSerif"


@functools.lru_cache(maxsize=None)
def _font_path(face: str) -> str:
    for name in _FONT_FILES[face]:
        for folder in _FONT_DIRS:
            p = folder / name
            if p.is_file():
                return str(p)
    raise FileNotFoundError(f"no DejaVu Serif font for {face!r} in {[str(d) for d in _FONT_DIRS]}")


@functools.lru_cache(maxsize=256)
def _pil_font(face: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(_font_path(face), px, layout_engine=ImageFont.Layout.BASIC)


def _text_width(text: str, face: str, size_pt: float) -> float:
    return _pil_font(face, 1000).getlength(text) * size_pt / 1000.0


_PAGE_W, _PAGE_H = 595.28, 841.89  # A4 in points
_MARGIN_L, _MARGIN_R, _MARGIN_T, _MARGIN_B = 85.0, 57.0, 57.0, 57.0  # 30/20/20/20 mm
_BASE_SIZE = 13.0

_SIGN_RE = re.compile(
    r"^(TM\.|KT\.|Q\.|TL\.|TUQ\.)|^(PHÓ )?(TỔNG )?GIÁM ĐỐC$|^(PHÓ )?CHỦ TỊCH$|^(PHÓ )?(CHI )?CỤC TRƯỞNG$"
    r"|^THỦ TRƯỞNG ĐƠN VỊ$|^ĐẠI DIỆN DOANH NGHIỆP$|^NGƯỜI ĐẠI DIỆN")
_DATE_RE = re.compile(r"^([^\W\d_][^,\d]{1,30}, )?[Nn]gày \d{1,2} tháng \d{1,2} năm \d{4}")
_HEADING_RE = re.compile(r"^(Tiêu chí \d+:|[IVX]+\.\s|\d+\.\s)")
_LABEL_RE = re.compile(r"^([^:]{2,40}):\s+(.+)$")


def _is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and s == s.upper()


def _line_kinds(lines: Sequence[str]) -> list[tuple[str, str]]:
    """Classify each line into a visual role (header/title, body, signature block, stamp...)."""
    out: list[tuple[str, str]] = []
    sign = awaiting = False
    for i, raw in enumerate(lines):
        s = raw.strip()
        if not s:
            kind = "blank"
        elif s == "SAO Y BẢN CHÍNH":
            kind, awaiting = "stamp", False
        elif s in (NATIONAL_HEADER, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", MOTTO):
            kind = "center_bold"
        elif _DATE_RE.match(s):
            kind = "date"
        elif i >= 3 and _is_upper(s) and _SIGN_RE.match(s):
            kind, sign, awaiting = "sign_title", True, True
        elif sign:
            if _is_upper(s):
                kind, awaiting = "sign_title", True
            elif s.startswith("(") and s.endswith(")"):
                kind = "sign_note"
            elif awaiting:
                kind, awaiting = "sign_name", False
            else:
                kind = "sign_text"
        elif _is_upper(s):
            kind = "center_bold"
        elif s.startswith("(") and s.endswith(")"):
            kind = "center_italic"
        elif s.startswith("Tiêu chí ") and _HEADING_RE.match(s):
            kind = "heading"
        elif _HEADING_RE.match(s) and not s.endswith((".", ";", ":")) and len(s) <= 70:
            kind = "heading"
        elif i < 6 and s.startswith("Số: "):
            kind = "center"
        else:
            kind = "body"
        out.append((kind, s))
    return out


# kind -> (face, relative size, alignment, area)
_STYLES = {
    "center_bold": ("bold", 1.0, "center", "full"),
    "center_italic": ("italic", 1.0, "center", "full"),
    "center": ("regular", 1.0, "center", "full"),
    "date": ("italic", 1.0, "right", "full"),
    "heading": ("bold", 1.0, "left", "full"),
    "body": ("regular", 1.0, "left", "full"),
    "sign_title": ("bold", 1.0, "center", "sign"),
    "sign_note": ("italic", 0.95, "center", "sign"),
    "sign_name": ("bold", 1.0, "center", "sign"),
    "sign_text": ("regular", 0.95, "center", "sign"),
    "stamp": ("bold", 1.0, "center", "sign"),
}


@dataclass(frozen=True)
class _Op:
    x: float  # pt from the left
    y: float  # baseline, pt from the top
    text: str
    face: str
    size: float


@dataclass(frozen=True)
class _Deco:
    kind: str  # "box" (stamp frame) | "seal" (signature area: seal ring + scribble, images only)
    x0: float
    y0: float
    x1: float
    y1: float


def _wrap(text: str, face: str, size: float, width: float) -> list[str]:
    words = text.split(" ")
    out: list[str] = []
    cur = ""
    for w in words:
        cand = f"{cur} {w}" if cur else w
        if cur and _text_width(cand, face, size) > width:
            out.append(cur)
            cur = w
        else:
            cur = cand
    out.append(cur)
    return out


def _plan_at(kinds: list[tuple[str, str]], scale: float) -> tuple[list[_Op], list[_Deco], float]:
    left, right = _MARGIN_L, _PAGE_W - _MARGIN_R
    width = right - left
    sign_left = left + width * 0.45
    ops: list[_Op] = []
    decos: list[_Deco] = []
    y = _MARGIN_T
    prev = None
    prev_text = ""
    for kind, s in kinds:
        base = _BASE_SIZE * scale
        if kind == "blank":
            y += base * 0.9
            prev = kind
            continue
        face, rel, align, area = _STYLES[kind]
        size = base * rel
        # vertical gaps between blocks
        if kind == "center_bold" and (prev not in ("center_bold", None) or prev_text == MOTTO):
            y += 0.45 * size
        elif kind != "center_bold" and prev == "center_bold":
            y += 0.45 * size
        if kind == "sign_title" and prev not in ("sign_title", "sign_note", "sign_name", "sign_text"):
            y += 0.8 * size
        if kind in ("stamp",):
            y += 0.8 * size
        x0, w = (left, width) if area == "full" else (sign_left, right - sign_left)
        if kind == "sign_name":
            gap = 48.0 * scale
            decos.append(_Deco("seal", x0, y, x0 + w, y + gap))
            y += gap
        if align == "center" and _text_width(s, face, size) > w:
            size = max(size * 0.88, size * w / max(_text_width(s, face, size), 1.0))
        pieces = _wrap(s, face, size, w)
        for piece in pieces:
            tw = _text_width(piece, face, size)
            x = x0 if align == "left" else (x0 + (w - tw) / 2 if align == "center" else x0 + w - tw)
            baseline = y + size * 1.05
            ops.append(_Op(x, baseline, piece, face, size))
            if kind == "stamp":
                decos.append(_Deco("box", x - 6, baseline - size * 1.05, x + tw + 6, baseline + size * 0.4))
            y += size * 1.38
        if kind == "stamp":
            y += 0.3 * size
        prev, prev_text = kind, s
    return ops, decos, y


def _plan(lines: Sequence[str]) -> tuple[list[_Op], list[_Deco]]:
    """Positions every line on an A4 page (points); shrinks the text if the page would overflow."""
    kinds = _line_kinds(lines)
    ops: list[_Op] = []
    decos: list[_Deco] = []
    for scale in (1.0, 0.92, 0.85, 0.78, 0.7, 0.63, 0.56, 0.5):
        ops, decos, bottom = _plan_at(kinds, scale)
        if bottom <= _PAGE_H - _MARGIN_B:
            break
    return ops, decos


# --------------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------------

_FIXED_DATETIME = dt.datetime(CAMPAIGN_YEAR, 5, 4, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def write_digital_pdf(path: str | Path, pages: list[Page]) -> None:
    """A born-digital PDF with an embedded DejaVu Serif subset: pypdf extracts the Vietnamese text."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(_FIXED_DATETIME)
    pdf.set_lang("vi-VN")
    for face, style in _FPDF_STYLE.items():
        pdf.add_font(_PDF_FAMILY, style, _font_path(face))
    for page in pages:
        pdf.add_page()
        ops, decos = _plan([_nfc(line) for line in page])
        pdf.set_text_color(0)
        for op in ops:
            pdf.set_font(_PDF_FAMILY, _FPDF_STYLE[op.face], op.size)
            pdf.text(op.x, op.y, op.text)
        pdf.set_draw_color(60)
        pdf.set_line_width(1.2)
        for d in decos:
            if d.kind == "box":
                pdf.rect(d.x0, d.y0, d.x1 - d.x0, d.y1 - d.y0)
    pdf.output(str(path))


@functools.lru_cache(maxsize=8)
def _noise_lut(sigma: float) -> list[int]:
    nd = NormalDist(128.0, sigma)
    return [min(255, max(0, round(nd.inv_cdf((b + 0.5) / 256)))) for b in range(256)]


def _draw_seal(draw: ImageDraw.ImageDraw, d: _Deco, k: float, rng: random.Random,
               ring: bool = True, pen: ImageDraw.ImageDraw | None = None) -> tuple[float, float, float]:
    """A grey seal ring and a pen scribble in the signature gap (grey like a red seal in a grey scan).

    With ``ring=False`` only the scribble is drawn (a red seal goes there instead); the same random numbers
    are drawn either way; ``pen`` draws the scribble on another layer (blue ink).  Returns the seal's centre
    and radius in pixels."""
    cx = (d.x0 + d.x1) / 2 * k
    cy = (d.y0 + d.y1) / 2 * k
    r = 48.0 * k * rng.uniform(0.9, 1.05)
    sx = cx - r * rng.uniform(0.3, 0.7)
    shade = rng.randint(140, 175)
    lw = max(2, round(2.5 * k / 2.78))
    r2 = r * 0.72
    if ring:
        draw.ellipse((sx - r, cy - r, sx + r, cy + r), outline=shade, width=lw)
        draw.ellipse((sx - r2, cy - r2, sx + r2, cy + r2), outline=shade, width=max(1, lw - 1))
    pts = []
    x = cx - 20 * k
    for _ in range(9):
        pts.append((x, cy + rng.uniform(-12, 12) * k))
        x += rng.uniform(4, 9) * k
    shade_of_pen = rng.randint(40, 90)
    if pen is None:
        draw.line(pts, fill=shade_of_pen, width=lw, joint="curve")
    else:
        pen.line(pts, fill=255, width=lw + 1, joint="curve")
    return sx, cy, r


#: Red ink of seals, headings and logos: (R, G, B) ranges.
_RED_INK = ((185, 225), (20, 60), (30, 70))


def _draw_red_seal(red: Image.Image, cx: float, cy: float, r: float, k: float, text: str,
                   rng: random.Random) -> None:
    """A company seal (con dấu) on the red ink layer: thick outer ring, thin inner ring, the enterprise name
    around the band between them, a star in the middle, unevenly inked."""
    draw = ImageDraw.Draw(red)
    lw = max(2, round(0.9 * k * 2.83))  # ~0.9 mm
    strength = rng.randint(200, 255)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=strength, width=lw)
    r2 = r * 0.66
    draw.ellipse((cx - r2, cy - r2, cx + r2, cy + r2), outline=strength, width=max(1, lw // 2))
    # the name around the band, one glyph at a time, upright towards the centre
    band = (r - lw + r2) / 2
    size = max(6, round((r - lw - r2) * 0.62))
    font = _pil_font("bold", size)
    letters = list(text.upper())[:48]
    sweep = 300.0
    for i, ch in enumerate(letters):
        if ch == " ":
            continue
        angle = -90 - sweep / 2 + sweep * (i + 0.5) / max(len(letters), 1)
        glyph = Image.new("L", (size * 2, size * 2), 0)
        ImageDraw.Draw(glyph).text((size, size), ch, font=font, fill=strength, anchor="mm")
        glyph = glyph.rotate(-angle - 90, resample=Image.Resampling.BICUBIC)
        gx = cx + band * math.cos(math.radians(angle))
        gy = cy + band * math.sin(math.radians(angle))
        red.paste(glyph, (round(gx - size), round(gy - size)), glyph)
    # a five-pointed star in the centre
    rs = r2 * 0.45
    pts = []
    for j in range(10):
        rad = rs if j % 2 == 0 else rs * 0.4
        a = math.radians(-90 + 36 * j)
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    draw.polygon(pts, fill=strength)
    # uneven inking: a few pale blotches
    for _ in range(rng.randint(2, 6)):
        bx, by = cx + rng.uniform(-r, r), cy + rng.uniform(-r, r)
        br = r * rng.uniform(0.08, 0.2)
        ImageDraw.Draw(red).ellipse((bx - br, by - br, bx + br, by + br), fill=0)


def _draw_red_logo(red: Image.Image, shape: str, k: float, rng: random.Random) -> None:
    """A filled red logo in the top-left margin, as large as a seal (false-positive bait)."""
    draw = ImageDraw.Draw(red)
    side = rng.uniform(62, 80) * k  # 22-28 mm
    x0, y0 = rng.uniform(8, 14) * k, rng.uniform(20, 40) * k
    if shape == "square":
        draw.rectangle((x0, y0, x0 + side, y0 + side), fill=255)
    elif shape == "triangle":
        draw.polygon([(x0 + side / 2, y0), (x0 + side, y0 + side * 0.87), (x0, y0 + side * 0.87)], fill=255)
    elif shape == "disc":
        draw.ellipse((x0, y0, x0 + side, y0 + side), fill=255)
    else:
        raise ValueError(f"unknown logo {shape!r} (square, triangle or disc)")


def _is_heading_op(op: _Op) -> bool:
    """A title line of the page body (bold, upper case, not the national header or a signature title)."""
    return (op.face == "bold" and _is_upper(op.text) and op.text not in (NATIONAL_HEADER, MOTTO)
            and op.y < _PAGE_H * 0.45 and not _SIGN_RE.match(op.text))


def render_page_image(lines: Page, rng: random.Random, *, dpi: int = 200, max_rotation: float = 0.8,
                      blur: float = 0.5, seal: bool = False, red_heading: bool = False, logo: str | None = None,
                      colour: bool = False) -> Image.Image:
    """One page as an A4 grayscale ("L") scan: off-white paper, slight skew, blur and noise.

    ``blur`` is the Gaussian radius in pixels at 200 dpi (scaled with ``dpi``); rotation is uniform in
    ``[-max_rotation, max_rotation]`` degrees.

    Colour scans ("RGB"): ``seal`` stamps a red company seal (ring, name, star) over each signature instead
    of the grey ring; ``red_heading`` prints the page's title lines in red; ``logo`` ("square", "triangle",
    "disc") adds a filled red logo of a seal's size in the top-left margin; ``colour`` alone gives a colour
    scan with none of these.  Without them the page (and the random numbers drawn) is exactly as before.
    """
    k = dpi / 72.0
    w_px, h_px = round(_PAGE_W * k), round(_PAGE_H * k)
    paper = rng.randint(236, 250)
    ink = rng.randint(12, 45)
    img = Image.new("L", (w_px, h_px), paper)
    draw = ImageDraw.Draw(img)
    in_colour = colour or seal or red_heading or logo is not None
    red = Image.new("L", (w_px, h_px), 0) if in_colour else None
    blue = Image.new("L", (w_px, h_px), 0) if in_colour else None  # the signature's ballpoint ink
    dx, dy = rng.uniform(-6, 6), rng.uniform(-6, 6)  # feeder misalignment, pt
    ops, decos = _plan([_nfc(line) for line in lines])
    seals = []
    for d in decos:
        if d.kind == "seal":
            seals.append(_draw_seal(draw, _Deco(d.kind, d.x0 + dx, d.y0 + dy, d.x1 + dx, d.y1 + dy), k, rng,
                                    ring=not seal, pen=ImageDraw.Draw(blue) if blue is not None else None))
    for op in ops:
        font = _pil_font(op.face, max(6, round(op.size * k)))
        if red is not None and red_heading and _is_heading_op(op):
            ImageDraw.Draw(red).text(((op.x + dx) * k, (op.y + dy) * k), op.text, font=font, fill=255, anchor="ls")
            continue
        draw.text(((op.x + dx) * k, (op.y + dy) * k), op.text, font=font, fill=ink, anchor="ls")
    for d in decos:
        if d.kind == "box":
            draw.rectangle(((d.x0 + dx) * k, (d.y0 + dy) * k, (d.x1 + dx) * k, (d.y1 + dy) * k),
                           outline=ink + 30, width=max(2, round(1.2 * k)))
    for _ in range(rng.randint(4, 25)):  # dust
        x, y = rng.uniform(0, w_px), rng.uniform(0, h_px)
        r = rng.uniform(0.5, 2.0) * dpi / 200
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(60, 160))
    if red is not None:
        name = next((line for line in lines if _is_upper(line) and line.startswith(("CÔNG TY", "TỔNG CÔNG TY"))),
                    "CÔNG TY CỔ PHẦN")
        if seal:
            for sx, sy, sr in seals:
                _draw_red_seal(red, sx, sy, sr, k, name, rng)
        if logo is not None:
            _draw_red_logo(red, logo, k, rng)
    if max_rotation:
        angle = rng.uniform(-max_rotation, max_rotation)
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=paper)
        if red is not None and blue is not None:
            red = red.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=0)
            blue = blue.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=0)
    if blur > 0:
        img = img.filter(ImageFilter.GaussianBlur(blur * dpi / 200))
        if red is not None and blue is not None:
            red = red.filter(ImageFilter.GaussianBlur(blur * dpi / 200))
            blue = blue.filter(ImageFilter.GaussianBlur(blur * dpi / 200))
    noise = Image.frombytes("L", img.size, rng.randbytes(img.size[0] * img.size[1]))
    noise = noise.point(_noise_lut(round(rng.uniform(4.0, 8.0), 1)))
    page = ImageChops.add(img, noise, scale=1.0, offset=-128)
    if red is None or blue is None:
        return page
    out = Image.merge("RGB", (page, page, page))
    for layer, ink_rgb in ((red, tuple(rng.randint(lo, hi) for lo, hi in _RED_INK)), (blue, (40, 55, 150))):
        # multiply blend: where the layer is inked, each channel is scaled towards the ink's colour
        tint = Image.merge("RGB", [layer.point(lambda v, c=c: 255 - v * (255 - c) // 255) for c in ink_rgb])
        out = ImageChops.multiply(out, tint)
    return out


def _turn(img: Image.Image, rotate: int, skew: float, fill: int | tuple[int, ...]) -> Image.Image:
    """A page put on the scanner turned by ``rotate`` degrees (a multiple of 90, counter-clockwise) and
    askew by ``skew`` degrees (counter-clockwise), the uncovered corners paper-coloured."""
    if rotate % 360:
        if rotate % 90:
            raise ValueError("rotate must be a multiple of 90 degrees")
        img = img.rotate(rotate % 360, expand=True)
    if skew:
        img = img.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)
    return img


_FIXED_STRUCT_TIME = time.struct_time((CAMPAIGN_YEAR, 5, 4, 1, 30, 0, 0, 125, 0))


def write_scanned_pdf(path: str | Path, pages: list[Page], rng: random.Random, *, dpi: int = 200,
                      max_rotation: float = 0.8, blur: float = 0.5, rotate: int = 0, skew: float = 0.0,
                      **colour: object) -> None:
    """An image-only PDF (no text layer), one JPEG-compressed grayscale A4 page image per page.

    ``rotate`` (multiple of 90) and ``skew`` (degrees) turn every page as a careless scan would;
    ``colour`` options (seal, red_heading, logo, colour) go to :func:`render_page_image` (colour scans)."""
    images = [render_page_image(p, rng, dpi=dpi, max_rotation=max_rotation, blur=blur, **colour)  # type: ignore[arg-type]
              for p in pages]
    if rotate or skew:
        images = [_turn(im, rotate, skew, 245 if im.mode == "L" else (245, 245, 245)) for im in images]
    images[0].save(
        str(path), "PDF", save_all=True, append_images=images[1:], resolution=float(dpi), quality=80,
        title=None, creationDate=_FIXED_STRUCT_TIME, modDate=_FIXED_STRUCT_TIME,
    )


def _phone_photo(page: Image.Image, rng: random.Random) -> Image.Image:
    """A page lying on a desk, shot with a phone: colour, border, skew, uneven light."""
    w, h = page.size
    bx, by = round(w * rng.uniform(0.03, 0.07)), round(h * rng.uniform(0.03, 0.06))
    desk = (rng.randint(90, 140), rng.randint(70, 110), rng.randint(50, 80))
    r, g, b = page.split() if page.mode == "RGB" else (page, page, page)
    warm = Image.merge("RGB", (r, g.point(lambda v: round(v * 0.97)), b.point(lambda v: round(v * 0.9))))
    canvas = Image.new("RGB", (w + 2 * bx, h + 2 * by), desk)
    canvas.paste(warm, (bx, by))
    canvas = canvas.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, fillcolor=desk)
    # rotate a 256x256 ramp, keep its centre (always covered after rotation), stretch it over the photo
    light = Image.linear_gradient("L").rotate(rng.uniform(0, 360), resample=Image.Resampling.BILINEAR)
    light = light.crop((64, 64, 192, 192)).resize(canvas.size, Image.Resampling.BILINEAR)
    lo = rng.randint(185, 215)
    light = light.point(lambda v: lo + (255 - lo) * v // 255)
    return ImageChops.multiply(canvas, Image.merge("RGB", (light, light, light)))


def _normalise_fmt(fmt: str) -> str:
    f = fmt.upper().lstrip(".")
    return {"JPG": "JPEG", "TIF": "TIFF"}.get(f, f)


def _save_image(img: Image.Image, path: str | Path, fmt: str, dpi: int | None,
                extra: Sequence[Image.Image] = ()) -> None:
    kw: dict[str, object] = {}
    if dpi is not None:
        kw["dpi"] = (dpi, dpi)
    if fmt == "JPEG":
        img.save(str(path), "JPEG", quality=85, **kw)
    elif fmt == "PNG":
        img.save(str(path), "PNG", **kw)
    elif fmt == "TIFF":
        # Office scanners write bilevel CCITT G4 TIFFs.
        frames = [im.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1") for im in (img, *extra)]
        frames[0].save(str(path), "TIFF", compression="group4", save_all=bool(extra),
                       append_images=frames[1:], **kw)
    else:
        raise ValueError(f"unsupported image format {fmt!r} (JPEG, PNG or TIFF)")


def write_image(path: str | Path, lines: Page, rng: random.Random, *, fmt: str = "JPEG",
                dpi: int | None = 200, rotate: int = 0, skew: float = 0.0, **colour: object) -> None:
    """A single page as a scan (``dpi`` stored in the file) or, with ``dpi=None``, a phone photo
    (RGB, desk border, uneven light, no DPI information).  ``fmt``: JPEG/JPG, PNG, TIFF/TIF
    (TIFF is written bilevel, CCITT G4, like office scanners do).  ``rotate`` (a multiple of 90) and
    ``skew`` (degrees, counter-clockwise) turn the page; ``colour`` options (seal, red_heading, logo,
    colour) go to :func:`render_page_image`."""
    f = _normalise_fmt(fmt)
    if dpi is None:
        page = render_page_image(lines, rng, dpi=200, max_rotation=1.2, blur=0.7, **colour)  # type: ignore[arg-type]
        if skew:
            page = _turn(page, 0, skew, 245 if page.mode == "L" else (245, 245, 245))
        img: Image.Image = _phone_photo(page, rng)
        img = _turn(img, rotate, 0.0, 0)
        if f == "TIFF":
            img = img.convert("L")
    else:
        img = render_page_image(lines, rng, dpi=dpi, **colour)  # type: ignore[arg-type]
        if rotate or skew:
            img = _turn(img, rotate, skew, 245 if img.mode == "L" else (245, 245, 245))
    _save_image(img, path, f, dpi)


def _write_multipage_tiff(path: str | Path, pages: list[Page], rng: random.Random, dpi: int = 200) -> None:
    images = [render_page_image(p, rng, dpi=dpi) for p in pages]
    _save_image(images[0], path, "TIFF", dpi, extra=images[1:])


def _org_name(pages: list[Page]) -> str | None:
    """Agency/company name for the Word page header."""
    prefixes = ("CÔNG TY", "TỔNG CÔNG TY", "TRUNG TÂM", "VIỆN", "ỦY BAN", "CHỦ TỊCH ỦY BAN", "CHI CỤC", "SỞ ")
    for page in pages:
        for line in page:
            s = line.strip()
            if _is_upper(s) and s.startswith(prefixes):
                return s
    for page in pages:
        for line in page:
            m = _LABEL_RE.match(line.strip())
            if m and m.group(1) == "Tên doanh nghiệp":
                return m.group(2).upper()
    return None


def _table_run(kinds: list[tuple[str, str]]) -> tuple[int, int] | None:
    """First run of >= 5 consecutive "Label: value" body lines (the registration form's fields)."""
    excluded = ("Năm ", "Tiêu chí", "Kết quả", "Kính gửi", "V/v", "Số")
    start = None
    for i, (kind, s) in enumerate([*kinds, ("end", "")]):
        ok = kind == "body" and _LABEL_RE.match(s) is not None and not s.startswith(excluded)
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            if i - start >= 5:
                return start, i
            start = None
    return None


def _deterministic_zip(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(CAMPAIGN_YEAR, 5, 4, 8, 30, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def write_docx(path: str | Path, pages: list[Page], *, pasted_scans: bool = False,
               rng: random.Random | None = None, **colour: object) -> None:
    """A Word document: one paragraph per line (titles bold and centred, the first run of >= 5
    "Label: value" lines as a 2-column table, the organisation name in the page header, a page break
    between pages).  With ``pasted_scans=True`` every page is instead a pasted picture of its scan and
    the document holds no text at all (``rng`` drives the scan look; ``Random(0)`` if omitted; ``colour``
    options such as ``seal=True`` go to :func:`render_page_image`)."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is not None:
        rfonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(3)
    props = doc.core_properties
    props.created = props.modified = _FIXED_DATETIME.replace(tzinfo=None)
    props.last_printed = _FIXED_DATETIME.replace(tzinfo=None)
    props.author = props.last_modified_by = "Van thu"
    props.revision = 1
    props.title = ""

    if pasted_scans:
        rng = rng if rng is not None else random.Random(0)
        section.left_margin = section.right_margin = Mm(20)
        for i, page in enumerate(pages):
            img = render_page_image(page, rng, **colour)  # type: ignore[arg-type]
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=80, dpi=(200, 200))
            buf.seek(0)
            if i:
                doc.add_page_break()
            doc.add_picture(buf, width=Mm(170))
    else:
        org = _org_name(pages)
        if org:
            hp = section.header.paragraphs[0]
            run = hp.add_run(org)
            run.font.size = Pt(10)
            run.italic = True
        for i, page in enumerate(pages):
            if i:
                doc.add_page_break()
            kinds = _line_kinds([_nfc(line) for line in page])
            table = _table_run(kinds)
            j = 0
            while j < len(kinds):
                if table and j == table[0]:
                    rows = kinds[table[0]:table[1]]
                    t = doc.add_table(rows=len(rows), cols=2)
                    t.style = "Table Grid"
                    t.alignment = WD_TABLE_ALIGNMENT.CENTER
                    for r, (_, s) in enumerate(rows):
                        m = _LABEL_RE.match(s)
                        assert m is not None
                        t.cell(r, 0).text = m.group(1) + ":"
                        t.cell(r, 1).text = m.group(2)
                        t.cell(r, 0).width, t.cell(r, 1).width = Cm(5.5), Cm(10.5)
                    j = table[1]
                    table = None
                    continue
                kind, s = kinds[j]
                j += 1
                p = doc.add_paragraph()
                face, _, align, area = _STYLES.get(kind, ("regular", 1.0, "left", "full"))
                p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                               "left": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
                if area == "sign":
                    p.paragraph_format.left_indent = Cm(7.5)
                if kind == "sign_name":
                    p.paragraph_format.space_before = Pt(54)
                if kind == "center_bold" and s not in (NATIONAL_HEADER, MOTTO) and j > 1:
                    p.paragraph_format.space_before = Pt(6)
                run = p.add_run(s)
                run.bold = "bold" in face
                run.italic = "italic" in face
                if kind == "stamp":
                    run.font.size = Pt(14)
    buf = io.BytesIO()
    doc.save(buf)
    Path(path).write_bytes(_deterministic_zip(buf.getvalue()))


# --------------------------------------------------------------------------------------------------
# Dossiers
# --------------------------------------------------------------------------------------------------

_EXT = {"pdf": ".pdf", "scan": ".pdf", "docx": ".docx", "docx_scan": ".docx", "jpg": ".jpg", "png": ".png",
        "tiff": ".tif"}
_DEFAULT_WEIGHTS = {"pdf": 50, "docx": 32, "scan": 7, "docx_scan": 4, "jpg": 4, "png": 2, "tiff": 1}
_SEALED_WEIGHTS = {"pdf": 42, "docx": 12, "scan": 22, "docx_scan": 10, "jpg": 9, "png": 3, "tiff": 2}

# Meaningful file names (without extension): (names with diacritics, ASCII names).
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "registration_form": (("Đơn đăng ký", "Đơn đăng ký tham dự giải thưởng"),
                          ("Don dang ky", "Don dang ky tham du GTCLQG")),
    "company_profile": (("Báo cáo giới thiệu chung", "Giới thiệu doanh nghiệp"),
                        ("Gioi thieu doanh nghiep", "Bao cao gioi thieu chung")),
    "self_assessment": (("Báo cáo tự đánh giá 07 tiêu chí", "Báo cáo tự đánh giá"),
                        ("Bao cao tu danh gia", "Tu danh gia 7 tieu chi")),
    "quality_system": (("Giấy chứng nhận ISO 9001", "Chứng chỉ ISO 9001-2015"),
                       ("Chung chi ISO 9001", "ISO 9001 sao y")),
    "product_conformity/quy": (("Giấy chứng nhận hợp quy", "Chứng nhận hợp quy sản phẩm"),
                               ("Chung nhan hop quy", "Hop quy san pham")),
    "product_conformity/chuan": (("Giấy chứng nhận hợp chuẩn", "Chứng nhận hợp chuẩn sản phẩm"),
                                 ("Chung nhan hop chuan", "Hop chuan san pham")),
    "environment": (("Hồ sơ môi trường", "Báo cáo quan trắc môi trường"),
                    ("Bao cao quan trac moi truong", "Ho so moi truong")),
    "tax_insurance": (("Xác nhận thuế, bảo hiểm xã hội", "Xác nhận nghĩa vụ thuế - BHXH"),
                      ("Xac nhan thue va BHXH", "Xac nhan nghia vu thue - BHXH")),
    "other_evidence/khen": (("Bằng khen", "Bằng khen UBND tỉnh"), ("Bang khen", "Bang khen UBND tinh")),
    "other_evidence/list": (("Tài liệu chứng minh khác", "Tài liệu khác"),
                            ("Tai lieu chung minh khac", "Tai lieu khac")),
}


def _name_key(component_id: str, pages: list[Page]) -> str:
    first = " ".join(pages[0][:12]) if pages and pages[0] else ""
    if component_id == "product_conformity":
        return "product_conformity/chuan" if "HỢP CHUẨN" in first else "product_conformity/quy"
    if component_id == "other_evidence":
        return "other_evidence/khen" if "BẰNG KHEN" in first else "other_evidence/list"
    return component_id


def _write_component(path: Path, fmt: str, pages: list[Page], rng: random.Random, seal: bool = False) -> None:
    colour = {"seal": True} if seal else {}
    if fmt == "pdf":
        write_digital_pdf(path, pages)
    elif fmt == "scan":
        write_scanned_pdf(path, pages, rng, **colour)
    elif fmt == "docx":
        write_docx(path, pages)
    elif fmt == "docx_scan":
        write_docx(path, pages, pasted_scans=True, rng=rng, **colour)
    elif fmt == "tiff":
        _write_multipage_tiff(path, pages, rng)
    elif fmt in ("jpg", "png"):
        # One picture per component: a multi-page component is photographed as one long page
        # (render_page_image shrinks the text to fit).
        flat = [line for page in pages for line in page]
        write_image(path, flat, rng, fmt="JPEG" if fmt == "jpg" else "PNG", **colour)
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")


def write_dossier(
    folder: Path,
    ent: Enterprise,
    rng: random.Random,
    *,
    formats: dict[str, str] | None = None,
    omit: tuple[str, ...] = (),
    names: str = "meaningful",
    cover_letter: bool = True,
    include_optional: bool = True,
    seals: bool = False,
    **content_kwargs: object,
) -> dict[str, str]:
    """Write one dossier folder and return ``{component_id or "cover_letter": relative file name}``.

    ``formats`` maps a component id (or ``"cover_letter"``) to one of ``FORMATS``; the key ``"*"`` sets
    the format of every entry not named.  Entries not covered are drawn from a realistic mix that
    favours "pdf" and "docx" (certified copies are scanned more often); the cover letter defaults to
    "pdf".  ``omit`` drops components, ``include_optional=False`` drops ``other_evidence``.
    ``names="meaningful"`` gives Vietnamese names (NFC, some with diacritics, sometimes numbered
    "01. ..."), ``names="meaningless"`` gives ``scan_0001.pdf``, ``scan_0002.jpg``... in shuffled
    order.  ``content_kwargs`` (criteria, env_years, tax_years, insurance_years) go to
    :func:`component_pages`.  ``seals=True`` stamps a red seal on the signatures of the components that
    must be sealed (``SEALED_COMPONENTS``) where they are scanned or photographed in colour.
    """
    unknown = [c for c in omit if c not in COMPONENT_IDS]
    if unknown:
        raise ValueError(f"unknown components in omit: {unknown}")
    if names not in ("meaningful", "meaningless"):
        raise ValueError("names must be 'meaningful' or 'meaningless'")
    formats = dict(formats or {})
    for key, fmt in formats.items():
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r} for {key!r}; expected one of {FORMATS}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    components = [c for c in COMPONENT_IDS
                  if c not in omit and (include_optional or c != "other_evidence")]
    entries: list[tuple[str, list[Page], str]] = []
    for cid in components:
        pages = component_pages(cid, ent, rng, **content_kwargs)  # type: ignore[arg-type]
        if cid in formats:
            fmt = formats[cid]
        elif "*" in formats:
            fmt = formats["*"]
        else:
            weights = _SEALED_WEIGHTS if cid in ("quality_system", "product_conformity") else _DEFAULT_WEIGHTS
            fmt = rng.choices(list(weights), weights=list(weights.values()))[0]
        entries.append((cid, pages, fmt))
    if cover_letter:
        fmt = formats.get("cover_letter", formats.get("*", "pdf"))
        entries.append(("cover_letter", cover_letter_pages(ent, rng), fmt))

    result: dict[str, str] = {}
    if names == "meaningless":
        order = list(range(len(entries)))
        rng.shuffle(order)
        numbers = {idx: n for n, idx in enumerate(order, 1)}
        for idx, (cid, _, fmt) in enumerate(entries):
            result[cid] = f"scan_{numbers[idx]:04d}{_EXT[fmt]}"
    else:
        numbered = rng.random() < 0.4
        picks: dict[str, tuple[str, bool]] = {}
        for cid, pages, _ in entries:
            if cid == "cover_letter":
                continue
            accented, plain = _NAMES[_name_key(cid, pages)]
            use_accents = rng.random() < 0.5
            picks[cid] = (rng.choice(accented if use_accents else plain), use_accents)
        if picks and not any(a for _, a in picks.values()):  # at least one name with diacritics
            cid = next(iter(picks))
            pages = next(p for c, p, _ in entries if c == cid)
            picks[cid] = (_NAMES[_name_key(cid, pages)][0][0], True)
        for i, (cid, _, fmt) in enumerate(entries, 1):
            if cid == "cover_letter":
                stem = "Cong van gui kem"
            else:
                stem = picks[cid][0]
                if numbered:
                    stem = f"{i:02d}. {stem}"
            result[cid] = _nfc(stem + _EXT[fmt])

    for cid, pages, fmt in entries:
        _write_component(folder / result[cid], fmt, pages, rng, seal=seals and cid in SEALED_COMPONENTS)
    return result


#: Components whose rule says ``sealed = true`` in rules/gtclqg-2020.toml (certified copies).
SEALED_COMPONENTS = ("quality_system", "product_conformity")

#: Formats of :func:`write_merged_dossier`: one scanned PDF, one digital PDF, one Word file with page breaks,
#: one Word file of pasted scans, or a run of JPEGs named in sequence (scan_001.jpg, scan_002.jpg, ...).
MERGED_FORMATS = ("scan", "pdf", "docx", "docx_scan", "jpg_run")


def merged_pages(ent: Enterprise, rng: random.Random, *, omit: tuple[str, ...] = (), cover_letter: bool = True,
                 include_optional: bool = True, **content_kwargs: object) -> list[tuple[str, list[Page]]]:
    """The pages of a whole paper dossier in its usual order: the cover letter first, then each component."""
    entries: list[tuple[str, list[Page]]] = []
    if cover_letter:
        entries.append(("cover_letter", cover_letter_pages(ent, rng)))
    for cid in COMPONENT_IDS:
        if cid in omit or (cid == "other_evidence" and not include_optional):
            continue
        entries.append((cid, component_pages(cid, ent, rng, **content_kwargs)))  # type: ignore[arg-type]
    return entries


def write_merged_dossier(folder: Path, ent: Enterprise, rng: random.Random, *, fmt: str = "scan",
                         name: str = "Ho so.pdf", omit: tuple[str, ...] = (), cover_letter: bool = True,
                         include_optional: bool = True, seals: bool = False,
                         **content_kwargs: object) -> dict[str, tuple[str, int, int]]:
    """A whole dossier scanned (or typed) into one file, or photographed page by page into a run of JPEGs.

    Returns ``{component id or "cover_letter": (file name, first page, last page)}``; for ``"jpg_run"``
    (``name`` is then the stem, e.g. ``"scan_"``) the pages are files ``scan_001.jpg``... and the range
    names the first file, with first/last the file numbers.  ``seals`` stamps red seals on the sealed
    components' pages (colour formats only)."""
    if fmt not in MERGED_FORMATS:
        raise ValueError(f"format {fmt!r}; expected one of {MERGED_FORMATS}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    entries = merged_pages(ent, rng, omit=omit, cover_letter=cover_letter, include_optional=include_optional,
                           **content_kwargs)
    ranges: dict[str, tuple[str, int, int]] = {}
    all_pages: list[Page] = []
    sealed_pages: set[int] = set()
    for cid, pages in entries:
        first = len(all_pages) + 1
        all_pages += pages
        if seals and cid in SEALED_COMPONENTS:
            sealed_pages.update(range(first, len(all_pages) + 1))
        ranges[cid] = (name, first, len(all_pages))
    if fmt == "jpg_run":
        stem = name[:-4] if name.lower().endswith(".jpg") else name
        for number, page in enumerate(all_pages, 1):
            write_image(folder / f"{stem}{number:03d}.jpg", page, rng, dpi=200,
                        **({"seal": True} if number in sealed_pages else {}))
        return {cid: (f"{stem}{first:03d}.jpg", first, last) for cid, (_, first, last) in ranges.items()}
    path = folder / name
    if fmt == "pdf":
        write_digital_pdf(path, all_pages)
    elif fmt == "docx":
        write_docx(path, all_pages)
    elif fmt == "docx_scan":
        write_docx(path, all_pages, pasted_scans=True, rng=rng)
    else:
        images = [render_page_image(p, rng, **({"seal": True} if i in sealed_pages else {}))
                  for i, p in enumerate(all_pages, 1)]
        images = [im.convert("RGB") for im in images] if sealed_pages else images
        images[0].save(str(path), "PDF", save_all=True, append_images=images[1:], resolution=200.0, quality=80,
                       title=None, creationDate=_FIXED_STRUCT_TIME, modDate=_FIXED_STRUCT_TIME)
    return ranges
