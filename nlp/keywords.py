"""Keywords and keyphrases of a demand or of a cluster: class-based TF-IDF over jieba tokens,
phrases built from adjacent tokens, ranked with the embedding and picked with diversity (MMR).

Why this shape:
- *c-TF-IDF* (as in BERTopic): a class is one demand (per-demand keywords) or all the demands of a
  cluster (cluster keywords), so one weighting serves both: a term's weight grows with its
  frequency in the class and with ``log(1 + A / f)``, ``f`` its frequency in the fitted corpus (the
  round), ``A`` the mean class size. A background IDF from a large corpus (jieba's ``idf.txt``,
  passed in by the caller) keeps a small round from calling every rare word a keyword.
- *Phrases*: author and staff keywords are mostly multi-word (性信息素结合蛋白, 精度保持性): candidates
  are runs of 1–``max_phrase_tokens`` adjacent content tokens that no function word or punctuation
  breaks; generic heads (技术, 方法, 系统 …, :data:`PHRASE_PARTS`) may sit inside a phrase
  ("加工技术") but never stand alone.
- *Ranking*: the ``pool`` best candidates by c-TF-IDF are scored by two logistic models of the same
  signals — tf, c-TF-IDF, background IDF, first sentence (the title), position, token and character
  length, nesting in longer candidates, cosine to the text's embedding — fitted once on the even
  rows of csl/dev (``python -m bench.condense_bench fit``; the odd rows are the held-out check).
  Hand-set products of these signals traded one F1 for the other on the even rows (partial 0.61 at
  exact 0.18, or 0.59 at 0.24); the fitted ranker holds 0.60 / 0.24 on the odd rows it never saw.
- *MMR*: the ranking alone keeps near-duplicates ("基因", "基因表达", "表达"); maximal marginal
  relevance discounts a term by its character overlap with the ones already picked (and by
  ``nest_penalty`` when it nests in one; 1.0 measured best, so off by default).
- *Never boilerplate*: form words (需求, 本企业, 急需, 攻关 …), the tokenizer's stopwords, numbers,
  units, punctuation and one-character terms are never returned; the caller passes the boilerplate
  (the core reads no file; the shipped list is ``corpora/keyword_stopwords.txt``).
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.text import normalize
from nlp.tokenize import Tokenizer

Encode = Callable[[list[str]], np.ndarray]

_CONTENT = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NUMBERISH = re.compile(r"^[0-9.%％+\-×xX~～/]+$")
_QUANTITY = re.compile(r"^[0-9.]*([a-zμ°℃%]+)[0-9]?$")  # 667m2, 30kg, cm2, 1arcmin: quantities, not topics
UNITS: frozenset[str] = frozenset("""
m cm mm um μm nm km m2 m3 cm2 cm3 mm2 g kg mg μg ug t l ml μl ul mol mmol pa kpa mpa gpa w kw mw gw kwh v kv mv
a ma ka hz khz mhz ghz db dbm rpm r min s ms μs ns h d arcmin arcsec ppm ppb k ℃ °c wt vol
""".split())
_SENTENCE_END = frozenset("。！？!?；;\n")
ENCODE_BLOCK = 256  # texts per encoder call: ~10k short terms, a few MB of vectors
TREE_BLOCK = 4096  # feature rows per tree-ensemble step: ~3 MB of node indices
_TAGS: dict[str, dict[str, str]] = {}


def word_tags(userdict: object = None) -> dict[str, str]:
    """``{word: part-of-speech tag}`` of jieba's dictionary (``dict.txt``: "word freq tag") and of
    ``userdict`` when given (same format; the domain dictionary tags its terms ``nz``); loaded once.
    A word jieba's HMM makes up is in neither: often a technical term ("凹陷域")."""
    key = str(userdict or "")
    if key not in _TAGS:
        import jieba

        tags: dict[str, str] = {}
        paths = [Path(jieba.__file__).with_name("dict.txt")] + ([Path(key)] if key else [])
        for path in paths:
            if not path.exists():
                continue
            with open(path, encoding="utf-8") as handle:
                for line in handle:
                    parts = line.split()
                    if len(parts) >= 3:
                        tags[parts[0].lower()] = parts[2]
                    elif parts:
                        tags.setdefault(parts[0].lower(), "n")
        _TAGS[key] = tags
    return _TAGS[key]

# Generic nouns that may sit inside or end a keyphrase ("有限元分析", "加工技术", "项目管理") though
# they are boilerplate on their own.
PHRASE_PARTS: frozenset[str] = frozenset("""
技术 方法 系统 装置 设备 工艺 材料 模型 平台 体系 机制 分析 设计 特性 性能 效果 因素 数据 信息 理论 研究
问题 优化 建设 市场 能力 指标 工作 方式 创新 产业 开发 企业 项目 产品 水平 领域 行业 管理 控制 检测 评价
结构 过程 算法 网络 功能 质量 安全 监测 应用 试验 测试 实验 模拟 仿真 识别 诊断 预测 治疗 表达
""".split())

FEATURES: tuple[str, ...] = (
    "log_tf", "repeated", "bg_idf_mean", "bg_idf_min", "bg_idf_max", "ctfidf_idf", "log_corpus_freq",
    "in_lead", "first_position", "one_token", "two_tokens", "three_plus_tokens", "chars_2", "chars_3",
    "chars_4", "chars_5_6", "chars_7_plus", "container_tf_share", "nested_in_longer", "holds_shorter",
    "ends_with_part", "starts_with_part", "cosine_to_text", "left_edge_share", "right_edge_share",
    "last_noun", "first_verb", "first_adjective", "verb_inside", "unknown_share", "in_dictionary")

# Two gradient-boosted tree ensembles (scikit-learn's HistGradientBoostingClassifier, 100 trees of at
# most 8 leaves on the raw FEATURES) fitted by ``bench.condense_bench.fit_ranker`` on the even rows of
# csl/dev: P(term is an author keyword) and P(term contains or is contained in one), each stored as
# ``(baseline log-odds, packed trees)`` (:func:`pack_trees`). The trees are what lifted the ranking
# above a logistic model of the same signals: they see interactions (a long phrase that is also a
# title term; a single token with a high background IDF) a linear score cannot.
# Relevance = (first + partial_share × second) / (1 + partial_share).
RANKER_TREES: dict[str, tuple[float, str]] = {
    "exact": (-2.484907, (
        "eNrtvXlYTusXN15RGiQNSKVZJSHRQKUtlCRSJEKDaCDSICVpkAaiaJAGzfOgOaKnSTONKkmJ0qhSCYV+53uO9vY82z7L+b3+"
        "eP94n+u5Lle6u/e97732Gj7rs9ZNRfXXx3k/QvX3Z+3/+/f//ft/0b9UVDT84tNMycNK//w09uPfxejv//mI/Pj59Y/fU/34"
        "mR6ZGpXfkb/pNenH35OoCD52+bQbPi6MBMepxam/dT2f/+P365FSyYV/fYd+XJfjx3UlkNO6PmeOcM2tl4difZzI3P8fPN18"
        "7cLVL0rQdRd73XshxRyhNDc/+Xz8P34WRxiPKTavezIf/Zl8nOCPn8WQKqn0u+lm3378vzDFuLmfRRCFi8pr3uVPgeuzepk7"
        "mMFXAI6rZ6X6bvW+FRwX0CCnMtvQDo6LIElVVRzvBscFTZskcNEIK/0puersKm/pvN0JyouW+ABPQvg9cFxivmZlwre8H7+X"
        "RdafNdlZ+/IBhVxxIl+v6RXyTA6A90uycWY6+NSc9Gv5m/uZHzkvVyK28v0EON9mqSPs5ophP8bJIRzyGezyGdEUciWMXDRo"
        "pRU+9Q2cT+Kb7LER5Wz0/pi4P3NndlAj5Psuhmw7ZWNZMTQnz8Tz7S27mXo85x76fB3Dmx4t7Z67L3H0vayWUH2pw8AAznd6"
        "PbXpEsYq8D5i2y9Mq95t+2NydYPvQNi6og5QXjS1kyqslcPAcZkCJLtrV+bkSoziupi+2tEamynj30uwf3P6ShART566vquF"
        "SK9hcrWaetcHEf8ucP8O8o59ZFtnAo4zKQ5pP3AnV2lO7555mWvxMneIQl+JI9/k9ujVFnxVmnuPBP/+zOkRTK5KWh/L63pT"
        "g3JQsbSibZFYCbi+LPZzkyepGsBxww0tS6e+BIHjzqQp1R8wP0f6d7ni/E254kDCXuwItPnS/mO+TRTj6JE5OeUY0Q+NeVsP"
        "ylUPl+fgwtWp4LidE/1vQuvcwXEBrEUM6oyY/rvxVu6vbyFOrkhn2LeSdr0B949PoNZP/5ADgdwLonK/EQmJ9nYbQveTfJ8x"
        "O6jEHNa+YwusJx+lD7IO+6ehdllmAVvq/U1FSuTrEEcy3tZsX75xGpzvvkKzG0NoJTiuVaBfKqHjPjhuw1nzDO1wT6U/JVeu"
        "l27z3VV+Qfq1XcDkSqrxSX+nWB0oB62FDVt2ZySA49wVhTQPKlqC47Z48KgI3chF17dH5oXxbY1cnFxpte/dM3MG1lel5bds"
        "kfJ96PO9MCPgksdnhbODR4yrOz8owHa649BCsw/xteh89Nw337HIPKPQVxLI6lUh9zXMelC9zXz+9SJ25W84uVKi1XIKlh8G"
        "r+vTyeHStQp+f00VTxsrND4A5zM6veNl8xNFArswRvE+QXIliFRfrnN1W/cclKuueJmpspIa8D52TQkcSHdN+vF7mf/9PXJ/"
        "7Uucf2XMstewVe0KOJ8SXVplR3gQaW4djaKead6CIgilXCGZngI5S16D+7d703h+v1s+OK5iYdlN2Vuh4Pr63aL2RXDmEPiT"
        "mB20buA32acNy/1XZxtJqWVepF/HH5h/tUTGpX5abAic76GbOvuTjFQ4DjAYPa+5oRTQV78vV6sy6weHz7f8uJ4icuDvzxMK"
        "ueJHcm5pKPN+rCawl4tR/XdLQbDQd8kj8HkcjqxWGHCYkz9BwngwcbWAcPaeYth/brvEEhfgAV53rMqnSJczA5yvL+dQoIh1"
        "Bjgf22cTtui8HAK7iumreXFZ9xYltqHvV6jFgcAz7AsRSn3V9srk7Dbet+D6bJLqKocl4fjS/4v37VSGKHDcrJnH9LdaF9Kv"
        "7fQYRVw996F8jzC/faasZdtj3jbwupI+Z+4qsHkR6DVMrj7b5wlt8uoB5zuUwbCSjyYA/fvjIvvD+7ZzI5RypWSq9blx/D04"
        "3/MNa0tmhPxAObBwrNhw42qB0q/fN8y/Ws8WwsK5qBm93zerC//6NuL8Kwf6sYMsbrAeV7MUu75wd+LPejzCT7oVZwc75PZ8"
        "3KoWAc7nvYJXRCUnBByX6p4U4qIRBu6f2NrT81O1s0lzz7Gz4sZ8ZR9W5N/lSoxAX/EgzXzTgS/XNxDEZZgdHHmbVCzT0Qmu"
        "rzE9KOGxwl2lX/tDmB0cDtbY+9WwH5bnF1+ms0jXwHHsyxd/c/4E2zeHhbqMaYXXSZBc0c0YFrrXt6D27QcahJMruXzaS3SH"
        "YLlCdLlOjF2OJ8BLMLmSp2L0NrF0BOf7vPMd08IYb3Cc9D6d3uzoh+C+7FSxVw9mzvlj+kqO0VzFy78JvK5pKFPntz1XQX3V"
        "/m41vdkR2M8Z2hFyaa2OH6iv9m/bt5/3WB8433Yd/cn1erfAfSaVGjbUnsihkPtynN8+c01vfmJhAzjfYJMyW4xjMoE/hPlX"
        "84YjuNNSYf+gp4sty3Qs9Ge99jpD9RXOv3J8etfsxtMKcF/M7MJVnIpc4HhrOM7y/NEcpX/XV8K/qa8EkfbFVwvbDefiGWL/"
        "qsFIdqJ7/Qv0/2NsNnYpxfEi5HLFg1zh5M4sdu1C8Rzy54bpK9Mh9aQqx0ZwX6KZuFqX+8D2zfju0ebLbongfPd63vqot2WB"
        "4z6URXPNRsP+mn+649TCfC8C/Yf5V0zvtEWvHmkm0H+YvpI97mS0e1kFeN3FXlJccVqx4LiDYx1FWrl7wfu1HngTJqCfTfpT"
        "8SDzSf7yW5LPQL/9Qlx5WrlsKei3385UrNkSkwTe7xVDWnnz57Fk72UI0oHz2+XMZGbp4mGcUGWIIbPxlAl4Xf58TdJSyWRw"
        "voTdoxeW56SD8zFJhYxn6WUS4GuYvppSNSzZ7w/jmPVLP8+X/uIMxoM0yetkZwM7wPnao69PP0Fg/8rYPbT2cm620r/bQUr8"
        "itLPweyg/+S31GeHnoLXDVNfdSvpy1nSr+0sJlfyT0sH+CPhvFW28WuLWgPY7jvfGRczNIxQ+rX/jOEMG520j68wfQrKQdXu"
        "zCSbpAQSuT5twdlBqyiL3FNiWeB8vjfvLmGpiyB4LzF9tSWdfpPC/gfocxsxu9IbrtKG01cKhxd/2M1QC+7LtR5GVptHMN4p"
        "6q3B0HDmEGx/az5ptacnA3774t+0g/TIpSK6xnjSE3B9S/JomF+a3wPH7ZisTFQ94ElgF7A8Tn1Akg6TcAOIMyjKszPH1hSD"
        "+6LhMjU963SX4PlieWfxOH6Xcce55/aPnlRf2ImTqzjvdW+2CsL5WjM/6qrrAxEE8oLpK8My3lrbGBowjxPNn/piCc0LWK/R"
        "mDwvr80Bx50VGDgZfy8Nxp/5nmi8P5IF2EH+37SDPEhvo4eQcGclYAc5EWOR8laTo4WgHRTQEBW+kAHzHs5kuARalESD4zZv"
        "s9hn8+Q6uH+Daix6VjEp4HylNtsZXtFlENgtTK6q5Xa7n7xSDV7Xt3xHU+1J17nfI6U7ivnKZMUQSn0V+GVp/bKlc3pRkjAe"
        "dN8zcukYTTN43TK2LNmeNdHguLHqVy1TpTHgvlB72YsuTalU+vW+EOmr9cjGnW5/fZtx+kr0+5etY8xw3PMplN62Iw3GCQ1U"
        "XppdVfFG7WU9B42GQH0zTl8d5zt3vcGPRMBr4UT3OezNW7asM/XouiMmrjRO0fDj8PYvC3Ij0gsfw/yIK7KWL7V9Ufw+5Mly"
        "yU1SogilXG1m1jldfh32h/rY+n2dv6eg6zPtpTdYEUApV2JIpmRMvJpsEbh/TwoftbCK3oXx3Xvp7z79Rn46dox+RlE7Bc6b"
        "5g5vfCnjQ5AvI9JX65GvhaMzhaM1OLlaO1x31UXjGXgfJzK+C/ol3Ed5VW1eYX99KfUVDxK5MkhOQKIEtdMRw07hstfpEcp4"
        "0LB2NiqBqRe2qy50rLGNMP4nOrN7bMk2WK4M8xYIF+QGonIvZCqXODPehuNfNVl50z8cK0LfXy62ifNXyzpw+JXws7fn2oVg"
        "+XtPfVuYlccYHFf7ouJ4nnbcj3GbCf32FaJ+ytKVZeC+iLM7MEfctwDHXXSQW7hTJwPwr8Qo5IoDKV1n7ug+O42Tq3gJvciN"
        "bSTwftetUomKHEwh4OstRvc5dL19fsaqJz/7LwbB7+twOIOBxQvJl+/g52GubLNy8tENAn+NB9UvdbqqwsW2rShekvT35w3F"
        "eyaIUHc/n9hc8Aq8LqJzPDF4PRw3nnBusDS3DQefW/J2uuXvqU/API/Qr1SiPq4E94vJFe1jberqCzAeWzQrU7LzIMwbcWtk"
        "67zWmkH6b/GgJIF/xYGIGKcwruUsVfq1HsLw9v6ljl4qvjA/jOWqv4lgG5yPmqRxUfB7DvOg3ngzSAT6z+HUmwnkSgKJzI/1"
        "odN8Avrte7n20L01yyHwEzE7uNNxa8sdmtvg+vZyFxmd2hSB+mt3g//3eYvz24NPRC5/d6EUtltXxMpKV7iCciBy4u3+dfTw"
        "PntaPayReJoMzqc8a680FJUC2EHO37aDRl+6uDotq8HrXvAs+Bb3JQ3VV07KoQH3Fvfh/Ha2fQsqHCRJ4HwH9K+EuErDfuf7"
        "EFsvz+wA0tx6r2hNGD54zYbzr2TrrfO0TB7BcVSFyoL3N2JIv9bjmFwxrBs8PG+yDJxv5dcYq2LvDAK7ivnts/fZxRoTKgn0"
        "Kea3b3lRFemxGc5/MIkXNMTmRcJ+k3CIyZhWFPg8JLS3LbEucCD9u9/O/9t+O1V6tv2HdbA+PTkoRndzyf2fcUyqzpMtOP/q"
        "wPYwixTRPHSfHXwLnHJ1E3F28EB1unxUcDN43VuLKnhmXt4C98/g00G7pv0wHrurNw958PYqQVyG5Qe3HFjBquGeh+rxTX9v"
        "dDeOLyr4PX/dzutFqH7XV/t4WvA+G85vj+ioEmK6CuOEIlQOLLdWwXEyfU8zt35zKIz/6YnqxqZeAudLiVv/YndQHIG+H6OI"
        "r9BVID1FS19ctZ7Lu2B4exq/xasoh0SCuAzD2xdYeO6qGs4HcQb7+PrE3bthXikb/bNdYkfn9LMkIX5lt/fGNRmFQnC+PRtN"
        "7gr7wzzBV+3vi+zWZML4RvvaEi23awR+Iua3v6C5xLI4oh58vsckfNmu9augenJiXrWM++VpnL46f6xJaN5yuG4i4vxjzgcl"
        "D8D7kAp6dElwErYLW7L2DvLqRgF2kBJn4Ed28tr3+KkW4vTV5/kmz6g3w/ko0Y8e31ufHQPH7T5Cs6suOArVV+R8TExffZOU"
        "eJ8oCPMPCiUO7+81vo/KeScnfXz3GXacHex4JxqlWZgEzvepZH3nUbpIgjwJpq/4474uGCl5iF53gYlVWDnrCoRSrupVWyZM"
        "32iD1636Jq3wORjjJ2pabvbvScb02ZxcFRjSK0Vcg/GDBOno28UzEbD8rX5fFXsqAHxuXflNR0NUwgH8ivO37eA+0so3Dy9V"
        "gteNT1/X4L48DbCDHIhC8KaNbto5MG9dKGjjG1E4jnL4IK5lNeSqBPntnd4eJzWLs8E6L3fjx5/5y+bsFpHfLobYy1J9XFcd"
        "RpDfx+RKZdNmZekE2J7rCjunNczsB8c9k9mom7gyG8aVkWjPt8XuoFztUfTUWRsKy18bl1nCEp+g/2wHfbeMU4syCFLYQXGk"
        "tWlP4XXXOFROLXVnruacrcTFg1fO3TOk+w27XzHMcu7LjTtkPOTMqw04faWcFhwwvxTOb9W9eBDdVH+LgJ/Dg8oBw+TusANv"
        "Sn+2W0jw3iYKufpLv8jdIN22Kfh5fUUGXo04v73fQn0CaRwF15fu9u3hrOdZOK+75rux9SvYXvJvurYx8Jk/uM/58rmKu3ng"
        "fDLVtCxX/AU4/2avky6a8SgCyONQytVmApxBHHl02eLLaW4SkMcRQxRUmxRzz5Hx1l9L7GzE6atu5byJwfwA8D56nhn4mTMG"
        "g/nBqNa8qJxTcP5Sl+fboa6YY6j8lm2cx2FTsQihxK9Mq42OylfA/LCVPn1nOLccQ/eLnFeP6Sut9TFPzJxh+atZU/RMSxS2"
        "b7Pajd/rZWA9VPmNlBryAebJrOnNMh6ohOtYKkw46GqWeyr9KZyhfuGAr8CXUvC6jAkfL3pXJAF4OwdixmzkwMWXC86XfmGU"
        "tft8LLh/FtupB29vvkFmf/U1XuLsYOrbXAUZ6WylX+MRmFzp3u1/vFQuHra/fQtznBqxPOKv8XZxJKTT5d6z3msE9hfzn3Jv"
        "uAf68sBxt4O3arRDN5zPO2XpU5fVCNcFpj4Ik7ttfgMcp2D7Xa7rZpDSn4kHxZG2RNPrW95FgfHgIl1h5Xq6LDSeWSodZxTL"
        "h8evUsudNPV0YDzsaO+hsPWVWH0U3VJdAxfaQJy+CuMd2jRtUQvz63i3mqRrwvnpejZGNe/bc/p+AyEuOmb9fvXWI3BdQuvF"
        "CeM6JX80TjEWYDpUqTyCk6vAVMmZI7I14HyvwwQXkSJgXGVY765STA5sV3eP7MgV+gbP17ba2Fv8ThgB/kyUx5EgsIMiiIYK"
        "88qLctEEcQ/mX+kpR0aWiSWCz3e4W8L93YlAgrwu5l/t1fQLdl8K+1cKM/KCL24EEOR1sTxOb+uaj2+aa1FegXb3qnyVNCGc"
        "vlJP0+TPv/0czqfsO9TjngnzUCL4W9jdJ2B7lFDs/G1jThqsXzbGMPs2+KPvW/Lf+GkbLo+zVHPQewUTzBdwu6mQ2RZzARyn"
        "ajO6tGvZ/f+IMxDbQaGln9UDmEvA68oVBAnI34TtdDCdoLeJhzOB3cL4DJKKY4fHv2YQ2C1MX62q2dDhPAs/t8/tRzfY9dwn"
        "sFuY3+5QsaBZeb6r0r/jDMJIz5PVou0HquB8yuD8HeOGcDxzJFFNZGX3LbK4Qju5HYdfVfVNnKO9VQTzMqwXMSd3+8L+2tnU"
        "Ub4lD2G8ff+I2xu2AKAulVJfbSLQV/RIUs8r/QJV+LrGySEGvl0RqB561yo5tN2PDyGXYxHk+pe1AdG2fqjc96zaGs7WM4CL"
        "B9k1u+of7oP57cJM0dmf48n8KwPuvm4cX1RgPlNdcRZcRz/yRvA139dY9P2TcNoyNia2AqGUq411hRfFVn0F51M2WqlDpQ/z"
        "UOoHDIxvfIX5et4rJQz3Lfcii1cV3ibi9JXP1qIm6VEY/1sRd2mDoDPMKzhruV0tWvay0p+ygxtMa5NWL4mkWDfevxrXZLMq"
        "9I0l4FFgeZyVJsieSzSF6LgUu9JkBSVanB1cI0DNZP3YB+Zzbcz2jamH6+kuaOnWOSW4wXwpkYLsE4cjUHv5+mjtXScdLpxc"
        "Gbp819wnBPc/CH03zS7pC/MJXTewLgmoCYF5QQn0dH4dfqAdHPzgXvxkBdzX4EF0qOFVYTtw3POby3S5TdP+I34lSYgzWOvU"
        "ClMvi0DxK/J8PMYXPeiSWV5bkaz0azwM89vDJqPUatvhfea3eJde8OwmOM6lYM+jYMtApV/jGxh+JRS9rfvt0zICvBPzrwyO"
        "io18vgjHW2ebhD2r78Sg/rheysIuT5omXB5ny9PeqoPscD125NRR0idPOJ8SUiwadbUXrlfLtGqS5OCF5fR7Mouhii0c/5r4"
        "uvbJfgr+j7w+QUI7yOf7cbrvBsw/kDHakp/MdYegXhzTVxknHtTzRUah1zl2NVqjVl8Yp69CPTxD8zlh/jjPlg081+Jgvl4p"
        "9+aP13g9Yd7NlyCebbpBIJ8hTeJT9vZJ2M8eHp1x+46kovJHz+c4VrzgMi4etJjUD+rWyAbnYxVyNvluEYu+v7mHv7po3mBD"
        "KPVVphp3xjGmOHA+6TXODStewf7fzsunnY+lOin9Ot4fo5Cbuc+/7IvGjONAd6XSr/cZiwebV5gUhovA9Y3sPIt2ca66T6BP"
        "Mb+9Lff21q4iVwJeAcZDruQ//7C5JQ7QV8KIefUWnwH2DFBfvY1VOac+A+dJjgfk1wc/g/klPI/uHTNNPk+Wn562asLJlaK2"
        "U6/kXdgfv4MYk6Q44DjUbvdRI/VYV3Acc8n4iARjHIyf3qVakFEdBPBkhH87P2jR2x9wqBPmXTuMHYmOX5eI6snNCW5/fatx"
        "+NVqvnzRtzWw3t3ifqXBmDaYwA/D4kHLwSn9m2m5cB62fgW7T3gc6dd2GpMrerbUAZYt5bAf2zf8/ZCoJawP0rqWb1yWhL6H"
        "/BzXXAzj2BFKuZra0lNRvAHmn0qGOxs/pA0k0KeYvnqgvq9lTSosf/FcPO6Ta2Fe35Rti6nApyvoe0jOI/vv+iry7uW9Bz9Y"
        "E8QB9Oh9FJdxT4+0FaPxYEneogN29pT+lSBit2Z8nXJxGjrOVza0e8WUAIUd5EeWOo9H8So+ItNDv6pLbUo6znxnB8yL9Jek"
        "UTRcdQ3cv68e1j7qNfFwXZv6IeHtzzE+wxElXYGiNkFcHkeNceCK/FG4blF3n+KI17Jk0q/zQhjOwHJWa4f/N1heYmuGJT16"
        "4fpuI1o3JpckuD6gNvGRs6RJCulP4Qwbq6fE4stgu7A/YyDz+vxQEGfwujbA8DLbG8QZbtGo7hKNhfHiIvsIs2W1nqRf47YY"
        "zvC1YUWbJjOc96ssHyq26sb8Pwmfyqx9dry4eFC6iPGcHR3cN89jQcPn7uswXoJYDLrtFYPzAZKKjHQ5j6+COEP44RLHC9vg"
        "fgDzxtZdUGaH+6rdmbfJYrusHUH8RuS3cyBap3yfPuimQijlKtElPlvnOsxr4Qr9KHnkXCIBrx6zg7S+/ONbtWG9a8poPX0n"
        "k8wvoTJOeoXTV4+L3ZWyjGF8cr5k585NVnDdYpx8vs5gpxu6f+T1H4Ko/sims5OwX5uJ8kXJ3w9MX53rimZp9IJxqVHBFypt"
        "RTA/rCB5z1SXQiwB3xGTK9fAOpXTd+H8IL1UEfX2NRfAcZbq5aorHJJJf8pvX9XsJxtxowz02w0qgmgMpmE+q+SaTTsjFVLR"
        "/PQ/PO5xnN9u0GAlk/nZkSDPyYk+t+cy2w+yT+oT+PeY377Za59+XQQRXoL5V6LcLHERz2D7cSHoqD535WlYnj98vCvzxBvu"
        "lyvW8XHxiWj0vfxfVbTuSDcObx+4zTPKKwLnp6OzvhlJH7oKjmvq6rJgPg7zYz/eLtjFHFgE4KL8v4mL8iB7M2cn47XmcBBp"
        "Av+KE2Hn7ex2NokkyPth+mqW5m6uxkGYP2T1frmpAz3MW2KP89+3/QKM5+w3Ym2144L1bvYwq+3sl2tovy+/t9YXlT99wuEM"
        "uvcGFM54wHpyOLDfbvp2OPoekfd7wPwnY4dnn+hutoD3K3+i6uSUH2YHOhk+arK08uNwBs6gmfCaRTCuYvusoXheHSxX9qct"
        "fe41ZhDkYYlwUTlE7ZbwX99inFxRNw967R+7jsoL65KdXf5bRRBKuQroc9+fHVOI+p3xO7JI34rxuOjhvXHrL96B/cQ7jlLp"
        "PWNuMP5nPPj+SV04uH8nmS+rcZRHE+Qlseei+SAyUe1NLEFeEpMrDtpm6Z3sML57YB2T+iUSGY+Wn1SF77O9QcdW4p0H3Aft"
        "ONca8TVf9oH3u77wBeu+NTC/ndHTdUVa/01wvt49h9qCvyb+sTyOYMslpMnrDqCvhJGESzESzgn3gLoJHsTJS2ro8+1bBH3A"
        "Mb991iK0tus4HEdtTDG6q7cU7lsxOXb/ZZydJypHFed4/vr24ezg2vaFikW2d2B+iaagSTjPUbguwUDk/WMEtqsdHMptzqfg"
        "+GicL0KTa5EXmMfZekYmKtcErks4sOPs5YJr5uA4YbPh+tKhxD/mX3VeTT5QHViMPneD0XmCu3Z/xvlX04onFcTyHcD1eVFn"
        "XGSouo/Gb9svR9AaBTHg8Pb8SEPaw9owPsT6aZo5VuMBQbyAxYMZ3J7Fz3bBOKGYb9dpFicnoJ+MGHJ45p65thl2H+T1Gpjf"
        "XnXcS+S4PdzvRtJqrU50D6z/TjDq2Qs0uqB2wft45lOTVA6cHWzeuyT4tn4h3N92TdKpxCk4zznMttWhbNCJoG8AcR09Oe6I"
        "xYPMDLnGd4Ngfqd564cFs67RQN6ZA+Gu+dJV2ArzWiyd9uZ7ljor/TrPhMWDCjK24+PxME9wvX/ILdrvEaRfx5cYTybncIxo"
        "7UAV+v5JjeU0BIkL4exg4DnuYkVpuB6RvjtLvMgM7q+8LGlj/DQD3G/9TXH0uEMFicB+YHKlv6P9mE9iAtzPt266TE/PARzH"
        "ycBk5OmcRPoz/pU4ske8XPmljxfgX4khTPsH78kdn6s32EhgBwURBjN386KjWH1y9Hr36W3Gy3H6KtWZSVBKE8YjXs9O5Kkk"
        "R6Dzcd7LCxrdxY3Dr2iflkaqHITxRJfgtP4UaThPd0Bg1SqqMlX0un0LS73d1fH1OMKh+zloOeC+2Jqal9inDsF9pz8t35OR"
        "QA3zqko57Eul7OE80+RRIwnRqTPw/RY4ftDkjFP6dRxPJFf8yKOC/31e4nDRlVRuAdm1cP/dIytuV2/gM0ff/+NdQlaulnge"
        "8os1Hc82MMF5IQsOrxGx7juoPJefDa+684wfocwP3j4qTQpYlkrGh4ty6cDZwTvaS/jUeJ/D54n48DqHvD6P2nm2V6eq15zn"
        "Rijt4KTMGY/gvjF0XJBshnycDV6u2PYU0+ZJwXK1+QX/JQ8+GAfOoWmXlh09Ce5fzfrrR9+6wnisVuN538USvuB8znGLXhtd"
        "yyfoP05cN0Fe54DJFWv5k8PLK/zB9TW0lm0xOuqGyhGztWkE84IVODt4WuljPFsvrIeOuDxdGNAJ1w/Wj7Hu8b4qiNpf8job"
        "TK7yDkdJj4jAfmy0dO4W6wNzeLs8xf5hdpCuVBQp3toCzld2bLVUcVksaj8SPzswR31ahssPGuntMudvhXmHtTkzsvr721B5"
        "PnlFreDqEDfOv1KWd65vsofrlLZFrLYXZoT7lknE5Cxcklf/x/gM9TKdMqYbCtH5jKaufBGcmsT57ToX6h0DPGGedCc13URO"
        "bhbot6dyxD7uKNOFebQtBk8XxuSj/AjyfhlYPc4mmnq1+/MvEMTJWDwY+BlRkheF69A4uYpikkOt0f08fLq64/09Tpy+ktLP"
        "4bITgPtQCW54XnHKPxOVP6EwocvKi5bj8oM5ajtzLivfh/nyhvHcaWxwv4c378MKNeTgvs6uQ+k3N2mFEvSPJcJFifKDHMhe"
        "7xG9zf4VP9sZZ6Fd3Ti52uGvHbymE67rFdXfvlL7GtzvdZdRZrbIeawfyMh9x33V8+chlH4740LxKfU9cH+VsODcoro+WE8+"
        "kPB/ELYwmgDnF8TyJOO1BoscAgnyKVid15t7Od/U3lkS5KcxfcWw++1s3De475H4dbavIuX6MB77QaRpMgz2w1YMq0XZccL8"
        "ksN855DDK4JI/54f/H19lbJQjpF+6xx+QIRfSSCbO0QzdPWSKc7ZG8T5VxZn7p2tWZUJ98+Z19oY7hSB/n3jHUGOTkNBnFwl"
        "P5/QO1YO9+OJ/irbk2no+/P7EdGik4/DRc28W5bZ8majefF/9F8vDmdQvTH1zYFjFF3fYU26jFTplTh9lUZSeihmMQuub40I"
        "1fbOBPj9yIihNWOUhHlBW0/2DrtetYH7kbWtqegNhnkeT8VPaTTIJRPgKsR+uyOX4YN41hFcPPjG43zv+uxyAhwTw9u5AoUK"
        "5y16CvaTsa0/X3mr9iXMV+F/OEpnCtdrIE1tOyr1gsjqJnZYP8X57TO3sl8m/EY8uDlOLuqq7UN0/97Wn2ivKl2Mwxkea98W"
        "6xOA6/0+71pqeVY4lqBeF9NXx1dHC1qnwOd5VQyqLPEWg++DXr7otEojnC/LS/1Yk0cP8wlHy9VXdQUd/mPxoPHKgu10e+zB"
        "9S1jZeZPbTlJ4L9gz8Xl5bxPddaPCOwHxr+alg0sk32QjNrzpfofluh/6MXhVw+L5SciOuA+rmtPdrHam8Fxz+nUob3reb3A"
        "fX71snlImzEbXd9LlwfnDdLe4/gM6hHh7ivvvYJxeUuBd/Xlqah/xT/gv+8SCy/Ov4oqMo149Ru4hdTVZQ+3hMLvZS39VqrZ"
        "dri/8vebLZflHmb/Mb/93ZWsJXp+DwA+AyfioZHgFV1gS9bPo6EgF6ev1iaa3iz4CJ8XLRVeWsnmB9cpBdlIPRuITifoC4Hp"
        "qzN1IbTaM7bwez4qZHc4z41M/2G8Ycy/2nt/3VNmaTL+s/N3ZnzdxEc3dz3JYVgOOgTM8xWHwgnqFjG5Wmw4bVKyfxKOKzT6"
        "XV43wX0IrHJkBO6Ew/79+Qkri2sP9gM4w+LfxhmO2dHO6A/5wbw07i3ziz45w+coRilldzPaEOACmL7yLec6m3KijMCuYvoq"
        "zzhWzkkY9ktcmaPXO+jBOOGRtKNO+WuTQZxBQ99xUfxIE6z/GBN8k4ujSb/GBbA+kGo2GyW3NHQp/RqPwOTqkXmSe6MUzM95"
        "PVbDcEb9GYyfXhxIm0Lg+NJg0uCgU1Hlf+QzUFHg6Fi/vhOuMp1ldu6kX8czWDz4kL5XXlD5Clyn+UTY9eQifVTfx5gvdalq"
        "FMLJldnK+oF1dJVkvL713Q9xciV7+2iqeh5ctyO83cjc4Q3sD1kbX16byhUDjst8nJoeamODxin/1Iu/xOkrvYsOk7zO5fC5"
        "w6oiFkX3MV7k0xuHr3yVHsKfPzjjscluEOYFOfRevWnrDeM+IWEpywQmYJxLXUwtj7QhiqA+5b+fN2HCJRXNy5iL3q9lRvET"
        "umXJ+PMmhNl18oJSCPixmB10WpNzcvMDuN8rIrfkiKopfD6O8Rmf7I3McH7L0TCuvrINrkd8LtOsfoUqB7CDwkhp2UPTfQkw"
        "P8dza5eXkEWC0q/zZT/1rfVYyHyD3Rp9Pj5ek0jv8DucXAlea951khbOVzRM7OZLCYPPOWPXGvD/aAHby/umSQtjOy8CPJnf"
        "969K9pzeXeZ0hAD/+0lfrR+7tf82nLd/UDE5lM16nwD/w3DRxGXSg6FTcF5X9FLBJ+H0cgK8CcNFC0M/DZdsfoDiB+T94TBc"
        "9LTMC1KOI4xz1Z/y9pWfh9ZFU/D/MH3Vt9JcfeAxHL/tNlqkwGxqj+JD4X32f33x/ZCNB90ye2TfgfPdjRLOS7e9BI7Lb3gk"
        "s3g+XDcbpcFhrtJaQIA/E9lByrgRwxkydDwurHVxU/p13IjlnUtSGwqey58nOE8E41+1sPhySm+MQcftPDHS58/Gh5OruPK7"
        "KdypMG/ExIgO0RRYA/f9GJ96qmEaT5AXx+TKeX/A5zZruP8Q9RtDxZNtLujfPzez8rVfVYyTq9fF0emfA+FzM4xsGXLW9t2F"
        "eTzTGaNcG+DzKpeFxGj1H4TPXT/jx5PsugCW+zELP78PryFclFKuiHgyPAi9i1/Wo5MpBHEepq9WPJ5sbqmB/dhd0tWl6Usx"
        "Hq1J2q6I6wxCOLkant53yFG/DZxPc4/7B6kJWP76dVSH+2yv/+wfFMXcqsXJ1fbWJGrbbzAeQaMpcpPhNMYv5vmbKJiCk6uS"
        "6avH2RfDuK33lovlg9KBBPYX01fNNbEXw23h+pmkqBDRHb8RD+YpMlC1hsJ8hjpNt6dW41Z/DGfIvfNgQDcqD84Prhp/dtHD"
        "Go6P7GY4Eswzwfxgx8qDSyb8dcD7bbZaYhCfmEeGMwRrDeLs4K5D98+xZNkQ+JcY/2ptonFR4i4XpV+/b5h/VXV8nYCWDVy/"
        "ypm8K2coF7bnUzQ7q7VMgwnsOSZXFoyv1DalwedNZKlaq+5yPgiu7/RLGSrbDTB+GqjNx0FzJgv1sy18SCGqCSMgLtr56n+f"
        "97jzUlmOtkyc/mpC0Mca6ycjdV5Q1JXNkgCXx+zgha0B41esqwjwA0yuVntxV8tufwHeb2O3eoCVLoz/FZ1KdvNkhvdvfqfT"
        "jUXCMF4yfmjFsb0Jh9D9itLzKKmw4cLlceyd7klHVMP+0Ohu5Qif9bUEfjEmV7OJ9MWap2Cex93tJFHbzzBPQdr/QutkK8zP"
        "OVL8OKrYluicaqJ4UJowHrylnLLswr1o1M/mVXrPpszHjVDGgzk77rzkW38XxaVOG83frO85gIsHRdy5HcUQuG/j4YVl+Uv8"
        "YR5tn6cOE3MRjLffuiFfbmq3Ha6P3+RNrcaRg/K+yM8LxPRVThkdHcOhdJgnuJdrMKLZkgw/df+M789weB9jbU0GzJOJinzL"
        "f7EthuB8YownEyAWvEKbfwyuLwsQ/hprCOMvnqIfw7rFI/5YPNj/KPPi+YWHCXj6WN3E94kDqv5riwjOqcHkyvRO7eKHq+G8"
        "UGzCh8Rnr/II+oNwos95iUPXNtVCMtybalVbJQ5vf/AufMmpMtg/5RGI8jOUgPsOelyiyhq/Bffl9D5zdPbc0Ufovigj89xp"
        "N1DiomIIraJLun5iO8zXY3isuPhRBkH+CJOr4vlb931Q0gHnWz7dfUvsdhA4rnp4d4M1a7nSn7GDPEhmiV925+4TgB3kRG7J"
        "GMhyu50C887yxY48MetgnLAuS9GxnR3GgY1GhFnzaWE+a2ZgUIdG3AECu4X5VyJHWsXStOb0BnHf2mvzF/JORcJ19I8jz6jT"
        "OMDynC2Ql3DKoh60g8oXLYKlmGAe/AyfxNMhVdgOtnUhb7YvhXFRtuVhaoqrkwj8WCK5oowbsTzOqd2mSaFPYf9Zs5n9ezez"
        "DQGfZjG6L3wW5os94uLR/7+w6v25B7qCOL+dcxt181t+2M5ExHndtc6/ScB/weqdX11LWjFjivHqvzYb6PGuwPetFX+c7+OT"
        "1wfbt/MB2+xG4LxQdln/ygxqEkFdPqav8h/PeOy3gOvVzPaI82o1wH1OvLPsdZ96wfyXXU+TDOxjYP3c17tul5pGJunf8XbK"
        "/KA4gX/1l34yrRIusYd5eP41PZNMGXDfxkPRTSU0U/4E/aCwOvrFao8UOdlC0PUWJzhMeM4XRsjtoAjyrG6N+Ez9C4J8LWYH"
        "EZfSjPkpMI4kldjcd04/iCCfjOmriuTbalHHp8D5tqtKCeeegN8Pv1M1UjtsG1A78897XoWvo0++dfaCJszDe+rL3TyqCven"
        "1r8+IL2vHa4XOmwUxOl8S54MpxFMaQHqvCjzM5gdFPfvVjjkQJSfweyg6x5bPeHCEnRfWP/++OH5V9/uTkjrDYL3cfHMxbos"
        "HxdYTz4QkfM1hM+DbDPgWu7LfQXVGw/7o66tffgaV+fFoHK+Vm5TGZjHWbA+LsDAG+bHtnFQW9IUw3Ho8TxHjdrLcD17SaXD"
        "VYvsCwT9LTD/KulKjNomG1iv8UsaHKrVg88PvezGcD22ugA4b4LSDm4k0FciyAv7JoUs1/sE54lg+NUB6fK6Nv88+Lw2FrMu"
        "9u0BBH33OdDnltdzqJ/mQALFe/Aa57frsTN+YX3iRYDbYvpq8bvjbubucH2K865Xt9IPw+eJUDtGfhQ7CfN8Q97H67zOhvN0"
        "UW/zrWw1StB9Ja8bw/RVIHOsEr0tzP+707c+dc9eOM6zvegX7X8F5vOzscjSFOmYKf17HofSDlKen4fZwRHZ4c8LmGC9Idtt"
        "EBnZBveBLGG0ddi3/DSqNyYV6iYU6ppw+FVMIM/ka5PfqDc9Ok8sye4+wTlJWN/alCLE+8kE0bnXmH8lu2Vsx45vHTDva6OD"
        "7eOzyQT9VDH8ylTsnb5BC9yPe1QrY2bVHrifUbH9cOQnW4z3wPv3Jw2nr5L7dRvZP8DnvYfQ3ksdFggGr3vqjd8Sb/fMP1ZH"
        "z3rj7fck9iz0uZe0qTvovJvA6au+jQHVdXrnYPzgGE8H6164HidDfTLKImQHbPerUw8WPc0FznfmRx6xZlj3iMP9aU4kJxbv"
        "SzUgyLNjdlCsYpnh4dbHcD9fC/V+od1Eefaf+ovWeF5boAz3+VyUI/MqiamUAJfH5Mr88f2iZbpwnfq5lY41z9Vt4Ph8w/Oe"
        "i54F/7HemYh/RY9kPqZdfmcdrIf2GewrobmtSeA/Y3j7M5ORlZ+vlaHvG+ffH0+cvrq2LHmLsmcjeN1jl6NbtZYHwjxQLxXV"
        "A5axZPZS3asalx+0szXovlID83ha06cCq+lLyPzYE7vf4Opxzpw9tu6SFBlvCYkewfeTkTTn6rC8CZ/rUXU8YnMzM1zP+TrK"
        "gpQlA8eXo1XbnFSc4L5+vR/HOQ5uDQXwK7HfzuO4ypdW6rkdR/VTe57m9xf6+DzObTvhdvmNpmAeJ2c+Z3FSeBmYx0mcbQnp"
        "NIbrPkdv8Gg/UYLzOLIsrt2mx2E/h7n2HCd7AcxPnKDaxlg4Txu9v6lTq6yMq4RweRxrx7cH9BRgf+jyrCjPuYN5cN1Enlqo"
        "ThZZvI8UeuP7ybQKf9TpWtoF82NN+twGn8B67YTFxfJnnyKU/ht+RUV1t4XpS5z0DM6/+jj4ql26cz9cd7I6bPKZIFavQY7T"
        "YP1FWSTadn9aXfTzvjjbOL3B1U1sV+p6V73Ml2wcVreI8UXT7YXF+8Pg81yZ9a+y7zp9Hj63ObX/lNurQjSPc3NQY8iND99f"
        "1PJjK3NnOlyXr2OiYtr7BsZ330RrpvuvTkHf31EBxcPLVPB1qWck9/Z0iPfBfXAzVQ+byMP95Q8X6cu/8oD7ZA2WbMmd1Znz"
        "T0X+j/M4bZ8bvSx5dFD5UPhCxXijcSlC6V89UhY7/H0aPj+AmvNWiGtZJQF/HIsHP5s9MfDPLSXQf5hcrV0pnDR6Ae6TpUXn"
        "n99RlYjyh/6Jk8txdvAQVYnd0CMY9+nqe0ndOwDz/2YMeEzyVK+S4XXY+T0YX1RfXCb2yb0esnwUm2YzDr+S8R9arvcKzvst"
        "nrjoUyUF84fMx68Ph4vDeHvl+5cDIZ7hpD9lB/kK424uOm+IypXQ1OpjFks5cHmc4xzpLDakE+i6HMObHi3tnsDhV3yKQcjI"
        "IFw/2KlUkVhQA+M5n4Kefh/hjVD6dRyA+e0lluFVqoFG4P71N7/o3R8G94sMk7okd++TEnp/y7tKXxfMCuPsoMXS/iH37na4"
        "j9e84gV8STA+2bE4Z7x56iFoB2drwjr3WMH1ZTuPP7/5fQdsB+nPrVtZvz2MgE/9X/ErDuTbPFKJ5PJUEL8qv6CxTvQF3G9O"
        "9TVDdenx27DeHTKbCblsRZAvw/rJWL5YEZNyv50MH080rsfFg+dYjMP1GXrgeHCZ+fM9x2sIcCTMDroe5eITtYX7CtU7zxs6"
        "tqMC3df0NeORDr34vLM1+1BCQh4sVynFfjEqTL/RD/TdPjum35gv1u9p/5HTBXB9j8W3xSk+Jwl4acTxYOteJ4maBn6EUl9N"
        "3OfbT639GMDbFyNFr6gPGBvA5yjW1zhe9xnKR/0wYVkrIVlcHocfkfXonTffsxms81I9MxBsLw/jmCuvnJ5laIZ5lkImm1Kb"
        "eWB8vCNzaK/QVAIad+ucitoU6SKA01crxjL5hUzg9aVeOdCjsboQlT9yHi1mB537xTZbXYbzyXuLF33fH5MOjlu3dfVEAT2M"
        "i7owq33gZdH5Y3zR2x6koExU7onrUhc72TCNqp8F61LVy9i4rGxhvp6luFTdPQU4/u1yiJlhsZrzczgRm7H1j9m2UtpBCaRw"
        "xTKtkxvIeFA/4cBYf4ayB2anFd+tJ5BnTF+VHo3g57TKh/n3lQKszOsiCfxETF+tVAqJaSIZgPPNZnhsoNkCy4FHhcFB1lfB"
        "MO/f7lOVq44xjHuX1OSKtD1E9+uoTcOOZUc7/n/LlapxurRukyE6H3k9O6avVOo3fgo/CeenqxyyT3AMBZD1Y1xp2IHDGbQu"
        "33+5ihrO12YKbovbne2Mxm+f6oUUNqDn62Jy5c3Dq1v9pBVdd7X75MiGTTwIZX5Qb0nkl/zad6AdpBovcGbQaQXXp9RwSHTs"
        "Blzvcr2A3mNHrD2ah/jH3+3F+e3rpOqZ33/7Avdf+6K3ZsF4GDhOzap9mfIbmC8q5SnoXznp/cfiwZM7ffectd1PFqfEZzbh"
        "5OqEGvNO7wWFcP78SrqHxqksMru6uPMFhVyJIQX9yaMFk+h7jkRaTCkmXVqBUOYHm7mS3u6KwPDXkc1m4U/WcuH8drqAb6s3"
        "nIR5c09YhFv8eOC6ch91J97pefno+sjPO8Hs4On9SXdiRuD4rV+blMpQB+dx+t52WfaxpqL7RV4vjvntxm9bmptXwXV3jeY0"
        "oyk98DmFbb5Pj73svPcf+Vf8OH9rbp1F52j3IxJaBOerYXaQn7azPai4iKBPFmYHq6m6+L5KwTwADamzVAF+sH+qzG0wOhkV"
        "j64np0nduXoXJ0KZHwzaHMveM1xL0EcJwxme5kUZaZrC/RQev+i1GqElO//XefmJblx+kGFHYKWxOyxXdx6vuhZ1Do73u4pF"
        "02Qlr8N9WKQZMj5Ru4PzySmPbS0K2w+fH/rx5LIlZ++T/j9VXjWQ"
    )),
    "partial": (-0.680614, (
        "eNrtfXk4F3/3vkKUyhKRPXtI2iTCJJRUJJVKhRKhHdmiIkuy72RJ9n3fZS0UUvY1S5a0iSIhv+f5PJnJe5rn1PPrz6/LdbnS"
        "y8x7Zs6cc5/73Oe8yMj+/XUM+ecHmdj//fy/n//3k/An+4+fPXL/+Tn64yf3j9/Pf0n8+9/cvIu6f/w/2Y//Z0Rmkw5nMGn2"
        "Fv+8bi1F04911D/W0SFLLQvTta2Gf6wbLSYj+CpAniSeS8kB11EzeIfwX4z78f8ySPw/X+0/zsuCXh85v9OSFRxZctDxzL3r"
        "gyfIg8B1j549Hay/l4H+v3VoQ+Hq3vEff8fz47yiyPD1tCWKnPO/JyNbzC38jSbh3Y9/8/1YJ4wc6N2oFcw39OP3AiTPY/7f"
        "QkihEnlMtVUz+PnYM1jpRzfqg/fvUUbx6GHRXPB4W3v20hmNFYHrRj2ky47XVcv9D3bV42bUSWJX1Ij9FUN+n65X4HWIabxu"
        "a6tJJ7ADOtQOWIuDLU6zuMr9dN6S86/65ObteN5uVh08Wd+jWQFer3WQVcunu5bg5xNSbxWJX58CHu9tq4nXHBNsVwEUDq8H"
        "PEdBuyoPT3V+dfg1aFc9y7RNLk83gJ9P92CTr/7AWfB6aykqJ6PWwO+byZCwhcRkHrguZP+opXT34//Frm6uetqCs6v00aWL"
        "afZ0gdchFyXtIWM7/zxI7x9mV/s5o81eXs7/sW7jD/sbw9mVXGiIXeXyBvC8rbJ+Ruwfw8F1Z5W1kmr668D7d1yN/Y1jdJAc"
        "ZFdzh83ostneg3a1vG9w26Hp3h+/Fye0K5uJxBuTz1+An6+Hd0DKKNAOXLf4YlROmnQBuG57495sz+JscB2bzrPo3WTlcn8r"
        "Dgq1WZ3nHmz/OQ72MG+tx8XBkNbekjiffvD5Xliyz6w1MAtcJz7Y4N+yJgaMg5T0ynVT5hngfTl99OYLiZO+4DpK5W5nC8FU"
        "0F/Jvi9kEah9A9rVNaNtR3hHX4H+amX2WSSy9jn4+U7ybtB1Nr8A3j/rw0OpLqvSwOMZdUeolzFmgutm3gYeUnpaAtgV32/7"
        "qwstS2jeZLWC1/HWjNvSbiwViIM8CPVLKoOWsMxiKA5Knerx1wiF7YBMiDmspelu8fzzXni989fPjQw7Fn0h0+kBj+eba+Cg"
        "/CodXMdCUxS/pT8QvC/fXYt3OI0Q2akAaqfMxdu23KCax2Hbfvw+XG7e7ubtdIL2UxW7RSf4+ZIa+U2MpeH718bN656uD1+v"
        "TzNv9qolj1C/dL/xhoWxYgngr0jfN8xfOdkmHF7u3P/j95tJnhvmr46dQS44OZWBn+/57MecdzujwedhOCtrbc0fhvoDz/5r"
        "VvKTkzh/xUKVdFq88S14XpojG5emesPvb/om3bTR8GK5X/txHtS/hLYqxUrTtv78foQr8TaRvLcCSLjRVUHauF7werl8japv"
        "xqaB6x4qSSkyfZ6P+2TIl+MnyEQMBFG7m7fTYzOdWzZRwNd7gev6RpEzruA6CuE8jaiWeZxD5K+EfhkHsTwP81f0BTNfH3xs"
        "BK93hMs1fdXXFALcRIfeZxGNzEeLx/IJ/Nq8v+JDPFfXt9+LKy7+NS5hQf2fjuO9fTuFI4vn/7670o1C3pUeIfVX34yM289Z"
        "l4HXUXX7CXngFfg9N1j/2cD0cQh4POZDzs1qnong8dQGkgS6PqaAx9sRpKkne/MZQfzF7Ery5ajvYEIfeN4+ljkm12EPcJ2E"
        "vBOjyp5MwF+x4PzVQv+M+auuhP0UQ59eob/ncl++9OBVFoTUX60JmSTfdRfGnQpbQt+z3YgC75+RncrztpcPwONpbbC5ycWd"
        "Q+Bf2FE7jWhhDDh2tfFn/3KzVquexH/zIA5WszkBud0wD2Lv3t+2DfYvH3lpHnl/eUDyHo3g4qDii1kFdfI0AnyPxcHHlN++"
        "fD5UDN4X8eeH9MQoN8P4xe6GVItPKng82dFsYWfdrOL/AV/90l8dF4mN3p3/Avx8egzxPKajCQQ4B8NXZJwpB8yWZgP+ihvJ"
        "Y1d42iYaQcBHYHGQKnp2w4fmEvC+0FrwKb9cuR+8DsZ9VbSnrZLB48WwF2TVlCeAx7u4N4k1vjyi+NfxHLOrK2l+KRr3u0F8"
        "xWl3b9C2pAn8fPYnlR+d7YTjW+XNl2lPHieA6zJUPZY4SOeh72FM8kDPueL/3V/ltzOSDa9pR3+/m0K1P+I8G85fMW047lh8"
        "4Rkcp/nrIpXO+oDP49T6TUkJi8PhPDl3un11Tobcr/MPLA7S0Mks0b0Fvx/xsfRX+3bGEcRzLB/kIBNkfjaRQIBzsHzwmdt0"
        "Y3TpPK/HR5gP2h0fXrEm0g38fIo56h9deHzA+yJEGcmVQhcAHs/OT/bNyxcZMP+XImNFllZNEH+J/BUpHsf8FYWa+TVq7ufg"
        "eSkY68jKyJIJ8BDGX51PvZua5z7PH4iRrMPywQN8KskdczAeGrTM6JeVfQjzhI+TtN0+n5Sb95OH//l6jIuDO86P5gdlwby3"
        "D3Oh/2ApjJtYA48+UhNxKZ4/D+c/X3U4f5WQQ3HTYms7QZ6C+asac5VgiiO94HmfuJ0Sf6wcBa77nBRYtFoV5k8pEEUWOS+D"
        "4r9lV4HXFznVX60Bn1tKc6qj/UACAX+A2VVU4KITTVpRxb/OSzG7ir1OYcquWAqet2xaS8KmF86TaQ1P3jyg51k8/3m+t2RK"
        "kx3jRkjtqlWbUzDoGGxXNdsufS94Fwx+Pv50s/sN8vGo/WruDp5cJ9aGs6tqEbH7qzJbQLsaYInYsu14F/j5VHZZGxpsiIBx"
        "2PYDfm/uwvfPNmCXCFWNN/rc/KxYdfJiSkGe4ddxkB25Nvq1SJ6sEbWP/mWSasg2fBxMvPfO8KXDY/DzqT82984diATwFQvy"
        "NlXzztOgGvB4qu2X8mUOhcD373H62N0Q2A5e6nWEldUnL4irm5o6cXFw5Xrddo8z8+/bdpL3EuMZ6u5ftXbY0QLzDM89jB59"
        "TCz+tT/F7MohupXikAQcP7zIlgbymbjA/LN9zwOLdDgP3TzK3Tvke/mvxUHHvdde8bpVgefNNdx0/NjiODAOVuzIb2DfFg7G"
        "wb7OjzsTvz0Cz3tm3Q6GOzlwHYdR7NzzyQg9MA4yKYfSML6F63ReDAYMJjRx4Lp9Xg9Ssiic0Pe8vkra1qWhHc+LZlXGBUs1"
        "gv5KZ6fJJb+qVpiXmhsLCB4PBde1frLOCjSE66bLFcg55Ju8/pd88Kf6DGZXrXei7q+98gR8buFdClsMNsUC/BUP4nWohmHq"
        "czqYD3rc2nav7Fs2Grc2LL0Q5CrAiZDmg+c28DgMHwyD7e/4afJ+3wfgOh+zTLYmA0uYb+IeiSw+HQvj3apTNQmCVWied0Ci"
        "7az3/mycXY1tU+rV93uJ8s2KGTPcl73ZEFK7SrWeUEAUYZ2C8WrB+MOmnuDnc/Q50DggAOdH5cX7NCWsYv6avyrwcpuUVXsM"
        "fr79LJcmu3SiAXzFg7D05knsEAki8PeYXaW+O/Wi3ikfzbfeUbxwPOC8FmdXElqR6/fpwP7K1kiw/uuJu+C6ZVru/GGq8H0W"
        "NYwNUV4aCedvn5xYt8yGoH7xZG2TVi0aV7F8cEPOiasnz8D8H9n2u9rlz8J/jtOI8NpuHC8aUvdp7zJ2OM48HqzzN+qC34+y"
        "qjt8DR4R6HWc++frKWBXpH6XDLUDTS8deo6K+fxSlKCOw424lXz7lLShRO7XuJgO5S3OI7SCG11gPuLleXLetZWXwLrzIkPT"
        "5fU1L8HjuU5eunHHAsaxuzIoyc65wO/5GNWo8LXNMH6x1LvDn7c5Se7X9R7MrmSa30TvmaoEj8fabbjenD+SgGfF7Gr6SerS"
        "3I0wv9Zw5qm8XZ82uC4wqjP9qkLaX8oHGRHa+4tS910vI+BfMNyukTvQpt0G16fv3XnH8G0dXK/dvdV+5NDiFLCO0zV2WmvF"
        "J18CvIbxV+c2rnQU/JoLnjfVh+ptqcx9cF3seO71+xvPgXZaUUm39dnGYMBfiSLC4s+ot3XWovfVf1uadLQJPS4O6jlwPhAa"
        "h/1arx5n3L98KngdWksPPBliCAOPN+Ky9YoOtwdgV0K/aVfsSJhyaMy15yUEeQ9mV8HqJ4ZtPjaD16Exs1vc2D4ZzAdvr35y"
        "6BxvLXg8uv3MmS+d7eC8R1P4nd/XNII4zY3mb81599O+vPIm4EF4UN4zZvk9DW7RbLh+LjNoE5+ZBD43DWGFJcIWjuDxNAtk"
        "CoqCAwnwPeavNlYPeR0bfwqeN7Z++6DjNxdw3ZRLg23Jypg/jIPUyK1t6/goDrAipHa1dXtkRvGtCoL6AmZX77reGS29dwe8"
        "Ly94PF+FnvNdUKc7HPoKZ1cegcnXBmZgvegIz46MlMuwXvRexfbDyxWTwHzQvndpe9RV2B/s3l7X8XIAjqvy7yLf57jeI8hn"
        "MH8V9EpJQ+dMOYE+AvNX67oHrL+PVIDXu2Fjy5ebZ+E8ZVbiSKhmsim4TrIj5FubVBV6v1rVTu2yWNEE2BVpnoLFwdOOm10n"
        "zR/JQXEw91Jn9a1Gfxg/v1NJHI91hvXU3ZQ7SsUDUL/xzcaw0MQ7FoevqF3TmMnjasHjfWuNu9j+4SF6X5aXi//ruxFnVwVr"
        "n3/Sa4L1k6IBbY1Fm67CekLmcZUyiwW6m3Dph/U4fPVQcYWw4Sc4P7q/XNw880kUmieft0SUW4bxOpnH1D3DR8/C+snMDW22"
        "NUrO4DpKR73OvrPxQD7I/dv46oQIX3/1/gIQX51YSUvm0g3rhtN2HDNr/wDjYp7GNlnVx/EAvmJH9qz0Hjc6BsfBLSI7N3Ga"
        "28D1Qf1YKbFM/wX6iK6b1XKkcfCcFbOAVTLMA+eaan6/G+qF5rV73M5sikhmRUjtijXl0ByrF5zPMJf0fezovkmQT2N2xWm0"
        "/k2WO+x3I3on0uv7Yd3IfQuzA6bM1n+ovyL1z2TodbMvGU6r25hHgIeo0fucOhgvVMdViL5HtAniEymSpPkgO2JtmuI3PJlC"
        "gNewOJjbrJwVp1sP8+MhPK/95RPBdYusBQ5wCZv+HGeQSvUBnL8y231khZwrXFcr+vrEslxaCtYNP1zp/5EbriPO8Ovo5/rA"
        "esfv6dZJgpcr0Pv/OGzLasVgepy/urA7OO+rAowjLitpvnfKgOur2v17bQp8vAl0/6MkfAFkV8LI0pErrNa0iT8/DzLeDaT+"
        "Sgh5mm597PKmVDRuBa9cG5f5JlyOlGdg+iKhsHobXPezpUjwubvMkwAPsaB2b3Y1TntFURWBnWL6K6aaM8NGnaWo3SdMx0So"
        "GrPh6oNtBqLStbawjnHf4yCjt/awDoDLaMpijaM3uM4jXmAsSd4YXOfwao24cyyc5wmrRubQMjnBuN3poFZSP6zz5VeTeV/c"
        "HQTgK6HfxFf/ijNTMQpKLdmoP1E38qjN6yXD1Qd7nbqEJgRgntD0pG5ETGUKep7PXWvWbBHnRkj9VWWhpdj42UxYR6FNxVZE"
        "BvMCaolrt8h8uPFzfCM7RI/PB2O0058V21eh7414YZTrB+9lCGkc3DzE/ezISlhfxzC17evFdthvPEjokdnueAfGnXvN11m/"
        "iyHAa5i/sltv8SqsrgTWyXxD3iswRcDvOcOZI/nvrhPELSJ/RYas1whnecDDiZDyopFXpYcyZ+fzHiKegQWJ96nfXd5QXPxr"
        "HhjzV+FBwQ3FArA/6OAeqPH+CMeFY3Lbo/voHAh4W4y/CgpJ9m0Z8AOPZ3ZV8yj7E/j5PqriPJUtFkig18P0V7sG9PoSxcsX"
        "8OO7mV7jcPtIcauP7P1CmI/gsU7SCbkBrrvHokaXURQJ1wffPLDlcYuH9TSLbPksysIIcN2f29VSfkZNMuVo1D5Cjh9cM35H"
        "ACHl25lOni1n+DBfd5Eieb6YXb30ieAZ4oXrySFFYn1b3l1D45Y6+VxGZwA3ro6zqlwuv+QIrBcoejm3qHowDj6ve1ltmt09"
        "8D4fIjPMObG3BMUbojJiGsWDszi74vdx18teUgH2D0oE5u5rPFgKnnfHljuNJp5w/6DpRqfnSC1sVyUfExppfqPPy0640NK9"
        "w5+ALyG0K8J+HMdPiodoE28V/zpvxOKgt8wmlredcF4bVX99wpIC1quwjljK3kiXLf51XobZlWvOcYa9D+A+cFYhNUVD9Xmc"
        "Qxr3uVE74NkiffH4aDka91/ITNz8vAYfB3cZJJUU7tQEr2NnpTKdLdN8HiCJ5A9HuIjl43mGjE9f4scuwLyUeU+z3LJg2I9T"
        "bRKRFvkO+zV6Fd/bDQqB4LrCFlHfoaulcn/HXwkge5cVNXtKRQL8FTeiEkK3iepALhgHqxlWDeqQwfqNMi2nlRJxduj7IRVr"
        "96/vpzi74pXItuETqQePt9IkZEMBJcybzQTxWzg6ZBHwwJhdzfhkBnzvhPWOJmumWK48he3A0f69/uy568W/9n8YL/rkaAjD"
        "7RUwzjY7UrwyiBm+3kOppSc0DGBdH3kwoyR7nu8f+itSfI/ZlbFCwGxXhC2a58k9rHgu9KkBxzNov76f68iVJvdrXIfpGbJf"
        "mzv2B8Sh54nU30leO7uWBLdzI00ad5lpD2cR6Eswu3Ln+2B77ctm8L60Z7M3sDG7g8+3uHp91+TSu+DxZocHRHjYg+G+d+PU"
        "RqMtMF+sNec1zd6dLvdrvhOzK03OuDCjq0VwPKcPWs312BXWpQ3Qn3pwHeavPFIrg5CIYgIcS2RX/6mn1O3swPdNXHaoFZqN"
        "Q+OFF5/yv74jcHGQVWQ6vEg3Bp6TsJJ8uaE2rPvfLL6ZVlfQGeUTgx+vEd++SRAh5RmOnEs3cfKrQOPM5x3Px3c8L8fxDDrs"
        "n4M3+lSjn7vfIVOe8TUnjmdYFSa8ybUI1rlFpfo1LU28Dl7viTj/XU2WcL2nxn9r/jKbeb+4Edmyx+5f3404fyV0byb99euX"
        "4Hnrpwq/h/TC+fSF7uUjClxW4OeT3GDvNEnlStCnSdSPQ1o/x3iE6XQvifDEHPC8+7/JZHJuiCXQb2BxMHlVvUdgH5z3fJud"
        "oa5cDuNndjeXLgmbIAL8h+WDQ7aBT9PUYL5JtzHAXSQqBM0XKBi5+L1XryXBV0LI8r6C8B1XLhHkKZgOmWN8x9l7WTBuuncm"
        "JKjssDncN5vdlDSdFgfy7XamuVET5PD7oW5OsWjTefg+D2e8bVeKcfvDOEhcd67Sa2SKvTbP3wsT8gxqHcEdj51ygP5BRuTc"
        "1IeIY45J4P174mPYuasc1qF0vcqmyKaD44yjUVAJG/X886BGHtnQrGU6yY/zV9wPG5xKT8B9mtR1NoZP8p0J/AtmVyarp9uu"
        "MMB6Wx+u+na58ngCHQrmr05WaehLPvcCj3eppov7kA2sd8zXOhmh6OUN21XliueJk4UEfBORv6Ij0b1i/mqqTMazla0Y/HwV"
        "/MeaqsjjF+D2Jv5XOLtqTlnGzrkHjpft5vFLHS7eA9fNdcQWrrvjSYDr2NH3t7j+RsSxlBgCfIDxovu+X27b7UOE6zDcfrZ3"
        "h8w9Khg/M4keZT7lYgiuEyumCXtG70/Ax/6Er87pHhDngP3ugCL37alWmI99/VbnypV+uL6KGGUdiDL0+WPcTnoYNA520RXp"
        "t1uA52VZzHZ8QHBeb0vEXwkgW429A1lMAwniJTaf4YmL6svv6bflfh3PMV3fis7lKzmGQwj0cFgcFOA4drjMBe6Lfk5ulGxt"
        "D/f5m+9T2TlO7g4e7x2F4A0Otmuw/nQPQ0282gMUTx5yOuO3U4EVZ1eUY8qyGmmwvljSVIBn+2W4bmq8xpVNwvcGuC4GCaPw"
        "cM+X+3U9j0jPwI30C9R8NLzijdO3f3N4W2b6GPYvXDU+tvUpXgT8BlZ37l5Hn76mOosAl2B1HL1rO6b5E+A6GDLsXlGjxQU+"
        "Xy4Rjmci0bBOVSqjsn1XZBiB3fOg/m982xjV2Id8NF9glE5bJZ32EBcHNSLXrKi3h+05tdl7hb+vDIFeALOrcnuzwp2c8Jys"
        "68KRzCmb4LqBsdNuuRTVGHAdn7gnm4J6DAH/R2RXjMh2M+M3oUYUuDjoQZO2o3ccziv2r1qpcfVlJIGOG4uDXDpyj4ekYL59"
        "961lDue+z9f9SPM8jGd44S+3+kUd7F+Q+y0vxzjhOk7jJqU1dCkOBHOZMNw+OsV2ea1TMoqv+LZd5d12tQFnV9Phq1e/aYXn"
        "g4wzl01W74F1eL5r+YWHEuzQOE3/z9d7HG53OE9/1nUUjtOJj4fCrntF/cb8v6qMqgN2cr/G46Mkz3n+ixSP/4SvRrT9rhbB"
        "8XzRDsuKt0Kwvyfbu/FC4K5oFD8fV1uSlrSVn4S/EkIYgluLS76kLPC71Q3PcHZVIMzm7CkH55eCe97vP7zJjkBHhuErw2EL"
        "+fIBjG8fJ38qccf2Gw5flZiVkfNfhPlYsw2RdzvU4fpR8W75+j2n4f7a41+phOsbDAjyBcyu/CvEH6r7wu+v866YD6K68HvJ"
        "bqG+5mMiIvdn+EqcwK6EkW3HnWu9qa4T1FcxnUyVybej1LJhBP0LGL6SbGfy0Bmc7xPhIYyD4uSB/chUIXi9h+kn1I/zYTxw"
        "q3PIv77xOplXbI1uguRE9SgsH7wdHipH0fYM1slI0i+KXAfrKLjsyahbz8M8DcUemmX0uY7gOgFat1VuXKZwv9+Xm4JaTjBP"
        "eC3Lhs6F2wtc52QbmbHRJFfuv8dBFlwcpGH7ypbeuQgXB3M8XxuXOsL+quc0rZHcoWgC/QsWB9XsV9IeDc0Hjxdwe7GL+A1f"
        "cF13g9bXq56HAP6KD/HQuqH52DKRIG5hdnWITY06shDmQRK3TVS+vAjPVfs4tKWYefdNAtyJ6dsb/AOtUt6VEOC1n+Z+aJ4+"
        "mFNdCevvP0tQrQ29BtcNeBm/xQzDfvLy6svu8r23i/87z0D32zxDABnX7dTCPPD+2YSq0/RWwHWwV2ctZA4/Mwb6UoWQLpbD"
        "3CvvPEQ/bwWdJK1FJCnfzo5k2Kz1N5iB61tnvggZJhtdRf2s7gr2FysM8Xx7T9Cp4QMRcD/i8GHnS/xFiejx3pmcKNB8z4WQ"
        "4qvNa1+9LqCH9QKSeeLlQwpwH9rZh4Hdds6e6Pub2zVHLVGB1c3n7TTtUZJEbBUcBz8WXU+wY0+F9WuLfWooGKz+kGcg7psI"
        "X8V4jL7MpPjXfg2r4xxwzFjTdx32a6aaXiU7A2H9RiLlZJtWpz163hVmPStXyc/i8JXfM36tdWdiweO9sTh1xDIvAs1n/nNf"
        "PuD0DFnqL9UMplLR36+WsmOSsovC4SvZW1+/2J2C8VXm/uXW3tOxBHp5TM8QtPz+tF8A/H5wqLKZvBaG73P9itdhiwQ84X0B"
        "WjwVb1NrwvUU6spZe3vMPurcqpaOU64iwe1kJHb1X453e8+95ksJKM5en6G7i9lgKc6uRqaGqfoYzeH5L1ahNKfbHhHwk4zo"
        "+za480WZ7HtNuV/jexbUDl4sMf5mZr1wrt9h+0GSOCiE9AjYz8qypKLH85AdWyS4lAchxe30aduXT2yLJohbmF3V3rtTrWgO"
        "66AsvtwY9226DOvl+/gsYwzgfJXxG4/Gjhq43v3uZCKfdW40jOuqs+e+xsH1eNUZtwtLVO2K/3s+yPKb+SAjIpYlf5j9fCp6"
        "vFGLorlne9fg7Cpxe/aqjXaw/v5mWMD9YYd98HU0a1qKCMN599fRL84cVx8SzA3FeNEbDBSbO3xgXeSOnYHBwRtvo35SmeOL"
        "ZOidaRzPUJ171EjDJZckPxrA8QxPxI/l9p1/DfOYW4OmD96Adf8eHR/2GhwIItCHYXGwfEfCydOt8L4A0xM2ph/94XkUO7wC"
        "WF6ts/pL+aAAcojVnjpK5SrQ78yHeA4mJ/MbBRX/Gq9huD1ovbYs9zZYd83qLWZyMziKoC6E8e3nL59p+OKeip7XfLmQ3Emq"
        "dTi+XW+jG+LTDz+3EJWPs7UTHuC6y1qlHJzK8BzrfVFSinXxsO5mOmdCVD/yKBp/XZ0/IwPv/HC4Xfxjjtbk/nLweFVL7h1k"
        "2g2/R1v1Zk+kn4bjTAJN0CBzbiag6xPC4faFuBjTIZ+rVDdwuutPkF9iur7wsFN22elXCPgDjG+fXupgzPgkE7WDspyVh69b"
        "8CCkPMNc79Znbc/hPs2jj/d0aPTA+T7tEdqti3p0wHU3Nhd36MvC9X2F/RpyHw6Zoe8hB0/yd24tHhxub9y5SjdjOYzDjN6d"
        "91tMC9e7z+/rec/C44Cet4uvRtsrF4/bTWn979oug9/f0wcvOw87w/Wes53+NLxmN4r/Fr7SnJPLE0yPBfHVbNVqsbG1MK9C"
        "p7Sc7zhHAUHdD7MrheJMMbONGvD8sGTlyVkTc7n/zjNwI3fi6RbV/4Y+zOT0OdmZKWw+Q8tM6p415vg6zteSz8mjBptQ/6JB"
        "y2oxdKkXFwfF9JO66rJgu+e2jNIbZTmPvocGA9TaHL5CuPqg5tJsmZAX1eDxjlOt3Hs4LQh+j+Jk3sgowfb8yGrzug+s/n8Y"
        "B4nyQWHEnOuLOEvhZRRvEPV5kX0n08yXhPPVrIs0/VemsH72hc8Nqzu/v/uAZ+Z6FlrHIdIhtxY6XODzh/nToqxzKpuFAhbM"
        "/Qj2acXxV0efr6nTQ+C5Pa16btmP/eG+QI1V6mX+FK7oef6hpVa9xeWDq+yKtENZYb/G2FdnJXQX7i/TOLFIoFcE5llpeuWS"
        "hxThvEJmcteeYzIZBLqCP53PwIO4tL/Me3PKD+wfvLk+v9F1Ecxf9T0xNnxxIRKwKxZkUvFLiY0LPPdytONinXH5reJfPzfM"
        "X514S2sTcQN+bh0pqrlWW+A6MfXknTKl1w7gusmp8xYxx6xRP7RQJ4jZlXKgL/+uAVhffJQuJCDFJhS9Xo2w80YzXfj9JtKl"
        "X30gc4Tzwdsck3PtfHIwXttH3/1qec5fwlfUyMdHD1YU7oP39QjM6LbhuLmVoE8dq+NUTHhcN9lYg9rVv6d5sFAM4uxqyehi"
        "LkYVGJ/m3HkaLeFuKfffcTsfwhHbNU3+dRD14+yVV/71nYjzV7ZSZPGhjmOw3yh/njvGA8ePa2Sbr9Xeq4bXLYnyM/h+G7Qr"
        "JsWKZ5Fj2SC+OtYp5vdUELbTqjUcO9KV42F8mrM0c80rS9Sef6/fmXS+CpYP6gfnnF6L8pikeO2nfeJ6GlwdleB+IWa2g0uY"
        "DJJQvLZQv4bZFbVYFauaLTzvK8y5gfXGujw0jyiXPpSFWHDi8kFJo9b7vFrw5+Ou3jQY//Yc+vk2cHlxPXHkR0j5q3sOeedd"
        "5OE5n0ef7jm1nw7ef6ZVdkyOlQGetyQQ7E5mM5Ep92teBbMrFUu1qwX+yeDxZCNt+3yewPs0lBz9aH1o4NQf8u3EPAMn8/Vd"
        "UqwXQZ5B4g3dOitRvwU8EjafGssHvYV3txd2FKB5xW1DZQOqKBacXaWHMlxm9If1a1EpzOpREbBegCVAWcJ7G9aHwe/f2/Oo"
        "B69DTpBz/vBFD+YPPvNWpl7bZw/PPa+rEjV3hfsqTVukaXeSHQZ5hu+ifOeOI3CcNshuH3l2AdZVJT+xnAi8BM9bkt5wlV28"
        "KI2gD5fIrqQI7IoHOT/l/m06+CaBLhzjGe6x7upv4XEh4LMx/spjd39/c9Bv7Kc0tazts50KGh97nCcopxWocPVBjxHDgUd7"
        "4bl0I+4b5S2iQsHn+zlDYSRyC8xn76dPpNWLdEH5Es45x/ufKzhwPEP4FWTQpwiu02Ul03tmmUYSzAnE7Cqcn+vkIVn4OnYc"
        "Vr4hcwTWUSiHpK5XqTKD+zqkEs4WGIf8JXzFiHx2pFjiW+UN8Fd0iOxrpqL7qbqw3/j0MOz+aVjXrGrvrKwUdIWAH8LsKq1Y"
        "havvAIxfqnRNik+HxhPgOqyOo17on/uBJ4NgfhgWBzX41VRbJuA8amm8oOioFazLEOqzT5bZBduz4xezHF2JJPS+1Pq78jif"
        "58Lhqy56sakS+gJYT3hGMtHnCqw7HCt1Y6G5Y/unffQkuAnD7RuSpAY3cRrB/QtzLCVvv0cR8FyYv+ofmjq+mQGuczYz2rcm"
        "l/40x6azdJ3zgxEcz7Bh7vZpKanTcB/fxG4Xo6U5BH4cs6uir69q7yRcRXkVxm0qm/XWjOHs6mBZdnJljBOcrxadl1qsC9eJ"
        "5fMti1o79qP372rnbW2pIQ4cf2Wcmma5qx6el3a2kM1O6Dzsh5ifObF8rIV5+SXh4Unjhqlyf1YfJK37Yf6KyrNxybRoLNDn"
        "RYfIezhUsPHC/VYDlc1G+2YE4P5uiWQJ+QS4T2n3hm1N5cGhBPpTDLe7OmXee3XrIXjezj3r05Uv2RDoMTG7ujsSLB/4GtYP"
        "BXjGWTmbRyyYG9qv/hLHX/kJCslSmcH+TyFyq8inyfsE/WCYv1K1rX0z1QnPEXlbt06c8yVct5JU7lxevyScYH4JURwUI8Tt"
        "3y+ccrNFPND3t2ILOaNJ5UqEFLfnsKxI78vB9lf7j26uH4fbc78yZgS9ifs5n+kx5u3A8QxhliqfEpbCuIRj6K7Dnh4Yb0Sc"
        "ZtP5nOwl9+s6E4bbU4S3uyA3n4DPI3zTa2+LPXAfn/uQvvWLdDi+kR3suzjjDvs/9h2M7rlnTQnw/U/z20vGY4enYX12k3Sb"
        "ZCAdrG//vlm6p87h8h/O/SDmrxY5NknvWgLrVD3NDTi5dgsC/JUwwuNnzvSm7AnAX/EhziPU0ttXYPtUiyzZa/4wrh9Xdw69"
        "K94sezmaxD76cLxogZxKiYwrPI82IJljtL3tCozX7h4VNw+D59jwru7zPfYxjaAujvkrYw9jacd4eN/cfQ/OMLJpwfzGxTm6"
        "7HAheB7tnQa29YxrYd1h1l7h6fPldn+Ir7YT+CthhFZpmf8lSQP0vjTEvDPbEs6K469WPBiQnaNMh/OtRf59J89HoHHr5onv"
        "9ic6eRFSu+qeKLO7m4vFtwBVB8X1RqS4nQd559CtNJB/8Gf/p32ypxdnV0nVO0tfacN1Ou1jZTVTvbbgutdJ8ZPuS+A+YVbT"
        "lqnomGgsTz4imGa8SBBnV5ulFnNSm8P7KhjkyJZQssF1iMds5qlfXGBdn5oyK/mGEl1wne+9/FtnDiUDcyBFf5MX5UE2yEZ9"
        "o3cOJ+jDxezq6YTk11vnYL/WZ/mlNmUyGT3e0PLyu3dUSOvO3Ij6nXNLm77dXcD/ub3Fz0PmvHNcOkgdnm9r+t7MR+kizCvX"
        "GW99v5EH1rOGJbxQVWrSQ6+j2DTqOsNeNhzPsFxx/DXNziHweEkJQgcezxag/t1EzjpcN4IPh9v3MjWPF2bCuL1nWv3ri9/Y"
        "b0IjwepISzPMR9zOPrFEPOVa8Z/xDJKEOmSDLo4kil4PNE7dv3DY7+Kq5Ti7UmFhevOlE54vGpaSymuzFH7PFehH9Y7Z22H7"
        "q+WXMk4lBuPsim/lw5ed1fB8i8XtBl4P2B4Q6B6wfPC088yKAR5PknrPMA63H1Gz4NTYA/d/UH3dG/x0JawDPc3YQntrGNZp"
        "XXp7Om4szw6s43SsUZrsEMkBz/t82e2kpES4rms7JKRxWsQE6EvF+6vpNl29r0r2OLv62Fdeo3AhBtUVvF63M5Th9RtcPigd"
        "djRecg724633GV21JmG9D8d61YJITx/0uZtkjWlMFrrg7OpUKYPj5Go4Dw2Ycz2yLjB6gf+L3dGIsyvm0W2uc3ORBPN4MLt6"
        "Ut9u/+ItrA87mRzZ57rdGrQXF4M90z6pD9D3aIbRf3mp1AiObxcVX6WozAPrw2i/O65OvgLrMpoVHkg/F4Tz5AtKZXGF+4z+"
        "mr79ol7+UpXZCFB/NcqonLF36CL4+ayDhnLfeWUQ8FJYPshhXKR2YE4Frr9t2bQh0CZL7td8E1Z3HplYao00nECf2wYP5U+L"
        "AzNx+aDJM2qxb7z98FwD4cJPl4xhfreKsoEt9t783JQdJH4Sw1duR6+aMAaog9dbkGjAe7lCbYGeX0T1FS4ffOtUsCe1Bbb7"
        "SEvH5Z9ewfrxqEX3SxQ2WQI6md+3K3Vy/1G5K8cJ+u8xu/rm/nrFu23wPkS14T6hOkwon00y3wKzK9v9qhdkLGBdVZSL/Pt3"
        "C/XtJXJWfbh5Mq6hRYc/o3kAaXzD7GqorbmJKgjut2LS+NA3cSSg+Nf4AMNX97fpf5jcAudvYndoz9MnYX1AYjOG+yKp8P6q"
        "hjLDhbsQrodeLn/25iIlrA+7tO+gIr8VjK/4/Z/LFpuHAfzV79tVWMtBa2rkSPGv+RLMrgyV2pauqIDv3ypNf8945/n+GdL3"
        "F+vHUVcUPEHVEg7245wJzT/nvSJrwfuL7dOF+avldmqSlHuKUVwsJG1cr0QpgOD8Vd4H44Hjh+H3I0XLUtgRxolKdYWqfJ2e"
        "aL1bKok8nTyCF5cPUpaeOGSzGN5fV/t7d/qnvgC4H8dtx6r0t7C9tM41xq6+DutoT+qvbW9Mf/CX+gfZkeOq1v1pDnrFv8Zh"
        "P+EreuN3oX7w51t5lMVDFoko/jVuwvxViTWfSrE9PP9FOvvsl83b4PztSPtITBjrFYJ+RAxf2apNnqOcDkFx+8K+fAxf1epn"
        "HUyvhucxVq7wffAegetv2ifzZB77WaB12IX9jZi/enu9Wna7FazXiw3yefJmGM7PhUtDG0wDFOB9dD6xHSv3SwB4Ub7f5kXv"
        "xeyS5PeD5zzRLInatlGeD30vF9aJsbm1Cupp9COD83o9on3DuRGzZSJTtYadBLwUhtudo8aNnhnDfeVZGV6F+zrhOa7BYhVW"
        "8RQwT7hh3cCTyky4j1TNlzrt7mGsz1o6Yf+Slk8MJP5KFNHuc/go/jALzbe6u/79NYCzq3odr8XBJ3vB6ygse5vClw7XK+yr"
        "noVVbReG9RGja3dfoL9e/Gtc/Odx8ONIymKeE/EEuBibA8kt3ixauk+PABdjdWe9M6diytvh+yIeJ2xWEXAUXFeTsVd5XXrR"
        "At2X8Y0qHL56rX/udVsSz4J4WbrxEa7fuZjt82LZ57nodYTFaV0vbI3A9Q8Kb1iyn+cmNs93oR/H8NWRIqb0C529oP2xZXze"
        "6BR5E7xeBXEr5E0gXJ/RD5F+6KoAH+/ilpqIA2EwD2Jyc+asDf1RoO6Mny/667qzMPK1gfP46fcPUZ5h4TwKTH/1Ok/lgn/k"
        "fB1xC4kfwuyKftFc3oUVMB5nUJzTX63nQTCv9Cd/ddupyuE39lc7mD+qu/8j3G/foOZsevZTOAH/h9nVsbcuQ16z2Lzwhfua"
        "Y3al88Js9OiLLPC88dvJVZoFLeF950TYd1rrw3xdHFn/pEU03Nc7euXYaskKeJ+GAXsqnjOF5/8az/Dc4/2XuG/hKM9Qxed+"
        "KJKStO7MgqiTS21vVDJawA+RcTTi7CrNoVXM3bgFvi/fyO2j+uG5TDMl09yD6cnoeTZsfBiqLcaELPRXQshBSd+Hwft1UD+e"
        "eL08YYccJUKKrxZ/zmznu9OJ+qHylCcKluEvcfjqRa6P6K3jb8HrEJ8hkxXrgHWbiTqaoQwicL1b49vFgOqLLgT97BjPEN7X"
        "z6ZlBfMgCL11J5UqvF/qccNyHwoBfZI5riPAvD7SuQYYvnL43HCMfAzeD+OF/FapzEABgrllmF317JJy8OWuAY+3xd+ux5Az"
        "hkBfh/krjuPr3Y6vhecNO8rEmG90gfXeVsnePe63vQGdjBAyem7arS6i4uf4q00TUYeLg0JrGWutLsJ8WCST/0u7Qdj+rLdQ"
        "qN/lyPz5vD0ni17i+CuKrdW35Dvh47nxvTcRZobrJLdFuaPNN4X8Nf5qVFpF1cQN6++eXOLjLNJlhcsH6Qzoy50GYf0abcF3"
        "kdScZIK+Jwy3K39aySt8Ip+Ab8LsykH1nPa08XNY9682Piv9Eub/qOsmXp2/ZIHmH43eR/PC6TkQUruqO8868OKZD3of2nPU"
        "vredXoWLgxfEXojRTPXAcz/6p6IpNC/D70cc+XCqEYYLUxTe721MxuuvhBu6ad63wfXBNLaPVufyb4HrVr014Lgrlg7o2+lw"
        "+GohP4T5qysxrMkfKmHd4WzdyJHNE3vg/Xt02pVWTDgQ6CIxPcPtb70qFZ5PF+yv5pvVi9PJ1Mg+HFZalYvqLWZqVfXj97GR"
        "xEFuxK5tM2X6WAec7wcUfSg/DvcRJFJcrhwfh+tvlE59zxvJMlD/t92tX9Ktvxc3V005mu5D09tOlGcIHbL413cfLh+c5t62"
        "59w6uK9jTqufr38FvK9gZ1erbygljNcUdx+b1UP1tjv+//n2oZjn7zbtQd+Ptn/4nCocbr891TW4MbgMzaNWNxzbp7+xCKfr"
        "y9m+8vrd1yUE+45g/JUOdWTSyHp4fo76s1KzaGrYj7ck64tu6YD3e1JycDXp2oTVd1Ydzd8Wvq8Th68YRT50ZuyH97OOUuOs"
        "9NbKQt+jD4e01s1KsuB40bcR43s+9cI6oxZfrkqXakw/9PR5iEntNzYcvqLITu1v0GyG33O7O48vV8D86WV5I0/vsDgCnEO8"
        "v/NCfSfGi7aSPw1wb7lP8nd4HTKdNsWhKY8w8L7oM+3vMvQ+s2Ae7Wq/PpxdveAXpVkt/gI8Xvmi02oz7rBe2Sj+c+3UVUyf"
        "LVJwJU+4hBeH230+7WhrfLBgH8qSSrkWnF09lzt25UMQ3D9NIfaqmXLaDdYTtkZRvTwO56sVR3L6TtUdJdCFY3bVPSD5qdwT"
        "ft/kpu5XTnVvhutWMW8k+1VDUX6NlWHczKGiE+DbSfN4jGewH1ml1rbhIUGdHbOr5VQ3bGdb4H1HrLp1Pnys1EF5i//sx9eD"
        "04vKSLnV1hY2oJ9nwsdbWmATO0KKr9Y1mlItYx6E5/GcZjBRZ7iJ4qbWKSHHYQ1eXB0nistt+We9UfB4LR3KoxxscD92wavX"
        "0ZL2Ogv2UVxL0YSrO7+X2fqOMgXuXxDma+lOGod1ZCq06t4buuC5VtoZ4bMH5WF9u85cg3u073nUj3/ttvpYNNn9P8dB1aTN"
        "M4skdNDjTZUvcpdjx/srLncFVgYb+HqbuLIsO8ZjUTy0cG4KVh9M/5Q/W7QD4zdeCjol3+URwNUHydZEZjsbofvKIDszr0Zt"
        "PcOHw1dT1fccvkrD/rRumFGB65o5QR8u5q+4SumY/dvhOLNCe4/aqGcSAY+O2VVUKIVBgVs/XPeLUAtN1ITrkubu25Yd2wDX"
        "a0ul6A6dJofzmVOzKpIN6D5ukr89D3lhPR7D7WU0Ch6PXGD8F3P4rJbXDU+CeR4/7QuQvaoT4YL3Geix4trSYnAHnqMpwFxK"
        "V+sLzCkSQnadNa89/yQUxc8L59NgcfDALl3PDr8c1D9Tc1mPllKl4OzqBMcyFYZcWKfqH8q72u8orPM4Y/xGNpkN7meP2Bu2"
        "+I37WfRz6+eMJmz0tMHFQck1198dmcmH90OT5M+NdImD++4+lTgMvr9JoBsm4q+I4iA7csrhW2iz5Uv09w9mTb3CbRgRUn81"
        "Wk9TRGkI479LOhE8H9E+em5kwz+BsB2Hr+aM/Zoe3myC96sMrP6UUg7z2S+2mG6YoLOH9yGPLPtStBXtM0T6amdrHnDidX0n"
        "UgRmukouwvvwttR9Dq3NJqirYf5qsmOv8IwmrMPzoBTqWqSWgvqHTsGxS/uaaXG4XVmY+frRrKvwPj+sZr5m90XgdUucDqZt"
        "jQfw1e/HwZPB8Xf67IxROygs+PfXW9y+AAzmcuxtwSGAv+JB1maH7tlzPpqgbo/xV6Y2+zY7Foejf0+bID6RIonfN7z78KnL"
        "2yfgfatoog8/XH8AxhEsdKVmFMrwvJF8Pb7V1+kEF/Ag/KJPcbzosj3cldws7fB8qbIHJy2N4XrU8Yu9LNeMPLB5bgRzii7U"
        "UCVfCYf3N5Cu6Fmds/I35mxrNd/uVdX/a/04tpP0XX6NuhgeOugywlrFgqvjLLaeppd4koied+H+2FgcdFxyzKVUsQ3WpVlT"
        "Xy4wgeMlpaWu9tF7PgT9PZj+yicwtUniZgi67uBJ3/hOOzxur555OBdFAfuhMuHNGqxK8L7hwx9Zzguo54L9OF8b333iPNkE"
        "z78XGJQmY4V13M+39ke5mcE6GXedG8I0tSfhPgx3v0+0DrEAf0WqkyGaJ8ODrBGeobosY02ga8H4K1npKCFHTStgvigjQinB"
        "y8zFAeNE83Ce5zHNdwj6XDF/tTdPWPOK+314Dlr+zhjxq3fhekD7yFmfU3D/gtnDLeeWjcLzXm9S8EyfknAk0A1jvKjOMtld"
        "B91L0bhwOa308RLmBBwvaqVws2BmJWx/X146vx4xg/PBileXZRmyYF6ejnLou4SsFYDb6X4bt3cGfxdJZ4dx+zeqMDbLkzBP"
        "c6NkLO9o/w2CfUew/SYaL31QuLECw9kXO7IvdGS/xfHteUaUwUs4M1HeQuGfr0Zc/+DgKM3FgFF4P1xHWWtzhRx4P+Yv/Tmr"
        "edV8Fuhz2je8xMVB+YJGefENsK6FoZqt9/QgzAPLhPGpcKaGEcztweKg9qNEr/KrcD74nmy/OYs6vL+z1BZzrvXWD+X+jL8i"
        "6scRRgIeCT+kp1wwX4BsxPcFjmdgD74pnr8V5jETTN5m26j5EewDg/FX62IvZMZVtaPvLwPLLXqWW7dwdvU++wiD8MVBgjoi"
        "Zlfx0anxfL5d8Lwgz6eXatrh/M3D4BnjYj1VcJ3LmHkpnX8pGn+dVRQCbnxlx8XBN9tfdXqkwfMAVu/e+kzwOazL1cqRilue"
        "A/OsT1OOb/O7dRLGG+7CZ9mn9P9QL0rcP2gZv5I6n8yFQM+P2dWYG81n6lew3kd+r3WpMg28P/bX74prSyUC0PP+un+QBzk5"
        "/vnJh591h1lrTd18vuPsasCjY5nRRrifU1vo0ipJebgvgbZ/t6A2KzzHa5Og1wkpuuMEc4WwOBg7lsHQGpiOvkec/3zV4eLg"
        "4eq93PyKfeDn62psaupmc4XnJzZvHbnvCPeJjDGti38tZ1L8ZzzD/L9rcDqZLWGNOktT4efB5El3fXNfxgLd8C3zLlx9sELm"
        "nQX/e3TuG6Kmxu3UMceEkPIMBSLyIxUa3eD18n0pkmv+YgvfvxcdR96IwPM2RcQ+NDGtSwN5hqsRAmPLeC/AOIfxlo6yVybI"
        "M9wbZZlR1YV5BhMa2fX3TyQS6DaxOOi+0vlGdtsVeF5aglXQpmOwjuJAiV9kmtSZP4yD1IiCbTilrv9SHL6q76jzy7aC628K"
        "ZHxBiUex+irrS3Gd4RwahBS3D651FqP5jX373D4skqRhzSPYRwfD7Tqj1uUPN8N+ciZltUMqvTgJL9qO6/NSqiu4EKteBttL"
        "/6hpeV3sAnwlltyHw1eHEmI3pzyAdQ9s+i3TRZx66P2zD2k+9YRtNULqr1rpHEU30bwCjxfdfnHw/WbYn2o3+ZRN74f7Oka7"
        "H8R//aSH3q9XY+v//f0/81eUG2cM1nafBOs4STqlUpGGMb+hO6zI1b+QjN6/nE0m6YlC+Pmi+xXMfCYGYH3s6z0sW4dGHNHj"
        "1SrpZmnqs+DqODEybh0GDXBf7+rZ0JG84QVzYcPryGLweobT35N3TcH1lNMqE8WM4+kE++1g/sogVKtR+y2cL0yORLeKTuct"
        "0BMyfEnH8VdmfVecY1RgHv2zpeWlSFYY37+LDqnt4TJG7WdhXY14rtrCvALzV4bPv7ySXgzPZ72jP/eixWwP+nyL+ci1Nyfy"
        "4PyVi0e9atRReO7qvtiR21/EYDsQrBP1PZtzFc0DbOTv+4bRDeHqOKcOvA/udcwimEeG1XEku/RoN+0NXKCnXvUUr2egpIvL"
        "W3GpFvZrSZKXigZN4H3Dw4rWOWjDuG7PKWsGan9vcN+li73emuuY4T60Hdbpcvp2sD/ds8XyVLiNz1+bAyllqmjvXQDHfbII"
        "u5C57aEEOniMb5dP0eWLOauK4q6E6ZgIVWM2nL/aQscXHtTQAO8HNCOtGuVRSqCrx/yVZsD+VEM6WD+uYMfEmmEDzwGaDXdr"
        "pF71kEBXz4c+52deNLu02C+i/mrh/F3MX9m/pNQ0Wgf3pdJq81pYWMK6vkkJge8Mom7gdSyvvCd6SXY3rPuS4g4TFI4G8sHf"
        "j4NkgpXk23QO/fi7rQS8qCiSI+Cp/fRxKsoj/ceem3F1HDZ1ZuShQzzBftFYHedBET2zGNmC/e3J0tfW4vBV7qmCgoNKcH7Z"
        "uU/le/5JOE7n33YXzOk0g/lEp/68MhtMlxvUTDMVvXVajtSuzOqXIWq1FajeYuH+pphdbT97cmudONzvd1aHiVxlZQK4jveC"
        "esTNVFjnm6VVrat4Bz7vjcYoOyndef7l/1/fHjKqLkUZdAj9O2ZWdvWTs8wIKd9+Y5vqftaYVGw/gpG2tZfPvMHlgzOS3HGI"
        "TSu6LvFoyqkiywFc3Xl//5E6ow914PUWSFhdOdgG87Y3XG7dit+eBPe7dPr3vfF6hPrdG+MXNXMimUjyQSEk9oPVYNOU74K5"
        "EH5TeNzuFVMau5MJntfsvX6U5onrbXBdcDa13eYnGQQ6cywOSqRJaXZHw3PjIy16eLLXOoDr7lpzGLKZpv41HXJL0vVeppZd"
        "6N81TWXQqE2twdUH81xaH7hwF6P2orn0TEZ4ez+ujtMyck+vq7EHvA5ftQZN5hj4vkgPjEtYxKuj512ok8bioOo9u4wdyfD+"
        "VjsFqXIFPvuCOuTkB8qSt20qYT5x49Cd4EBsDuSE0bqrZ6vx8xlydlUJ72uF9++u/SD1WXEygmDf65/m1hqntj3eA9d7clZ8"
        "np1dDfMvXpYs+03jnYH96H+Xb6dGrnkPmC5TgnkGn6L7Jl31YQRzFzB/tc/UXZV6/d0F84HjPPpx/mqt+W1bp3Owbi6Jy/PG"
        "9WWJ4LpR203tB3SiCPYlw3gG9qiunSsn4Dx02TMNLW/usAV1P0GqRpy/6tRYlaPYCfdBsm9POHhLwItgDinGM6w89yWNN+Im"
        "vB/9eI0kt+N+8LzZFZYRO2/Cc2tLFz0p4h3UJcBDf+6v3q050VdghRDUXTCeIUzOy/GjI7wfqcFM6f5Tfdg8rcelNcny+5hJ"
        "cLsoErpseH2+ZxT6ed36dlebHWBDFuIrYWTrXeOK9r1VqP0mJ1+cFFJfQ8Iz8CFDuSflXNnjUbvXocnWpsnGz0PObawJ6nvT"
        "Bt5nHj/PJN48WM/ltcrlrrFmEYm94edfeVxz0r0y3gjPDeXdbbn3sj/cP12a8YU+Hda/yJymT1yunQHXQxVVs5cdSSLYd2SU"
        "cI6VwhfNlNRuPlw+OCjINLY4DY77ozq7mDMUJVHe8aGLWP5wRAsuDo5snhKfWAQ/t30pi3TlZ4vlfl2XxHD7yuqVDMXq8Nxf"
        "o7O96YlH4TxKVp+5mp0em8fz675UUYTChmKpTVzGwv5Q5zYcbqd6pin9un2+bipEaFcBwzcufQ2C6/b5nxiXWL6B53ZbN0uW"
        "6TjCfbixR+/X8QzCupsT69kSxZwEgf7B3/dXN63chMfcdhDELSwf7BEgd19/6TH6+4V9gVgclFRSvnQnPwldl/N+zv/pEzzP"
        "wHKCojeGGa5ji76+PdVcywPXJbMORW6JxvpcF/bxYfkZnehm5+W5TQR9fBi+MszsMJoMhv3ByN1r7mZi8LoW5rO2NpKp6HOT"
        "O/pZ6wDbIlwc1H+YmldG9Qa0q9lb/TKWux7Bdrr5PgWfEBxXk9/eOWKrn44+t4VzG//crmZvZ+RPGTwkqJdhcZBj3+WMAjGY"
        "59LRuWQkQ5VKUC/D7Kra0djjlOAuOO/2eZAppB8HzoFMr+81th3XA+dA1pAnaB9ShHUPOssPqw4KXIf5sNV0Kd3BhSj/shDv"
        "Yv6qQi5XWyNeDjyvLs1cjpaQMYHOCMPtQ9RfdQ3CYF3a6Hoydpfn1uB5e09nDloF30Lv1wXX4uDdsR8APQOpbhiLgynWo7zj"
        "bvB872bX2+6nO+QJ9i3F+KuCU3NjvdP5C/Cu/tsOHH+1xKFeyuDwa/TvpdZvWa6qwoOQxsFkjU8Urw/CfVlMybaRF1TgeQV7"
        "qSfXWb55DM+1omHMv6viA657zRu287iN5IJ4HmfRitP1HYkTtp35/oKg7xPzV8zf6FLzdAdBOwg5bnao/AOc5xU10z0W3GkD"
        "rtt1q+TMYf/Iv1YfbCmlPlaQdQKsD0qFDHaXlMB5T7wOz15frkSwzyuzubn2U3BQ8a/rFZhOJnVSOeXDdNQCfZjgylIcz3Cd"
        "sTS8tBCeN3J1haKFlSHMtweWq33mux5FoOfH8sHRyzuDuL/DcVDcu8HzvLMzwXuJ2dWRGFt983R4nts2xECU/lgyuG499Y6C"
        "TVdOwfuxRFPU7nYOlft/AsKLAA=="
    )),
}
COSINE_MEAN = 0.37454  # the cosine feature's training mean: what a ranking without an encoder assumes


@dataclass(frozen=True)
class Keyword:
    """A keyword or keyphrase with its relevance in [0, 1] (the rankers' probabilities, before MMR)."""

    term: str
    score: float


@dataclass(slots=True)
class Candidate:
    """What a text says about one candidate term (for ranking; not part of the results)."""

    parts: tuple[str, ...]
    tf: float = 0.0
    lead: bool = False  # occurs in the first sentence (a demand's or a paper's title)
    first: float = 1.0  # relative position of the first occurrence
    left: float = 0.0  # occurrences that start a run of content tokens (nothing joined before them)
    right: float = 0.0  # occurrences that end one


class KeywordExtractor:
    """Keywords per text (:meth:`keywords`) and per group of texts (:meth:`class_keywords`).

    ``tokenizer``: the service's :class:`~nlp.tokenize.Tokenizer` (jieba + domain dictionary); its
    stopwords and ``stopwords`` (the form boilerplate, ``corpora/keyword_stopwords.txt`` as the shell
    reads it) are never returned.
    ``encoder``: ``texts -> L2-normalised rows`` (e.g. ``Embedder.encode``) for the cosine signal.
    ``background_idf``: ``{token: idf}`` from a large corpus (jieba's ``idf.txt``); optional.
    ``diversity``: how much a term's character overlap with an already picked one costs (MMR);
    ``nest_penalty``: factor on a term inside / around a picked one; ``partial_share``: weight of the
    "overlaps a keyword" ranker against the "is a keyword" one; ``pool``: candidates ranked per text.
    Defaults (diversity, nest_penalty, partial_share, pool) were chosen on the even rows of csl/dev.
    """

    def __init__(self, tokenizer: Tokenizer, encoder: Encode | None = None,
                 stopwords: Iterable[str] = frozenset(), top_n: int = 5, diversity: float = 0.3,
                 nest_penalty: float = 1.0, partial_share: float = 5.0, max_phrase_tokens: int = 3,
                 min_chars: int = 2, max_chars: int = 10, pool: int = 40,
                 background_idf: Mapping[str, float] | None = None):
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.stopwords = frozenset(stopwords)
        self.top_n = top_n
        self.diversity = diversity
        self.nest_penalty = nest_penalty
        self.partial_share = partial_share
        self.max_phrase_tokens = max_phrase_tokens
        self.min_chars = min_chars
        self.max_chars = max_chars
        self.pool = pool
        self.background_idf = background_idf

    # ------------------------------------------------------------------ candidates
    def tokens(self, text: str) -> list[str]:
        """The jieba tokens the ``*_tokens`` methods expect (callers that tokenise once reuse them);
        a text :meth:`fit` saw is not cut again."""
        known = getattr(self, "fitted_tokens_", {}).get(text)
        return known if known is not None else self._tokens(text)

    def _tokens(self, text: str) -> list[str]:
        """jieba tokens of ``text``, line by line.

        Line breaks stay as ``"\n"`` tokens: a form's fields are lines, and a phrase never spans two
        fields; the first line (a demand's name) is the title the ranker favours."""
        out: list[str] = []
        for line in normalize(text).split("\n"):
            out.extend(self.tokenizer.cut(line, normalized=True))
            out.append("\n")
        return out[:-1]

    def candidates(self, tokens: Sequence[str]) -> dict[str, Candidate]:
        """Candidate terms of one token sequence: single content tokens and phrases of adjacent ones."""
        blocked = self.tokenizer.stopwords | self.stopwords
        out: dict[str, Candidate] = {}
        n = max(len(tokens), 1)
        lead = True
        run: list[str] = []
        run_start = 0

        def flush() -> None:
            # inside a run every blocked token is a PHRASE_PART: a span only needs one unblocked token
            lows = [p.lower() for p in run]
            free = [p not in blocked for p in lows]
            for i in range(len(run)):
                term = ""
                for j in range(i, min(i + self.max_phrase_tokens, len(run))):
                    term += run[j]
                    if not any(free[i:j + 1]) or not self._allowed(term, blocked):
                        continue
                    cand = out.get(term)
                    if cand is None:
                        cand = out[term] = Candidate(parts=tuple(lows[i:j + 1]), first=(run_start + i) / n)
                    cand.tf += 1
                    cand.lead = cand.lead or lead
                    cand.left += i == 0
                    cand.right += j == len(run) - 1

        for k, tok in enumerate(tokens):
            low = tok.lower()
            if not _CONTENT.search(tok) or _NUMBERISH.match(tok) or (low in blocked and low not in PHRASE_PARTS):
                flush()
                run = []
                if lead and any(c in _SENTENCE_END for c in tok):
                    lead = False
                continue
            if not run:
                run_start = k
            run.append(tok)
        flush()
        return out

    def _allowed(self, term: str, blocked: frozenset[str]) -> bool:
        if not (self.min_chars <= len(term) <= self.max_chars) or term.lower() in blocked:
            return False
        quantity = _QUANTITY.match(term.lower())
        if quantity and quantity.group(1) in UNITS:
            return False
        return bool(_CJK.search(term)) or len(term) >= 3  # "OH", "kg" are not keywords; "CAE", "LiDAR" are

    # ------------------------------------------------------------------ fit
    def fit(self, texts: Iterable[str], y: object = None) -> "KeywordExtractor":
        """Corpus frequencies of every candidate term over ``texts`` (e.g. the round). The tokens of
        these texts are kept (``fitted_tokens_``) so that :meth:`keywords_many` and
        :meth:`class_keywords` on the same texts do not run jieba again."""
        texts = list(texts)
        tokens = [self._tokens(t) for t in texts]
        self.fit_tokens(tokens)
        self.fitted_tokens_ = dict(zip(texts, tokens))
        return self

    def fit_tokens(self, token_lists: Iterable[Sequence[str]]) -> "KeywordExtractor":
        """:meth:`fit` on texts already tokenised with :meth:`tokens`."""
        self.fitted_tokens_ = {}
        return self._fit_candidates([self.candidates(tokens) for tokens in token_lists])

    def _fit_candidates(self, per_text: Sequence[Mapping[str, Candidate]]) -> "KeywordExtractor":
        freq: Counter[str] = Counter()
        for cands in per_text:
            freq.update({t: c.tf for t, c in cands.items()})
        self.frequencies_ = freq
        self.n_classes_ = len(per_text)
        self.avg_class_size_ = sum(freq.values()) / max(len(per_text), 1)
        bg = self.background_idf
        self.background_default_ = float(np.median(np.fromiter(bg.values(), float))) if bg else 0.0
        return self

    # ------------------------------------------------------------------ ranking
    def shortlist(self, cands: Mapping[str, Candidate]) -> dict[str, Candidate]:
        """The ``pool`` best candidates by c-TF-IDF (title terms doubled), which the ranker then
        scores: the encoder sees a few dozen terms per text, not hundreds."""
        if not hasattr(self, "frequencies_"):
            raise RuntimeError("KeywordExtractor is not fitted / 关键词提取器尚未训练 (call fit)")
        avg = self.avg_class_size_
        weight = {t: (1 + math.log(c.tf)) * math.log(1 + avg / max(self.frequencies_.get(t, 0), 1))
                  * (2.0 if c.lead else 1.0) for t, c in cands.items()}
        return {t: cands[t] for t in sorted(cands, key=lambda t: (-weight[t], t))[: self.pool]}

    def features(self, cands: Mapping[str, Candidate], cosine: np.ndarray | None = None
                 ) -> tuple[list[str], np.ndarray]:
        """The ranking signals (:data:`FEATURES`) of each candidate of one text, as ``(terms, X)``;
        ``cosine``: each term's cosine to the text (:data:`COSINE_MEAN` for all when None)."""
        terms = list(cands)
        x = np.zeros((len(terms), len(FEATURES)), dtype=np.float64)
        if cosine is None:
            cosine = np.full(len(terms), COSINE_MEAN)
        bg = self.background_idf or {}
        default = self.background_default_
        avg = self.avg_class_size_
        tags = word_tags(getattr(self.tokenizer, "userdict", None))
        for i, term in enumerate(terms):
            c = cands[term]
            idf = [bg.get(p, default) for p in c.parts]
            f = max(self.frequencies_.get(term, 0), 1)
            containers = [cands[u].tf for u in terms if len(u) > len(term) and term in u]
            holds = any(len(u) < len(term) and u in term for u in terms)
            k, n = len(c.parts), len(term)
            x[i] = (math.log1p(c.tf), c.tf > 1, np.mean(idf), min(idf), max(idf), math.log(1 + avg / f),
                    math.log(f), c.lead, c.first, k == 1, k == 2, k >= 3, n == 2, n == 3, n == 4, 5 <= n <= 6,
                    n >= 7, (max(containers) / c.tf) if containers else 0.0, bool(containers), holds,
                    c.parts[-1] in PHRASE_PARTS, c.parts[0] in PHRASE_PARTS, cosine[i],
                    c.left / c.tf, c.right / c.tf, *self._tag_features(c.parts, term, tags))
        return terms, x

    @staticmethod
    def _tag_features(parts: Sequence[str], term: str, tags: Mapping[str, str]) -> tuple[float, ...]:
        """last_noun, first_verb, first_adjective, verb_inside, unknown_share, in_dictionary."""
        kinds = [tags.get(p, "") for p in parts]
        last, first = kinds[-1], kinds[0]
        return (last == "" or last[0] == "n" or last == "vn", first[:1] == "v" and first != "vn",
                first[:1] in ("a", "b", "d"), any(k[:1] == "v" and k != "vn" for k in kinds[1:-1]),
                sum(k == "" for k in kinds) / len(kinds), len(parts) > 1 and term.lower() in tags)

    def shortlist_features(self, per_text: Sequence[Mapping[str, Candidate]], texts: Sequence[str]
                           ) -> list[tuple[list[str], np.ndarray]]:
        """:meth:`features` of each text's :meth:`shortlist`, embedding texts and terms in blocks
        of ``ENCODE_BLOCK`` texts (one encoder call per block, each distinct term once)."""
        out: list[tuple[list[str], np.ndarray]] = []
        for start in range(0, len(per_text), ENCODE_BLOCK):
            shorts = [self.shortlist(c) for c in per_text[start:start + ENCODE_BLOCK]]
            block_texts = list(texts[start:start + ENCODE_BLOCK])
            cosines: list[np.ndarray | None] = [None] * len(shorts)
            if self.encoder is not None:
                vocab = list(dict.fromkeys(t for short in shorts for t in short))
                row = {t: i for i, t in enumerate(vocab)}
                vecs = np.asarray(self.encoder(block_texts + vocab), dtype=np.float32)
                docs, words = vecs[: len(block_texts)], vecs[len(block_texts):]
                cosines = [words[[row[t] for t in short]] @ docs[d] if short else np.zeros(0)
                           for d, short in enumerate(shorts)]
            out.extend(self.features(short, cos) for short, cos in zip(shorts, cosines))
        return out

    def relevance(self, x: np.ndarray) -> np.ndarray:
        """Ranker score of feature rows: mean of P(keyword) and ``partial_share`` × P(overlaps a keyword)."""
        exact = ranker("exact").predict(x)
        partial = ranker("partial").predict(x)
        return (exact + self.partial_share * partial) / (1.0 + self.partial_share)

    def _rank_many(self, per_text: Sequence[Mapping[str, Candidate]], texts: Sequence[str]) -> list[list[Keyword]]:
        rows = self.shortlist_features(per_text, texts)
        if not rows:
            return []
        # the trees score all the texts' candidates in one call (a few numpy steps per tree level)
        rel = self.relevance(np.vstack([x for _, x in rows]))
        ends = np.cumsum([len(terms) for terms, _ in rows])
        return [self._mmr(terms, r) if terms else [] for (terms, _), r in zip(rows, np.split(rel, ends[:-1]))]

    def _mmr(self, terms: list[str], rel: np.ndarray) -> list[Keyword]:
        """Greedy maximal marginal relevance: relevance × (1 − diversity × overlap), nested terms × nest_penalty."""
        chars = [set(t) for t in terms]
        chosen: list[int] = []
        left = sorted(range(len(terms)), key=lambda i: (-rel[i], terms[i]))
        while left and len(chosen) < self.top_n:
            best, best_val = left[0], -np.inf
            for i in left:
                val = rel[i]
                if val <= best_val:
                    break  # sorted by relevance and penalties only lower it: no later term can win
                if chosen:
                    overlap = max(len(chars[i] & chars[j]) / max(min(len(chars[i]), len(chars[j])), 1)
                                  for j in chosen)
                    val *= 1.0 - self.diversity * overlap
                    if any(terms[i] in terms[j] or terms[j] in terms[i] for j in chosen):
                        val *= self.nest_penalty
                if val > best_val:
                    best, best_val = i, val
            chosen.append(best)
            left.remove(best)
        return [Keyword(terms[i], round(float(rel[i]), 6)) for i in chosen]

    # ------------------------------------------------------------------ public
    def keywords(self, text: str) -> list[Keyword]:
        """The ``top_n`` keywords of one text, best first."""
        return self.keywords_many([text])[0]

    def keywords_many(self, texts: Sequence[str]) -> list[list[Keyword]]:
        """:meth:`keywords` of each text."""
        return self.keywords_from_tokens([self.tokens(t) for t in texts], texts)

    def keywords_from_tokens(self, token_lists: Sequence[Sequence[str]], texts: Sequence[str]) -> list[list[Keyword]]:
        """:meth:`keywords_many` on texts already tokenised with :meth:`tokens`."""
        return self._rank_many([self.candidates(t) for t in token_lists], texts)

    def fit_keywords(self, texts: Sequence[str]) -> list[list[Keyword]]:
        """:meth:`fit` on ``texts`` then :meth:`keywords` of each, tokenising each text once."""
        tokens = [self._tokens(t) for t in texts]
        per_text = [self.candidates(t) for t in tokens]
        self._fit_candidates(per_text)
        self.fitted_tokens_ = dict(zip(texts, tokens))
        return self._rank_many(per_text, texts)

    def class_keywords(self, groups: Sequence[Sequence[str]]) -> list[list[Keyword]]:
        """Keywords of each group of texts (a cluster, the class of c-TF-IDF): a term counts once
        per member that has it, so what many members share outranks one member's repetitions."""
        return self.class_keywords_from_tokens([[self.tokens(t) for t in members] for members in groups],
                                               ["\n".join(members) for members in groups])

    def class_keywords_from_tokens(self, groups: Sequence[Sequence[Sequence[str]]], texts: Sequence[str]
                                   ) -> list[list[Keyword]]:
        """:meth:`class_keywords` on members tokenised with :meth:`tokens`; ``texts``: each group's
        text for the embedding (e.g. its members joined)."""
        per_group = []
        for members in groups:
            merged: dict[str, Candidate] = {}
            for tokens in members:
                for term, c in self.candidates(tokens).items():
                    m = merged.get(term)
                    if m is None:
                        merged[term] = Candidate(parts=c.parts, tf=1.0, lead=c.lead, first=c.first,
                                                 left=c.left / c.tf, right=c.right / c.tf)
                    else:
                        m.tf += 1.0
                        m.left += c.left / c.tf
                        m.right += c.right / c.tf
                        m.lead = m.lead or c.lead
                        m.first = min(m.first, c.first)
            per_group.append(merged)
        return self._rank_many(per_group, texts)


def pack_trees(nodes: Sequence[np.ndarray]) -> str:
    """Pack fitted trees (one array of ``(feature, threshold, left, right, value)`` rows per tree,
    feature −1 at a leaf; children indexed within the tree) into an ASCII string for the source."""
    import base64
    import zlib

    sizes = np.array([len(n) for n in nodes], dtype=np.float64)
    flat = np.concatenate([[len(nodes)], sizes, np.concatenate(nodes).ravel()]).astype(np.float64)
    return base64.b64encode(zlib.compress(flat.tobytes(), 9)).decode("ascii")


class TreeEnsemble:
    """Additive log-odds of binary trees (``x[feature] <= threshold`` goes left), evaluated for all
    rows and trees at once, one level per step."""

    def __init__(self, baseline: float, packed: str):
        import base64
        import zlib

        flat = np.frombuffer(zlib.decompress(base64.b64decode(packed)), dtype=np.float64)
        n = int(flat[0])
        sizes = flat[1:1 + n].astype(np.int64)
        nodes = flat[1 + n:].reshape(-1, 5).astype(np.float64)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        owner = np.repeat(offsets, sizes)
        self.baseline = baseline
        self.roots = offsets
        self.feature = nodes[:, 0].astype(np.int64)
        self.threshold = nodes[:, 1]
        leaf = self.feature < 0
        self.left = np.where(leaf, np.arange(len(nodes)), nodes[:, 2].astype(np.int64) + owner)
        self.right = np.where(leaf, np.arange(len(nodes)), nodes[:, 3].astype(np.int64) + owner)
        self.value = nodes[:, 4]
        self.feature = np.where(leaf, 0, self.feature)
        self.depth = int(sizes.max())  # a bound; the loop stops once every row sits in a leaf
        self.leaf = leaf

    def predict(self, x: np.ndarray) -> np.ndarray:
        """P(positive) of each row of ``x``."""
        if len(x) > TREE_BLOCK:  # bounded memory: rows × trees node indices per block
            return np.concatenate([self.predict(x[i:i + TREE_BLOCK]) for i in range(0, len(x), TREE_BLOCK)])
        if not len(x):
            return np.zeros(0)
        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        rows = np.arange(len(x))[:, None]
        for _ in range(self.depth):
            at_leaf = self.leaf[node]
            if at_leaf.all():
                break
            go_left = x[rows, self.feature[node]] <= self.threshold[node]
            node = np.where(go_left, self.left[node], self.right[node])
        return 1.0 / (1.0 + np.exp(-(self.baseline + self.value[node].sum(axis=1))))


_ENSEMBLES: dict[str, TreeEnsemble] = {}


def ranker(name: str) -> TreeEnsemble:
    """The shipped tree ensemble ``name`` (``"exact"`` or ``"partial"``), unpacked once."""
    if name not in _ENSEMBLES:
        _ENSEMBLES[name] = TreeEnsemble(*RANKER_TREES[name])
    return _ENSEMBLES[name]
