"""Japanese public-sector codes and calendar: prefectures, the 全国地方公共団体コード check digit, the
fiscal year."""

import datetime as dt

PREFECTURES = {
    "01": "北海道", "02": "青森県", "03": "岩手県", "04": "宮城県", "05": "秋田県", "06": "山形県",
    "07": "福島県", "08": "茨城県", "09": "栃木県", "10": "群馬県", "11": "埼玉県", "12": "千葉県",
    "13": "東京都", "14": "神奈川県", "15": "新潟県", "16": "富山県", "17": "石川県", "18": "福井県",
    "19": "山梨県", "20": "長野県", "21": "岐阜県", "22": "静岡県", "23": "愛知県", "24": "三重県",
    "25": "滋賀県", "26": "京都府", "27": "大阪府", "28": "兵庫県", "29": "奈良県", "30": "和歌山県",
    "31": "鳥取県", "32": "島根県", "33": "岡山県", "34": "広島県", "35": "山口県", "36": "徳島県",
    "37": "香川県", "38": "愛媛県", "39": "高知県", "40": "福岡県", "41": "佐賀県", "42": "長崎県",
    "43": "熊本県", "44": "大分県", "45": "宮崎県", "46": "鹿児島県", "47": "沖縄県",
}  # fmt: skip


def local_government_check_digit(first_five: str) -> str:
    """The sixth digit of a 全国地方公共団体コード (JIS X 0401/0402, modulus 11)."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def is_valid_local_government_code(code: str) -> bool:
    return (
        len(code) == 6
        and code.isascii()
        and code.isdigit()
        and code[:2] in PREFECTURES
        and local_government_check_digit(code[:5]) == code[5]
    )


def normalize_local_government_code(raw: str) -> str:
    """Accept the 6-digit code, or the 5-digit form some files use, and return 6 digits."""
    code = raw.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if len(code) == 5 and code.isdigit():
        code += local_government_check_digit(code)
    return code


def prefecture_for_code(code: str) -> str:
    return PREFECTURES.get(code[:2], "")


# Registrations that last to the fiscal year's end (施設の利用者登録, 人材バンク) can be renewed from
# this many days before it.
RENEWAL_WINDOW_DAYS = 60


def fiscal_year_end(day: dt.date) -> dt.date:
    """The last day of the Japanese fiscal year `day` falls in (31 March)."""
    return dt.date(day.year if day.month <= 3 else day.year + 1, 3, 31)
