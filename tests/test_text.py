import zhconv

from nlp.text import CHECK_FROM, is_empty, normalize, split_list, split_sentences, to_simplified
from nlp.tokenize import Tokenizer


def test_normalize_fullwidth_traditional_and_space():
    assert normalize("ＡＢＣ１２３　高溫合金  葉片") == "ABC123 高温合金 叶片"
    assert normalize(None) == ""


def test_to_simplified_is_zhconv_whatever_the_length():
    """The shortcut for long texts (nothing its table would change is left unscanned) returns what zhconv does:
    traditional characters, Taiwan terms written in simplified characters (程式控制, 演算法), words only
    their context converts (反覆), and texts with nothing to change."""
    filler = "本项目研究高温合金叶片的精密铸造工艺，"
    samples = ["我幹什麼不干你事。", "人體內存在很多微生物", "採用程式控制與演算法", "反覆試驗，反覆试验", "一份子", "藉口",
               "C型肝炎", "分布著", "人工智慧與人工智能", "乾燥設備", "·", "𠀀字", ""]
    for sample in samples:
        for text in (sample, filler * 4 + sample, sample + filler * 4):
            assert to_simplified(text) == zhconv.convert(text, "zh-cn"), text
    assert len(filler * 4) >= CHECK_FROM and to_simplified(filler * 4) == filler * 4


def test_split_sentences_keeps_offsets_and_decimal_points():
    text = normalize("第一句话在这里。效率提升3.5%以上；第三句！")
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["第一句话在这里", "效率提升3.5%以上", "第三句"]
    for s in sents:
        assert text[s.start:s.end] == s.text


def test_one_list_splitter_and_one_emptiness_test():
    assert split_list("高温合金、叶片,铸造，缺陷;检测；\n 视觉") == ["高温合金", "叶片", "铸造", "缺陷", "检测", "视觉"]
    assert split_list(["a", None, " b ", ""]) == ["a", "b"] and split_list(None) == [] and split_list("  ") == []
    assert all(is_empty(v) for v in (None, "", "  ", [], (), float("nan")))
    assert not any(is_empty(v) for v in ("无", 0, 0.0, ["x"], False))


def test_words_drop_stopwords_and_punctuation(tmp_path):
    stop = tmp_path / "stop.txt"
    stop.write_text("# boilerplate\n亟需\n攻关\n", encoding="utf-8")
    tok = Tokenizer(userdict=None, stopwords=stop)
    words = tok.words("本企业亟需攻关：数控机床，３．５")
    assert "亟需" not in words and "攻关" not in words
    assert "数控机床" in words or "数控" in words
    assert all(w not in {":", ",", "3.5"} for w in words)
