"""Folding and fuzzy matching of Vietnamese text."""

import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from intake.folding import (
    Heads,
    best_prefix_score,
    fold,
    is_list_item,
    nfc,
    phrase_score,
    prefix_score,
    rejoin_spaced_letters,
    strip_enumerator,
    vietnamese_sort_key,
)


def test_ocr_s_look_alikes_of_d_bar_fold_as_it_does():
    """Tesseract 5.5 read "Đo lường" as "Ðo lường" (eth): criterion 4 of a scanned self-assessment was lost."""
    assert fold("Ðo lường, phân tích") == fold("Đo lường, phân tích") == fold("Ɖo lường, phân tích") == "do luong phan tich"


def test_fold_drops_diacritics_and_maps_d_bar():
    assert fold("ĐƠN ĐĂNG KÝ Tham Dự") == "don dang ky tham du"
    assert fold("Quản lý đo lường") == "quan ly do luong"


def test_fold_is_the_same_for_nfc_and_nfd():
    text = "Báo cáo tự đánh giá theo 07 tiêu chí"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)
    assert nfc(unicodedata.normalize("NFD", text)) == text


def test_ocr_confusions_still_match():
    # "CHỨNG" read as "CHỮNG", "Bắc" as "Bác": the folded forms are equal.
    assert fold("GIẤY CHỮNG NHẬN") == fold("GIẤY CHỨNG NHẬN")
    assert phrase_score(fold("quan trắc môi trường"), fold("ket qua quan trac moi truong nam 2018")) == 100
    assert phrase_score(fold("quan trắc môi trường"), fold("kết quả quan trăc mỗi trương năm 2018")) >= 86


def test_prefix_score_anchors_titles_at_line_start():
    assert prefix_score(fold("đơn đăng ký tham dự"), fold("ĐƠN ĐĂNG KÝ THAM DỰ GIẢI THƯỞNG")) == 100
    assert prefix_score(fold("đơn đăng ký tham dự"), fold("ĐƠN ĐĂNG KÍ THAM DỤ GIẢI THƯỞNG")) >= 86
    assert prefix_score(fold("đơn đăng ký tham dự"), fold("Công văn đăng ký tham dự")) < 86
    # Alike but for how it begins: another title ("HỒ SƠ THAM DỰ …", a dossier's cover, is no registration form).
    phrase = fold("đơn đăng ký tham dự giải thưởng chất lượng quốc gia")
    cover = fold("HỒ SƠ THAM DỰ GIẢI THƯỞNG CHẤT LƯỢNG QUỐC GIA NĂM 2020")
    assert prefix_score(phrase, cover) == 0 and best_prefix_score(phrase, Heads([cover]), cutoff=80) == 0
    # Unless what begins it is a number OCR misread ("HI." for "III."): the heading begins after it.
    heading = fold("HI. ĐỊNH HƯỚNG VÀO KHÁCH HÀNG")
    assert best_prefix_score(fold("định hướng vào khách hàng"), Heads([heading]), cutoff=88) >= 88


def test_list_items_are_recognised():
    assert is_list_item(fold("1. Đơn đăng ký tham dự giải thưởng"))
    assert is_list_item(fold("b) Báo cáo tự đánh giá"))
    assert not is_list_item(fold("ĐƠN ĐĂNG KÝ THAM DỰ"))
    assert not is_list_item(fold("Vai trò của lãnh đạo"))


def test_strip_enumerator():
    assert strip_enumerator(fold("Tiêu chí 3: Chính sách")) == "chinh sach"
    assert strip_enumerator(fold("VII. Kết quả hoạt động")) == "ket qua hoat dong"
    assert strip_enumerator(fold("2.1. Quản lý nguồn nhân lực")) == "quan ly nguon nhan luc"
    assert strip_enumerator(fold("Vai trò của lãnh đạo")) == "vai tro cua lanh dao"


@given(st.text())
def test_fold_never_fails_and_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


def _fold_reference(text):
    """The definition of folding, character by character (what `fold` computes with one translation table)."""
    decomposed = unicodedata.normalize("NFD", "".join("d" if c in "đĐðÐɖƉ" else c for c in text.lower()))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c in "0123456789abcdefghijklmnopqrstuvwxyz/%" else " " for c in stripped).split())


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


@given(st.text(alphabet=st.sampled_from(VIETNAMESE + VIETNAMESE.upper() + " .,:;-/%()0123456789\n\tß̣́Ωж"), max_size=80)
       | st.text(max_size=40))
def test_fold_is_the_reference_folding(text):
    assert fold(text) == _fold_reference(text)
    assert fold(unicodedata.normalize("NFD", text)) == _fold_reference(text)


LINES = st.lists(st.text(alphabet="abcdeghinotu 0123", min_size=0, max_size=40), max_size=12)


@given(st.text(alphabet="abcdeghinotu 0123", min_size=1, max_size=30), LINES, st.sampled_from([0.0, 60.0, 86.0]))
def test_best_prefix_score_is_the_best_of_prefix_scores(phrase, lines, cutoff):
    expected = max((prefix_score(phrase, line) for line in lines), default=0.0)
    assert best_prefix_score(phrase, Heads(lines), cutoff=cutoff) == (expected if expected >= cutoff else 0.0)


def test_best_prefix_score_finds_titles_among_windows():
    windows = Heads([fold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), fold("ĐƠN ĐĂNG KÍ THAM DỤ GIẢI THƯỞNG")])
    assert best_prefix_score(fold("đơn đăng ký tham dự"), windows, cutoff=86) >= 86
    assert best_prefix_score(fold("báo cáo tự đánh giá"), windows, cutoff=86) == 0


def test_words_typed_letter_by_letter_are_rejoined():
    """Titles typed with a space between letters ("B Á O  C Á O") read as the words they spell: the letters are cut
    into Vietnamese syllables (fewest, then longest initial consonants: "CỔ PHẦN", not "CỔP HẦN")."""
    cases = {
        "B Á O  C Á O": "BÁO CÁO",
        "G I Ớ I T H I Ệ U D O A N H N G H I Ệ P": "GIỚI THIỆU DOANH NGHIỆP",
        "CÔNG TY C Ổ P H Ầ N": "CÔNG TY CỔ PHẦN",
        "P. 1 M Ô T Ả T Ổ C H Ứ C": "P. 1 MÔ TẢ TỔ CHỨC",
        "Q U Y Ế T  Đ Ị N H": "QUYẾT ĐỊNH",
        "T H Ị T R Ư Ờ N G": "THỊ TRƯỜNG",
        # Not words: kept as they are.
        "Xếp loại: A B C D": "Xếp loại: A B C D",
        "x x x x": "x x x x",
        "a b c": "a b c",
        "Công ty Cổ phần Thực phẩm Sông Cầu": "Công ty Cổ phần Thực phẩm Sông Cầu",
    }
    assert {text: rejoin_spaced_letters(text) for text in cases} == cases
    assert rejoin_spaced_letters("B Á O C Á O\nG I Ớ I T H I Ệ U") == "BÁO CÁO\nGIỚI THIỆU"


@given(st.text(alphabet="abcdđeghiklmnopqrstuvxyáàảãạăâêôơướờủ ", max_size=60))
def test_rejoining_only_ever_removes_spaces(text):
    assert rejoin_spaced_letters(text).replace(" ", "") == text.replace(" ", "").replace("\t", "")


def test_names_sort_in_the_vietnamese_alphabet_then_by_tone():
    words = ["Zalo", "ưu", "ba", "bà", "Bả", "bã", "bá", "bạ", "Đào", "dao", "an", "ăn", "ân", "ô", "ơ", "o", "10a", "9a"]
    assert sorted(words, key=vietnamese_sort_key) == [
        "9a", "10a", "an", "ăn", "ân", "ba", "bà", "Bả", "bã", "bá", "bạ", "dao", "Đào", "o", "ô", "ơ", "ưu", "Zalo"]
    assert vietnamese_sort_key("9" * 5000) > vietnamese_sort_key("8" * 4999)  # no int(): no digit limit


@example("", "İ")  # lower-cased, two characters
@given(st.text(max_size=30), st.text(max_size=30))
def test_the_sort_key_orders_nfc_and_nfd_alike(a, b):
    def key(text):
        return vietnamese_sort_key(text)[:2]
    assert (key(a) < key(b)) == (key(unicodedata.normalize("NFD", a)) < key(unicodedata.normalize("NFD", b)))
