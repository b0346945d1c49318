from nlp.text import normalize, split_sentences
from nlp.tokenize import Tokenizer, default_tokenizer


def test_normalize_fullwidth_traditional_and_space():
    assert normalize("ＡＢＣ１２３　高溫合金  葉片") == "ABC123 高温合金 叶片"
    assert normalize(None) == ""


def test_split_sentences_keeps_offsets_and_decimal_points():
    text = normalize("第一句话在这里。效率提升3.5%以上；第三句！")
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["第一句话在这里", "效率提升3.5%以上", "第三句"]
    for s in sents:
        assert text[s.start:s.end] == s.text


def test_default_tokenizer_is_loaded_once():
    assert default_tokenizer() is default_tokenizer()


def test_words_drop_stopwords_and_punctuation(tmp_path):
    stop = tmp_path / "stop.txt"
    stop.write_text("# boilerplate\n亟需\n攻关\n", encoding="utf-8")
    tok = Tokenizer(userdict=None, stopwords=stop)
    words = tok.words("本企业亟需攻关：数控机床，３．５")
    assert "亟需" not in words and "攻关" not in words
    assert "数控机床" in words or "数控" in words
    assert all(w not in {":", ",", "3.5"} for w in words)
