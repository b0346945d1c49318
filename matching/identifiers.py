"""Checks of the identifiers a form carries: 统一社会信用代码 (GB 32100-2015, with its check character),
mobile and landline numbers, e-mail addresses. Pure functions over strings."""
from __future__ import annotations

import re

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: digits and 21 letters (no I O S V Z)
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_MOBILE = re.compile(r"^(?:\+?86[- ]?)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(?:\+?86[- ]?)?(?:\(?0\d{2,3}\)?[- ]?)?\d{7,8}(?:[-转]\d{1,6})?$")
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}$")


def credit_check_char(first17: str) -> str | None:
    """The 18th character GB 32100 derives from the first 17 (None when they use characters it does not)."""
    if len(first17) != 17 or any(c not in CREDIT_CHARSET for c in first17):
        return None
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code_valid(code: str) -> bool:
    """18 characters of the GB 32100 set whose last one is the check character of the others."""
    code = code.strip().upper()
    return len(code) == 18 and credit_check_char(code[:17]) == code[17]


def mobile_valid(number: str) -> bool:
    """A mainland mobile number (11 digits starting 13–19), optionally with +86."""
    return bool(_MOBILE.match(re.sub(r"[\s-]", "", number.strip())))


def phone_valid(number: str) -> bool:
    """A mobile number, or a landline with optional area code and extension (010-12345678, 0411 8765432-801)."""
    number = number.strip()
    return mobile_valid(number) or bool(_LANDLINE.match(number))


def email_valid(address: str) -> bool:
    """An e-mail address of the usual shape (name@domain.tld)."""
    return bool(_EMAIL.match(address.strip()))
