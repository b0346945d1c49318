"""Why two demands look alike, for the people who decide: shared sentences (offsets into both normalised
texts), shared key terms and the enterprise signals that fired. Pure: texts and words in, plain data out."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nlp.shingles import sentence_overlaps


def evidence(text_a: str, text_b: str, *, words_a: Sequence[str] = (), words_b: Sequence[str] = (),
             signals: Sequence[str] = (), reveal_signals: bool = False, max_terms: int = 12) -> dict[str, Any]:
    """Why two demands look alike: shared sentences (offsets into both normalised texts), shared key
    terms (from the caller's tokeniser output) and the enterprise signals that fired — named only
    when ``reveal_signals`` (admin callers), otherwise reported as a bare count."""
    sentences = [m.to_dict() for m in sentence_overlaps(text_a, text_b)]
    in_b = set(words_b)
    terms: list[str] = []
    for w in words_a:
        if w in in_b and w not in terms and len(w) > 1:
            terms.append(w)
    terms.sort(key=lambda w: (-len(w), words_a.index(w)))
    out: dict[str, Any] = {"sentences": sentences, "shared_terms": terms[:max_terms]}
    if signals:
        out["signals"] = ([_SIGNAL_LABELS[s] for s in signals] if reveal_signals
                          else [{"zh": "企业信息相符", "en": "enterprise signal matched"}] * (1 if signals else 0))
    else:
        out["signals"] = []
    return out


_SIGNAL_LABELS = {
    "org": {"zh": "同一企业（名称或统一社会信用代码）", "en": "same enterprise (name or credit code)"},
    "group": {"zh": "同一集团", "en": "same enterprise group"},
    "phone": {"zh": "联系电话相同", "en": "same contact phone"},
    "email": {"zh": "联系邮箱相同", "en": "same contact e-mail"},
}

