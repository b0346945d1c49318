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
- *Ranking*: the ``pool`` best candidates by c-TF-IDF are scored by two gradient-boosted tree
  ensembles of the same signals — tf, c-TF-IDF, background IDF, first sentence (the title), position,
  token and character length, nesting in longer candidates, cosine to the text's embedding, whether
  the term starts / ends a run of content tokens, and the part of speech of its tokens in jieba's
  dictionary (verb or adjective first, noun last, tokens the dictionary lacks — often technical
  terms its HMM made up) — fitted once on all of csl/dev (``python -m bench.condense_bench fit``).
  Settings were chosen by 2-fold cross-validation (``python -m bench.condense_bench cv``): logistic
  models of the first signals held F1@5 0.60 partial / 0.24 exact on rows they never saw; the trees
  with the added signals hold 0.620 / 0.232 (jieba TF-IDF: 0.571 / 0.142). The trees ship inside this
  module (:data:`RANKER_TREES`, a few dozen KB) and run as numpy steps over all candidates at once.
- *MMR*: the ranking alone keeps near-duplicates ("基因", "基因表达", "表达"); maximal marginal
  relevance discounts a term by its character overlap with the ones already picked (and by
  ``nest_penalty`` when it nests in one; 1.0 measured best, so off by default). Weighting the
  "overlaps an author keyword" ranker 5:1 over the "is one" ranker (``partial_share``) covers more
  distinct author keywords per five slots; a learned second stage that scored a term given the ones
  already picked did no better than this MMR in cross-validation.
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
# most 8 leaves on the raw FEATURES) fitted by ``bench.condense_bench.fit_ranker`` on all rows of
# csl/dev (settings chosen by its 2-fold ``cross_validate``): P(term is an author keyword) and
# P(term contains or is contained in one), each stored as ``(baseline log-odds, packed trees)``
# (:func:`pack_trees`). The trees lifted the ranking above a logistic model of the same signals: they
# see interactions (a long phrase that is also a title term; a single token with a high background
# IDF) a linear score cannot. Relevance = (first + partial_share × second) / (1 + partial_share).
RANKER_TREES: dict[str, tuple[float, str]] = {
    "exact": (-2.505347, (
        "eNrtfXk0V/v3vqhQkkqGkCFJEoomqfchjRINIiFENJgSmadMCREikamQeZZ5zlgyz5mVDIlolF+fe+ucvE/n7u5v3T+/lrUs"
        "9XLeZ9hn72c/+9n7RUHxv68zyF8/KIT+7+f//fy/n4Q/KSisHjTkMvVOkf7+beLHTy70/39+UXIJfF4aO/rj/yl+/D8NorQ+"
        "LTGLu7Hgx98XUBB87RgMLqFdHfPj/9l//H3Pj+Mx/PidEaHU5q2+GNNGgo7nkKbNz9vn8+P/dyBa3EvPVEjd/fF3LMjPz1ku"
        "zUJxm+sdeDwDKXf11gu3wHVeFtW7dMrLf6zbguzy7N/p2d/743eeH58riDCWLvA/6fOZ9PP3+dfL++N3PkQolJ1fsIMagT73"
        "7XvpSBOtZ+jzEf3rK+fH7/w//l4AaZsWqm3QWA0ez/ToM9ud64bA661pMVBx/1IJrpPZfsV5ipRE+r29TJA9559ffGT3BbOr"
        "kCNhnpmZL0G7Ush2ZtxIFwquS1/7rPz4nsyCn89NvyNDryNjhPTT7n4+p11yIpof84ZJv7dTzK6SYo27BHTeg/cFuTMT+mTa"
        "n+y595C9ZwII79kFJim/XP+abNGrnlI/7ennT37EYJf96b6HM6Sff0dkV9saKybtzeDny/CU7fzFbTHgug37PvfZC7eD62pp"
        "2IN0m+rBdYahR7ds/9IEruM9vua1qK5VwX9lV3JDHH3H+ztBe3mmXsZtlxkMrls36cMbmpGB+qHlf30VkNkVC6LNmZjMdnYQ"
        "vF6+nbUfE61v/Pj/nT/+PpTMHrkQunPJ36SiJ8Dj5UmKT3E/v0dgzz/tihcJoHXVNmT9BB6v8fmjpKMNMej1HZFu+nhOeQEy"
        "/77zIw+XmA8cZaIE/ZB688zrvqA40u/jkQD6XrrQ9VqerlsIHu9Uujcrm2Q5eB2Xuu4qBfE2ENwXoji4E2kQnq0Xni3G2ZXA"
        "txu1X9VaQXvhPBbVuSk3qeD3dsqA+peFk98WmyiW/1i3i2wdZlfhPrcOLNaD7TTg4jTPIf5IcF2FMdc1BXcv8P7tk+PL5tZI"
        "Re3+2PY2LR/Zpzi7CuKu4FllOAAeT3bI6j17qTFq94fv8H7/LiKR21W527HrAuZwPL/stvvGXE0EWXzswdnVmWKv009VPoPH"
        "K1IPiLMIqYDft/bUtYfa04E4yPKH/ooRqXL1CeF930bgD2iQn3Yjv0pJvGXFC/D5vtiw9ukV5sfgutWTc9u7W03BdQf3srk/"
        "G0wn8H+Yv9oRv0/I8EQPeP8ohLL2iOjbFPz+uWH4SrVdOe/jodcEfgOLgwLN7TLX3sB+soXeZZeqzE8/9PM9T8HhqyaJnrPW"
        "Nh/B40W8XfvNfnMquE7LLfzM7gWwv/rSqPfxdL8X4K/+3K52OT20WPmuqeD3fg2zqyLdd32O1c/+AF9VrhtjiwXXOXxz3WMf"
        "pw+uu8xiVdnOl4ae39/+JYPs+nkRsXNWeot39KB4/Gv+2y/5b6vJ/DcPsu3i5FKHmEjwPmsk5V7sp0wCz88sdyjCgvtnvrGD"
        "7Pwwf+X9cPbbJaMR8HNZT8/NlgvfQ8/bu1dtUepDK5y/YjIbllZXmQSPF6qyLPKAAGxXH87ythsdfgL4K64/tCt25NhhT/Gr"
        "fC0/Pm8PovDXVxmZXbEg7MxynAHLagjiG5YPLjI8eVnqeR74POjS9M548cWA61LCkqbX898E7wuHwc3tgY7J4PFe8dzNW/Y+"
        "DfRXw11DBqPJbej99LrM8/27kMxfCSCOdZZKhh/70fd5/vPA7GoTd3uBeQxsV0E2dpNBJQ/BdZQP67rsp3PBdSNn6VLsMk3A"
        "de9TyuOqugwLfj7Hl+WeC6U8ViDz7YqfzK74CeyKD/k6pv/+eWYDgb+nQePMlhW0FdInyPNxvF25NEsZ38ysA69jXdfailuX"
        "XUm/t2csH9TdyC9+eO41eLytE8M5F4xzwHU+k7JFCYnhBP4Pw1frLOIutrLBdtDj7TGXNHYfXKda4lcm3p0NrmMskRk+Pu5I"
        "gGMxf8V8QljaPRnGxXfTJpi8QgLAdVHWjcmvndIK/ivcTvkqwMXkTj34uZ8vLbw9uy+u4OffpWqMNL5XYEfI7YrpaVHXXY0C"
        "8HhbD3TrKj4PLYDsyvvqAF+cTyH4PNgci/vTxsPAdep+YXcVTj4GcfviGj2bRTUt4PFGh1fnXrhyveD3PBcfagcOu6oPFGv0"
        "k36PYzF8VbHxa1jCfphnQDxUaksemYPrLuwoMskcTALXkSz62ARdckj/7K/I7YqcR8LiYNPDIaH9tC9QXPIXTbgzH4evXi7S"
        "ydQw6ADPj+qdw8gUtQtBPoPlg2oc8QbMLDDPoHWDWuVexRNwnYci7cobT26D6+L4v4SK09wk8AdYHNRW4+BUoGomsHssDqqy"
        "1n1mmqgs+L0fx+IgdZ4yX0ROFozXUoLOHhu8D65THXRrC7gZDV5vehFFZlZ2Ini83pnxti8FqYC/4v1jf+XQffu91U04z0P4"
        "PjqWb/qJh8QJ4iAPkuJ47yFnTTbBc2NE46pW4WmKhx2aYBxcfdrR0NEzC7x/K58FbLlK7w/nUcbvr/asiobrC49zDzVUwPmH"
        "fzF3ft10PIH/w+yqkULN92B6A3h+dLHlG1wkrxL4PywO7n628IqbbDd4vP3HQ13eC8B+/Bx7dHnOw3QgH+T/Q9zOh+gG1TLI"
        "ez0HcDsvMqycaNY9VgLi9lbKhlvGJXAedYBigePNW48I7JQFtdMDOgs4ulkK0XzL7K+vHhzPcDj+0r7k0mrw/k3TVtJU8hiC"
        "57d+rmdGqBLOGwXXuD33vAvb6VjizeBssQRw3Q0nE0sv+mQCPgyzqxNHSl3W6MI4don554DRKjUYh9UfbehRjAbiIO8f4nYe"
        "ZP95917/+xWkf7YrLqR3bMloc3wzgNvZkdLnRatlDneSfl/3w+JgTvCGy9dy4DrExvJkleJyB5jn2kHNsmlZFHg8q5FOmz0v"
        "08F14qEHur7uMoHt4GvodqtjLgT+GcNXsed8tm1JqyeIlxi+mimcepgwUAr7U5Nh1/ioIHBdp47ZN4qdMF/8mi7nbqxLSsG/"
        "46+I46D+hpWaxaLV4PmNsnySXmsdhfr74MmD37/zcP7KZtt4WekInO/XyhhHTzmHwfje4U7wyeWOpN+/v5i/KtYqiNxz6hl4"
        "/+7sXCV0zlW94Pf8EIbbLfMWyGy0gOvnBTrl3Wtd0kkQbter8Th3eX0D+r4u+rzOIkFsDUJuVzwyzB3Or+E85dJdCalw0Xvg"
        "/ase5t5VbR0KHs/sCttt/vykf4nb+Qn5qzKhqh1XdUtB3L7xpeOXwlrYv3wPMQHxay3IjjeK81e53UL9w8/gvGd5nvUzwVw4"
        "n/GMi/N+cBzOjza+sVvuL+4E4vYZ30w7SZsXIG4vdg/vuLOxCMTtWcr5tgPb4Hh552LXo/wRX3Cd4oXzidn9j2Deot/LVFAM"
        "xonO9ur6DEXJ/xK3ixPGwam7qZbjn8oLoDjoPH3X5Z1EDsozLPQPSBGvwvMMRZJMz5lT7MDr4GWg5HrV+fP+bf/f3/ewHGnB"
        "4faPyaE7PmbDfshBpL7m+qwQuG51coW3zJJ4cJ3yyCGl08dg3nagnPTw6ON4MA66mnJ0HX5Sgb5vKrtFWuhrBnFxMIHd/BLv"
        "bRg3Wa2JHf1wBc4HW8WfULM+uwKuM29gv5U6drfg93UDYp4h8N7/vh7j4uChk9ai7vfhfPC+i5hmuH/Sr3ZgZ8nUjouDWab3"
        "fM6cLoLriAHKXLJhIQT4FLOr51OhwbzDReB9uUoZU98kD+fnu+Tfm6659wi9TwKrMiQNBRrI/BU/UvHgdvVhh591SBEye8Hq"
        "g1QRQzw1u1+A56fY91FUxfcBjLMjdrQu8gwjyGcw3N5kak4/158PXu9uSzpjnerz4Lo0J0//4ah4gjoskU6GPL5hdqVuMVD6"
        "6eFz8HO1M7tkvpbAPIipb+PVi3I3CfJkTH/1rFntaM6mXAKenwV9brOL77SO3tFE/WRZUU2C1FFmhBxfvXKVk25UKwPPr+pV"
        "cbt+/WMC/4zhKy8jNvX+dRHg8VYpNW9rjrcH7cVO4WXzQcNoVJf24JX59+8+nL8ycLiZ+EkN9lc0DaOIwi7YXxm/o0paGWoG"
        "Xofx7dCRvvNhBO8bEc9A7g9+wVdZ13dcv5OL+uf5/AuGr3Qk/IaHX2eD5/e2RVuFpSwOvX82UkF+IQyvcPjKq7PbWOi0G3i8"
        "TD8/+2VucJ6HtDed2Lz0NmovMX999ZH5bz5kMGT61aP4WvT6BG32TkzwcyDkdjXg0x970gPGk02nHoUpSMB25btjv2sSHazr"
        "e+Q698aJLgLkr8ZeCAk2vIfzLUFLG+c+jXBwnURMb97gYl3SP/srlj/2Vys8FzqezIXPb/+Sk21xPfFgHJzesNYsODwXPF68"
        "11bJog9w3KK707A7YsMt1A72p37lMvRhI/NXvMi7BXzLKAt+8vLk/BqmZ9AZKis3vwfnq6HLNlWm7Yb91QemcGWzDgsCngbD"
        "V5fnjmdbstYQ5LWYvzpx3zNSW6cRtD8RZUfmylU2cF3y05v06Rz4vZRz7qLSEPX6z/h2yce90csdi8H7d7ZXI1F2YwTIi9oi"
        "dF8Dae7Cdc69Kgt4w37WBxmQ+g2uCW48fAg5L/phpfa51e5ZqF09K7bRUL7EjYuDot+yY8MOPwfvn3/P9q3qe53BddtjHy6v"
        "+Jz8B/XGt9myUr5gfVCId+j22d4iAl3zLzyDeLt86GnYDp5VI+o3mK+B9zlpJ4fEc7cI8Hj19GOrmYLCSb/HdRNkPArqDQny"
        "QQFEa7uQ6/5oIp4V08mYVbGPibTEoLyP2Rdu+0zOqzi7er6+8ktuP8wLTN6aMhuuhflsTlbRhxcn9xLwsZhdGay5smtqsA68"
        "z/KFR7Pe8T8C8BU/clHeZJ111U+88Zd/Vs9m6cbhdr3nUxw1MTAeeq9ptP9tuAscL01zL16rg9+PhazUx7Kn4sDrXbk7+HQ9"
        "VyB4vO58ZYUwmTCCPIoIt5P3f2D+ynlJ5z1dtnLw/Jw8rQseesJ5xbT64hXa+uHz4iVfZAeuPpjCorxLrDQT9UOPVD9kmHSv"
        "RMjzQV7azqNam2Adcoj8ULHrfbh+1MVOn2ez4zRBnofxV8p+VVEKGXWk+XitHcdfBV5MOhg/24Rehx6zw80DqjwIOX+VHsL3"
        "om41XLdnkcnn270Vzhv54xPdVLsz4f4jmdQ7y4/fgXF709brNmqhaD44Xxf57/PBFNoNRYVTsF2ZbD5yQlUR5td6NnZwS+/8"
        "qR8SIcwHo8xy7IQ3ZZD+uT74/bmZa6xzbMoneL7s6HPjK+szdWrCeLdAubcLX29jRshxu9G9Q7Hy4zW/+iHE7GI9Lh9MYHBc"
        "qVmqDV7vCsbxYp7Zh+A64fP0YywmcD1FMKXBYI1uCLhuxzcxq8F9sL28vPhN6KC/H8z7rCirfiT7qOCf80GuP8wHaZARD+kT"
        "w2/TYB59YMzvTJg9qiec33eCxUEOnwzWhUqw7tWRVJav3hCA+t2BjZIPVg4M4/irAC9Fo7lrMC9Kiu09GlsJ44iXzkMreJ7e"
        "ILBnzF/1xwo9ikooA/n2FgnruwdLnhDgTsxfTZ3ZylsY5Q3r/r+sdVW6FgK/56pdLQ5tjuD1rn/hL5sSDPcbCLx6W1l0NpYA"
        "JxLxDOT8OMYz9J5Z/8T7bgbBfcF4hpsy/Ge7cmD+9C3NI+cSqgTU/tZylpkppr7G8QwPxj6Es+6H80a9YppjZ+qq4PsXdulA"
        "l44bgR1g/srdYYNZ5EgoAX7G/NUu2pQ8pUhY51szKGBLo6sGrltKRbfDNBTWqzBamuTv+Xj/VxxBcT2tE8czWN6TL+0mlcJ1"
        "A+Whr0srL4PrxhJHBV9Hh5H+OQ7+Oc9Av5q2p/wWzCfeSBA8qIbqLMn9H+avutNPjJ6nyQSP50a/KTHJ4wGc78ulL+bwMkTt"
        "nFTM13ooYBUuH9Q8tDa8KALuT6kpnTbc7hZYAOGrhe/KD9aU54H4ivo9277DWsW/xtVCY+QFzl89COzx62yF/fhQzzpx/vta"
        "MJ7U1DqPUML658b4uat6bp7g8XROGbyxcQ8t+K/ywVI9u/V03BEkyF8139a0ojZ8BJ5ftMoesS1VIQR5I4bbeSNiF86dvUOg"
        "y8XioH1yW9s7a1hXYHVv0jiF9SB4frKTZ2MCWtMA3M6PVFxuEr+xLbTgn+2KDwkbk6yvvg/zokGUopkteVbgus5Ue56XljCP"
        "GeN4p6slAa5ju8cnyp+q8gE/N7uqXsJaLwh9bn/PF2gF+XaxQze+f5fi6s6PTScOBQUngnx7qsALYfGoJ+B1hEk8qd02EQ3w"
        "7d/tStd/cdX6IDRe6nwtOnVbeDEuH0ypVV+yOq4Zni9AfXi5/TEfmN/tGHXKmEoAj7dH7JKezimPX+NR4WP9Unx9MHsurT+k"
        "BDxe4ucbZxZsgucQiK8v++h32pcE1Qfvz9XX8DfCcebo5rX3nHc5wfdFw9ysxycGyAd5/zgOkqLr7E8tKAE/d8NWPsbXfFEg"
        "3/5ihm1p1YU08HinmDJ7Vgj5oXW/3UbKVwRceXB2taxac02LZwb43LqO6wTYhxgS8KwY3x7x8uqxVu8u2K54v+WdGoT1zxSd"
        "mZ/p5OxIv69fYrxoUtUlz/3fkki/x00YL9ogOLn/7QSMOwesckhhaXC/eEerR8c4JdwnJy9f0uHO7Eb6Z/6K5Q/5q++4WkGy"
        "c5Dxp/7ge85Nx09Spd6IkPurTQ8X0tqGasD1qFvTn5VsYZ4rsETXW4sK1ikkNXZxhq9+8Ks9qz+v6SDjGQSR9rB9Sy1eJqHP"
        "1/HElEZWz0qcXR1dd0iJQxWOM2UmNTWplHGoP83ccnGiJ4EKIfdXum8jJ8J14bxMpZXlWG3hAzTO6AqH5TnOhOPsSqaL159m"
        "IA483inEifXaDKzX05pK9lYJVQevNyi1pnLEzZf0z/mg4B/ng+pU/Ua2h1PAfJAjMF73LGcNnCcbuMft64wB88HL4yMvr1Rk"
        "gMdbeM7O7MTKMvD+PXUZueFW5gTUnQWQvYFOM56KQQR8DIavmos5xo5apBLgP8yu1EKmKMzoX8J8U0W1iPpSUfB6ebIdRdSv"
        "wX4ywE48cNlhHRgffNo/bbEVjr/LGH3cO6NuAvkg/x/HwT5ahwm+r4Xg56rfzupru/IItZe46yWxEqRFOP5qw51+bhXmFNiP"
        "Bz/zzFj+83i8BLwoH3Jn6RMJ2p03CfqTsbpz8XPJ8K6iSvT6VlnUrDwlux7nrwYOOc/Z+vaBz0Nh5Rtj54Pw8xUXrdb3YIZx"
        "8f0cw9vum+3B++KSuD1nN4UnQb6K4atlS+1bnRbAODEn2/oeHQWcV3QNjsi3Rob9y3yQnM/B8sHw/dM5b/seEORHNOj7u++N"
        "TBDzjWQSZFdqRqEO7xjg+gKj3irZtD1eBPpdDF99qtIR9RqF9d5TBq4V8WeNf6wTJTsexl89OkTxRlS17lecEzqT34fjr+x4"
        "VJG7JTBv5jbbcFYxF+bRlTpWiMtLF4DrCp2GPVln4H7JO7RNKXGP4PzcwBzxy+6AefnLHXuvDuT7A/kg7x/mg4wIj3O0/5vl"
        "MQRz5LA4SDPk+mE7J4zHm8pyHLNW8cG4ODNQXy0xlCDfwuxKZLWp2+pM+HmQ5I5kfvscDMRBHmTFw9R1ec9gPvGGZ49dnQHs"
        "h9qFRMpmRwIJ+FgMt29uXCv4WLIYzVPUi1sL7Z4yI+T46oLN/oXDC2H+b5HX2Q+XjWBeXmNR1PqKKxrgdTw5cWiRUPjjf5kP"
        "ciFtzz+c7H9UjbMr0qVufca6fIL4htkVbZryka2hXuB1fDzlWbbyOqxbYrR0LW1xNUX5jezX4beEsl/g7Eo9wfFW71OY549K"
        "N3VMDEoE88GHfeyXPirB+Tl14aKCFlE4//C/cckh9nNiwe95W4wX3Ti3g0njA6zr++j3dD1tsB/6PEqEL1k5zX3GxcGGp+8t"
        "i8fh+lv+2LeXm07DeYrYZc1thVyOgE6G/w95UT6keMTgQkPWfYK6BqaTaaMKMM/aEwbqr948V88UlIJ5LteFDQ4v7sF9XvLG"
        "0dL6z43Q55bmml/jt50Fz7ffswmPnSwG77OYh6Fd19Kf7/luwjqOatyndqblNXBfgivDwpftd+C5ZR3eY3ZdsN9dWexPMcro"
        "QTAvCLMrWXsesWW0sB7z8NtVQs2+cLwMfhWSejteGdDJ4Psm5vOdGG5viR+LuZ2dA36u2oVBrxS6RwT6bKwv9e3GA37H6OLR"
        "9y101ObBDncahDwfPBBy+lp2KzxXI8S3X9DiCFyvlYxbpvO6F9Z9rbiaEztW50rAW2D5YIQ615wmUyyBjgfLB90fKN66tAb2"
        "B9RLemf1lOH+HlfFr2qXKzjRz5W2DV2k6U+LkNsVjVvTmi0WcJ68d8uXpayNMD/5JP4h0yzDHQLdKxFu30XgrxiRwiMJ3nPR"
        "gei/T5y2efuRYw0uDu7xrLifzwbPiaG8sdBj8Rysp3EP5o3Q33GcIO/BdDJnVx0f1WJKQ/Nf3h1X1+242o/TySCOqtttQjFd"
        "qaLjdNHSZTy4OLj9vrD3Tk93WK/CMfGce9jiV/vjekdXhOMZvA1XTF6+DM8bzuRnXb3yMGxXDo+GggfOBcO6KmHj2jMbYfyn"
        "uZBT8+VKWL/GVv7MzPSSz7/E7eS4CeOvSu54yXwyeoTinL+fWwMuDhovW3HLbHEp6iezvdmyvNnacHGw/nrFBA0/3G9AL5++"
        "4YsL/L7RfVNTGsi3hP2aw5HsTVP3Cfw4Zlcmn2/ThTbA9enrChK94SeNwOfRfbn/sPtDj1/zSy6zU29wuH0hv/836tB8AnyP"
        "4fYR7uSmT/tg3kclrpjkIGgLv+cBDGtmwmCdjOWSRXan2V4QxLsJMn+E/jtx/WgBbbYv6S4Bz4rxDK1NM8f6Pt1DcY71lL5S"
        "5sPVZDwDD3LDVsP/lWI6GgdLxagYr5XTI+T1wbNKFgfeb2qa15eqONWGw+09k8Fx7+7B/Uzl3Effl7PCOKJ85Ze9Hvth/biW"
        "Fd/qTR4/nwfxnG3nrX6SwU/hz91+aV3pEbYb4DqjFZJyPvVO83SHqgtKcfiKh3a3lMIBGLdrjy7gsh6A++2/PtX0ZghyBnA7"
        "L46/+jvvfoOrOxdfdOpEFgQQ1IWwOGhN8VDLKBeeT5goSs0sJGf2q70gDpaNOL69RiBYaUEYzHOlFOsEWAxfnne8A8GNOH27"
        "oYF1y3AnXP9lGx7vnDaD1zG/bxe/Te8J6wC62z9kXgwgmHuO5YPBCzv2LHoK63Klj/j2pHlGoHmtl9+u2YA3nDh8VZ8meV43"
        "AO6T69OzpikzgPOjoGc5PKr1XqR/xzMQ8+2rHZ6ELe2E87c15vXMk2yYrr5EhO77dwcOtytu9TrU2PcY9Wvz642YXTVkBpxF"
        "DsP3ef2QhHmJLqyjPTctbOBmVwzwot/j4Cil4OtzcL+Gj5SF2CMFeI5Nyep3Xwr5/Ah4Zcyu8iwTbpfbwvMU0mMkClOFzdB8"
        "0Lvf2FLqwwecv1pYNiB8mAPuE5HQfl6lrfUHvM9LbnUn1cx/6a/I63SYXVkrPhDQvOcHXu/XsMulSEER6nesssLW+H6YwOGr"
        "TI57vF8V4by7VVvLZqQjveD3eQ8WB30UjlOdaYbnpYX2Ch9eT5tFoKPF7Ep2XNxzq3gQXFejOmbaugCu17KrKw6ZC7oQ1Lsx"
        "uzJpPrF5ezHMm+V4ZPYqD6cQ4DDMri7SU09rWcDzgVmC12koLYFxWIe15mara1kEurl/j6/2sTe1pn+8A9RxBJFWWelnBSf9"
        "Ca6XAfXTQvsN8rpUbAl4VsxfST8y27zoHWx/epWesQVp3gT1HiwOJpmu+LR+4jE8H2Rm2kbm4Ll5PD+m78T4K7H4xptGOXBe"
        "YWNSW28qrw3Gwdm9n52cfOF8xuFWNEtLSiK4jvv2KYHYGLgP8kWyxM6jSrC/v0BDvUqKIRzoSyXnGf7OU3ypW3A8Q8MN2bGz"
        "T5JQ/n6+Dg/DV2ULR6sms57C/DPFplZmRzieH7PZV+pKZ47qczSdzAYQUUacv1pW+8i7WxG2F+0un4CoD9g8rt/z7QLI0WaV"
        "08syggj6ETG7uhCw46J0H8xjuslr0+2mvgLa1Ra/uGUuGnC9e0K2Su5JQv4frFvFVCe+AlxnUhARl+4F838BxZ3+W/zMSP+O"
        "Z6BASvYXcZbu4EfIcXtL3U197oAwNA/rt1/Jb3geX8fhTFr02CoUjpdLDvE4VZEw3TGRTmbXMakFH2dh3c0FJHdwJakQ5UFS"
        "vnh8/67H+ava9zwrJadgvCG2xf6zwSa4j0phmx3LoA2c553rOxkvLhsF8gxyyllW3wyyQJ4hvmEsykAc5qmlSVZqMdEW4LpD"
        "qsGkwwYwf8XQGLLh64efc5S2/SG+Io/7mF2Jcp/UElJzmJfX2ox24PyVlP72NoEOuG5QtcvrRQsn1hd9XG2f+bLBMZwO+cOl"
        "CbsTxTlk9x+vZ2hWEchxqYV5dO6iXTMUSrDOTd1S4uTS7fB9lp77wHYwF45bu01uVvTxaaNxoOpmEe0nM3x90FfsdLhIN7wf"
        "X/ure/GT6Bx64n2XlOV1jr84De+XVf2N2bAjGO7X1TY0saFJDCXocyDSi5Lz6FgcfMR1cOX6wex5+uILQe04u5K2XNFxsK4b"
        "PL+Le8LpTOrhuRpfG0bzVc+/zAf9C8JWFderQoAnMX8VI7cwfgU/7IdiKimWB1IGoPHSTGlSViieFZkfBwWR659N9DbEXieo"
        "02H9OMa5HXv3jdah92uDj68brycDzq5M7b5WMJLgueIpGVuoQgZh/t5r5tViajYYH/SwjO9/mmAJ63zN1WiTNc4V/N4PEdUH"
        "ieo4NAi15OWU4ROV4OdeGRG46CuXXPD79xLLB7kurdNcngPP/f14jJ05tiL+Vz9pN0LbifNXVYVZ/S8Xw/EypcnOudIWrpPM"
        "PfV33eJhjPrPKaqq7U62n3H4Spe/Y1HqHrjeI6sfwc5jFkawbxUWByMeD3PUXQ0k2L8Hi4Mfv+jb3MyD54xFbqt5Ya4K41jx"
        "zD2eGzPPwX0TUYk2KSLWZPxVBzifQfzWsGBkagXOrr4c8OyTF4D1nWsbxU10/ZL3gnGGKiTgtYYPML+dF5F4TSEZk/xwXt/d"
        "56g+nF05bwpeOJWRAvNN+79t3O5pOC+ePxN5heMZPjtbfjizFI5vSb0DFdX+cP90gtP7iQtC3uj71p5e4fbkKzfOX1k+Tft2"
        "+AD8/sZFSR1enxeGHu/tliMKfqnrcLxoS4S6+JMNsF/b1Ni9/e1ReC7OZV21EZ+4n3o4InzFhePbf68XZUd0ltksKBO0A3gG"
        "FmQucfNIbWwwqBf9uNhPtP4wzP+1FrKIifDdAu8zTQm9uU483He3SuqrMGktrONGppkO0rPcKvg9fuFB7SCeqmxX9sIGlPee"
        "r6vC6jhmBVRyH2dhfHBVVu3WuXJY1/xRQUvZd2UCqhuJuCWU/Tq8BYevVk0oB4U9gvsqQ99s2U4xAPu1ub0CnpsksgFe9M/5"
        "KyuOTdnIjAoBjsDwVcT9kKhKI3hO1p6Tl44nhmJzSebraTB/NRlgLvSF3XSev7KwxOP2mROGChc2wHzifWvtZE7WcBQfOCQc"
        "n/Vs4UTI/ZW68LVG9sXwvrTL2hRIm4XN4fj7ouj4IcY8An4c81fP3qiyHaCH95sIF0+YoObUJdunsBhnV5I5vaIUBmOwrrnV"
        "tMvxD/LaDy77J2UCi+bhkm32RYCu7+9+tTS5KJyuLy5NL/fiYBmKiz1uvkcGRyNx+03UNmnvvG2N9c2b5fbRTY7zkvkrHqTO"
        "6nHxttrXBHkFxjN8UkzcI8oI79tsK6YivKc6HD2/5CG/N1nXfXC43WMZa7VU9hfweGqaFgbbtOF67dEpKnvbz7AdsNi1LRO9"
        "D+NJKproxfrdrvD8bMbux5yVP3WHEmT3D7OroNUrlO+/hvFfq5Nv1zsdTbjf4PSq5Mta2D5n83XrxHM/5vdLYnYVrv2tSgnt"
        "nxEjjIPLbVJXzg2+QJ8vf2JYrvNkDK6O4xz4qvOpegt4/2rGMg0y18D7ORjMXWe8/AjbRyxpaXzggfTlCLldPVwbQrotBccF"
        "ZZaGtDOirShe+CygcYXp1Ah+bu1EUMvDNXC/RmeWVI7hZwNYJx19ylZjMWynVXyiEi2j6gS6Q8yuVLYX3N9tAM8RcRxX3rtp"
        "8gK8L4VA0AfJaWcAt/95HDS8lvpYeK8FAc7G5rdz3BrV2xoVTlDXxewqsOL0xDYrmG8Klg0pNlPbAvbjnORTY1drh/XFq1fH"
        "Cob5OMHzE+trs0/yp5J+j7MxfDV27/A0A8dTFF+xjuqeUcpgw+ErudqYoGROmJcyKp67eyQd1vvs7d0yua4xAsTtWze94ilp"
        "h+eI7IxVf8scAPeD6cmr2WznfkDA2xL5KxECnoEP2XFrNo7iqjcw94MX0VZpiPCsC0LtiMnU+OLM4jVkcZAdCRGa40qmTyfg"
        "w7A4SL/buENStw/WZ/NRrF/9MhXuTzHOTDRtdibQDWP4KpxiuYTuFDzHYUCgmQOxgvnEKQaRScG9J8DnxuW+m9W+ywLui4lp"
        "q8xSegDObw9dxTBcbwDr/5b5irKMcDrCfQTqMyKi3Fn/Mh8k4tvZkYOHX7WVVViBfDtPEKd+ritcHzS5f2YzV2QkgU4BsyvT"
        "N9oRPIUZf1AnvmxbfxWu259umNq32xauY9NWbTGzP6tOgvJB9fh09Qe76wj4OsxfHbwrV7I+ogvWPcRRLGaShf2GEo/wsLMl"
        "0dxpzK4C/Pzf+e6D56HEjztYUcrEwzz/W6reZe9SCfJ9ojoOA/I0PPNi6QpunF1pRb0biZQuJOh7/6V/8FrQ3ocOcL+VViQl"
        "1QKTNAJdM2ZXw96Gy08LNMA62rep3gNxsA6ZulbO496DR6gdHLVptwl25Mb5q1k7r02UcrCu7+hxFSmJTXD85dqxs42/RBGN"
        "ly9pp+WXt3Dh+Cuua+WU4Q5w/+ohMc9DJcIuqH+QaUyQHjvSiLMr/XeBlOPcgeD9k4pnuzUaCs9V2+deeeIApRfgr8jrOOQ4"
        "7Jf96Ok/ZskMWaB/R1J8r3KMbQFCbldnRK98PWQHz999bH4rSswT1i2F6pzu5loBz0MZNkhDSvqMCOY1Y3M/pvPp46uNXqB2"
        "Ndg/lCXpspbMrgSQ9SYdh7JY7pN+7w8w3F5mnil4RhqeS/wxOlGtUgrbV+ZvveMIjmc4cb7MZCO6D+8/zHFweB2amgrzXMfK"
        "cxrl0uB+TkFpxXPuX+A+V6eejW95Ts7fpwbPM3D9Ic/AjtSvsSlmFywBeAYWZP+stOCqE4Xo8+25ObPoizQ1jhdNixTpHn47"
        "AN6XMGXxA2diKmB/0D06pEMF6/AOag+OtTbBOOKOetWJk3FBZH3Rb3BxUEO/cYHRnCu2rxvNPZvIAl5cHBydkqjk7QiAr2P8"
        "8dBcA7wvVOJgETtjrRf6HM9skS9mkx3D+auJK29aW85WwfU3zgf5AuLwvuHUeSFze5hfkP4dz8BDgNsZkdxciUMsG5NQP67C"
        "JC0V082F81ctN3TPH2uF91Ma8NOtSWu7Afe9HzWRuJ9xj2CeBzb3Q/njwWMq+8PIdEGjuLkf4j0Gwm8q29Hr82Swil3KgudF"
        "i1ikjWkm4b7FxmFR4YX1cByU/6Ik5KkH17tdGWmTjDTgOe8RmpW3yvffIdgfEbMrks1D+tB18Ofekpw9oEeC9baLDIQy7CKP"
        "k37PmxHFQaJ94miQhEe73188fQ3WkZn42E5raKDv76nmvHSmFWtw/ipjedTJiyrwPlPM7J2SGW/g+QKBWm+qY65oop/r6ups"
        "qtiAny86XMMeQ98N47VBfY7I6itZ8/ghZekO3HxRhri6Wum2bPT5tjps/v5dgdMzPNDewCx3pAd9z+fvE/yLniHDdTxzySd4"
        "rhXnStU6LXjOu8yy+jrtDzB/VeU+urXxHMzb2nde9JhC+WfBP8wHiftSLetuGbCIhqH522WJaoXsUXacv7Lz82Di/wLvD1tv"
        "tMdPqAHu/1WyYrxgq70HPR+p4nEnNd4VCDl/5XRxgbdfBbx/Hmt8q9bND7B/iRJpfZ1vwYn65/OuooqtAZwIuV1td6BMWr48"
        "HuVVHu3ZnJnVtRYXBzkHPdrPMMDxvCZ37/gNrRvo8/G/+7+vZpyeIZBph3ag+wR4vAenLnBo3IJ1MvsDn6VIJsBzcdoo319o"
        "XCQK6GT4/9CuaJDxvKFdgffgPut0KX+1HTsTAJ0MH2LC5Ce6kisafc9Vr9XtZ1YtxeWDT74umrCa7QSvt1n+tKH0Yyzf4r+l"
        "ybZkx2qEPA5OKt6hHLN+S/p93QCLg6dHKsXav/TA+7PfHeL6dCAHXGcgk1FWtA/m1wwmbSm3KMF8u+jBGRexkZ9xkAVJqDU/"
        "Lr5jCY4XFfp6mmEBJ8wDD7SXXZPdrQ7zG6cpqy+eDf6P9O00yFF93SNHPWH9ZNRLt/gr51AdAFLKsHO5+cMNZHYlgKhbvTqp"
        "JBxJoB/H6s58hnVVZuKZKB/xN36ewe1HH8YxcLRpzgzlQYL0FO7qr6LDxUE5/1Vf2nLh/Z6ux5TMPL0G1wNMKpWyN+rC+75O"
        "0IpPG+i9AOvOS/pvaYyfgOtMJ64+Xi46Bc+BnKw+PRlmDeu0tlnVPhGjgePH5ncyWVpKhgT68X9fx9ldlRc0uz+FYM7EL3Mg"
        "+0Wj70jpgefHWqi3/b3/E9QO5veDYf5KK2xWMnxVN6gXNbpk5EOzJhX1zwZhrX4j/nQ4noGv+82BukRD1E5bbwZ//8bPVTtz"
        "w7dqt28/+u8SrQbpW8S6cDyDBrXuSYFz8HyzdoN1M1J2MN/ZZxb0egFLDtk+t/g4aJD5qHOV0CzcNyseQp/EDfu/zCOVF7WT"
        "4DkOBjH7ZEPGKf6lvp2Iv+JBKNeYL/bdZEbAs2I8w0CmbcLNd49Rf8VVWnX/Eyc3Drc/e7HXWNsH5k9vhkc3nrscBe8rwyjk"
        "0xrlTHZd+D6vacFEqk12cH3G3T2shnIUnjPbdIPvrjqdOzwnYf9wpbyAIQG/hulFLzh8PtNx9jkBv4bZldtFXWfhJffg+Rb2"
        "ze+WH4H7WJa/Vt801QvPceV/bh1dszsR0DPw/i4OqvPq4PejNxMQ4UJ84lE85GpUIPTY6gmOv8ry8bo2nuMAzCliRDjP141o"
        "y8K4xN6q88OD47D+72smnaK6DVx/K+soWTta7oH6NXlDcd+BWPxctW/bRnxEmWDeh2QmGecREQT3fVqLCrQbRpB+z4dhcfCW"
        "kYrj2UMwD0dVtZ2Vs80QzS/n+zUMX422zTlXO9eC5zdJFatQ9gLW27IlDKu9bIoo+Gee4c/joEuA4BCNOZaXJe/cbyLjx4aL"
        "g8Fm18NNzOvh+babTpqtd85EcXaJhLOCWxM3Qo6vdtp4fD2vgvU7s87U6Ex/YEXI8VWEQuP9i6bD8+aebxBvx/kryn2uw2me"
        "c/D8yZfnBt4owbh9jLX9AfsMXL/cTyqqZpoMmsdTj13qxenbL5ltCZ0zb5s392h9UTcuDkZFM7WFXIJx4qYQ1dZ1LrAO1OqU"
        "vzTSAufJC5RLjR8fzAT4dobf+atQ2plsHG6vrxlfPy4I851sS764+qPzqv5Bn236VkJM7tG889tw9CkOt4uLOWVfWOxMMDcF"
        "4xkmvm2ffPAO3s8r/OHYZW86A9Sfspcbff9+jcsH1e3TqBwyu8HjsU9IVysHXoT3mVL6bLL1Ux4BT43ZlWlqysNA9n3zrnej"
        "fi3OrhiGnlS1CsJzXI9G+BcKyML51ovwox2OpZfgfrBxg8qmJYao/fDvvvLiwCI+gGegQYbVNIbp1/2cO43FwS9uLtKB6DwZ"
        "8vl6WBy8uU1HxP7lDfRz6Q3rNN4+58XhKwWHdL4yC7ivslx35SHpXhi/ePns7aZ7CdfLbF8fvBHSfhWcs+2Tfb3SSqwdPF5R"
        "ehiNXWzhr3bQk1/QjJtTNK5HfVjTGLZ7zoE8ez11uJ6Xs857OyslNne6+J5IcgENBY5neKsqI8dxFtbxnOO5HqixHNYnplsn"
        "6N5WtEXxUOxf8XwcqOMQzSliRMoMRrqpws6Tfs8fYHHQa49r3bVmeB9Z5neNC571MsM8cPmTtRR3fAhwBFbHkTWP0qtZ/JRg"
        "vx2Mv5rLUlze5BqN+qe7lms0sqKScf7qlapp7WEtuJ996bAkx3FB+HkwNO0NTVCG97XUXVuiOnwVnkOVF3NK1Pt1OEG8xOxq"
        "DdeV4zkHOmDduv2Ca/474X7O5piE9Qe1ioA6Dtcf13EG41QYN201gvWYCbfSnUNVCeZPYro+mrP0UYuVs9G8xyGX+3b3Sw6E"
        "nGeoYZwg6XTD/WUT2UvUSNowfk6NOfdG1c8OvI5dW4yoOcKeFPy+LoTxDPussk60WMN9+bRy91955mLHS5+p3vWQZjUuH+zv"
        "cpmyvp6J+oP9q2TF6qRLcHHQrFhTjsoR5ttVdrV43q+D5+rW99Q6ui7JhuczlJfUJGXcBeo45LwoF/LmwouU/l1NOLtKozyw"
        "dWUfrFd5/8Ix2aBBloDv/GVe370arsXPClGeZv48UMyukC4m88Mb4DxAfE1khG9cHLDfBBfStnxt8xNXOP4qF0VZXpmF+8vW"
        "145EHyx6Pi9f2Frci4uDSpe49245Ygoe7yBvp/cBUWtwPkPFQrGb/spToL3c42Gj8P36FOZLHlUbLL4F6wDOnlAb8Ga5BvBX"
        "DDh8tWSNtX7lwVUIuV0xWh3T8XlrAn6ui9LNiQv34ecxEUmb/0hFmUCPyYjm3TlHgsxoGqvRvPGml4RplTkbQh4HzR60m7ds"
        "aUPXXV4iY1HJyYar49jJbZUg0UUS1JmwOBgXsmNlgAzcP33qCufXiXp4XuR6zb1UIVRwn7UH67uljgXZ4PEqqEvfpxsmg/2D"
        "/UkerW2dsD5C982GTL49MN/+Wa69bndQKmo/i5RPtr+RXYf8cxwkx+MYbt+T6T33emEYOLe2M8TGy2VvPnpeclcEqqdZKXC4"
        "/eyZPBMkBa7DFgY3dy3/DPeJCK6zFKkOgHH7w6paoa+n4Pxcjzb5vQ+dAzCniB/hi81z75r6iZvI+0QwfzU4xXLOWw/Wb7jt"
        "uLvawBPWFcjeTu6k2uhAsO81ZlfNNJJtq97A+wz4P19zrMHvNrhuW0ZZJKW9S8F/VccpGNUu6TRIAus4apcWKsj4wnl3Kp93"
        "6e3WTLCOcz/imnw/82LY31/hoD7AkALUcfgRU6PgtsFjemAdp56P58uDhF6wjjOX0XQOEYf9S6nNeoHmilhYz9X/pZebGo7T"
        "9cM8WVThxejziD/TQ3Ehnx6XDw6YfDiv2AbnR2Mi8grOXPDnuvecoBfNFAL6UgX/kL8SQEZdZI801OYT7IuH9eOUPKSTmRS0"
        "RuPRfP0khts30HM0Cwk2oP40OjSV4/VXHhxuj32+KJfrKazLvb54hOvGC3j+0PhX1ZY1mticgBWrD3X7SuL5dvGRgr0KrTCu"
        "y7ufNV6qCs9d1XQsjrt+JgF9b+bPf8b4dsQ8SPlDHdz/IejLqxFLAe+vO5tHz9SXDu/TNcair2PVDM8X7TxEyyviIvef9Q/6"
        "XTJoUtlvPI/HPJc8hIuDgvXXLlsfmacLL9Ql4es4XBu7rC/kwXOTZWeCs440noHnGBqLLqRFfNDr1e/I0OvIGMHhdn6GQwIp"
        "X+H8bdfx22KRK51Qf3VuUepDdobHOH/1wlhA/NZLuA8t1Nxvv/cKLP9tsL2QJm7Bg7Mrp9TY4U+r4Tm9314Hth4OySSIv5i/"
        "6ou19UBoh8H7J+drx2hqD9tpcqSiFbNbKem/4a9okFnu1gQBRbjP2rDQTTWc9wT6fKksyxsLX9bh7SquLltwDzxPgaXr6aVx"
        "dP+ov/lng4X1OL79bERyarMBvH/F2pmrjSfuRaFxsKt2trN2tgYXB5lM9PxFDKoI8kvMroqpRSvkJ/rBz3WU2y5/ieoP9ud8"
        "5+bNOgzjRKrMhcJKN41JEH+13DJrRkexDY6rU4nh5jowf7q5KddBOD8H0LeTx0FyXRAWB7u4FdylUx6jcfD3+8SxIK9tqaYr"
        "bOftox0asLcXZ1em/Wabn+xMh/scZu29zM97wzp4bb2RYdEAFF/5niqspbRdi5D7K+Vtrz8gwzB+Ljx3zd095x4azyePeNQy"
        "vuVCyHG7cSl1RI5IMGqXbv+Da62DONz+ic+l1JAW7hNx1c4qfzkL6w9073E4m++C+QMN5YnZK77wXJLxJSonpE/7w3Vd3uPq"
        "2unnAZ7hz+PgF2HxY7NKCIHOA8NXFtSyjes+VhLoPDD+SqXiEitL/wMC3SaGr0IUhV0VVsN5Y+LhQ4efrYhB/ZDQXxvKDeDi"
        "4PFsRr+L1yvgOZpdQ/e17OD3d/q5j6zjV1g/7takuDYhFqufz+dzMF6UYrA2x5K+D103vx8b46/yD2yUV2mD80at66sL/M7B"
        "OiOXvtTUB8zwfT6hz15yRC+dYL82In8lSsC38yADS1wlDTmS0Oud3w+B5YOHdfewukjB80XvlDybETicSLAPOTZf9LNvauu5"
        "COx5LPq8ziJBbA1CHgdbM7koBj1gvGv9jK3OSArWcTvu2SormQXzcEcOFiYxXf/JhwsR8AwCSJaKi/+H++mof7fYcXcg0QQ/"
        "XzSllnK3UxV8fju1G7inq2Cc7SsvIr5f6j5cP98oODnsDc/ZDuKvVTu4RvU/qjvTIGumhwQ3ysH+2eH0E9HKsaMEdV0sDh41"
        "Vbp89Cjc362VIJmycn0OQV0X40WR5xXNxbMVaDzSjVvuMR3Wi6sP3n/HO7HhVDFqz13KO+xdH+DrziP129Md4+H9U2Riqnfd"
        "0YH9QbPKUjYjEqxrPiJEbVMwA+f7IRnr2GJ3xYF1Z7Z247L4BXB/fN/B8UgKc5gvUdTiTOmps/zP+KvAoGdqdZzxIH8lu1w0"
        "8tliHXif4LtdX4J5Yf6q1Vk+c9GzWXCuJLfdapcIsWSQv+qP/lYpsPASyF9F6ElZ+1/uBvmrVWXx1zs/wPZnWVR/ieICPCeG"
        "Pa6km/YtXKdzui695VttPshfKV36EpZ+4Q2o45bexsJwayFsz37T+TkmrzcCfLvgH/LtfMjE5X2Rr9lDQL7dSD3i1AezbJBv"
        "t63cPrzqLDw/Zz3XKpqiwTPg9cZ8uOrOYZMxr06H9W1j/mrZUHHFHZFKAnyA+SuBHU8PHLkL5+eb11msChmG7SDK5OGJy3Lw"
        "vhRJnqf22J3xR9+Pk2nrDtF0r8LhK/OjzpZLJuB97N6TaNt6h+D9wZyOy9x1noJ1KCEL1IXuPND/z/SiOrxWQ157dgF6URbk"
        "5LSl6vSbWjSPmlmRPygqwYKzq6ztXVf67UbB632lveS25mZYhzIrO2r7rCiXQH+K+aumwHGZp3swffZ8nTTmr7LpHLSbmQbm"
        "6etiEby/WuGrd+Puxs+wH3qbw152E+6fNtk9zHloAt6fxOpV6Uxu+G0C/Snmrwzc85uW7WsG7/ON0ZTpLXtgHbfN0I1Jl/MZ"
        "/5le1JtvwCHiUy68T2v2lfpi6lPwPCiuvaJzeuGAXlQQ2dshcmvZHQf0uWtxLz1TIRWJ6/Oaix64Y2VehfpTld0iLfQ1g7h8"
        "UE6qu7j/Dszf3z6o+dyndwu47sM2O2/uwTz0/P7eP68OxzM8cBdZ5CQG13EGOBhfDz54TDAXAvNXqlsHa70rYHwq9UQz46pp"
        "IJxPPznw/sxquD4tky/D1a05kf/P/NWf+6tvXzbZ91AZE/C72L6W3DxuegyJd9H7zPxXw+kYTiejmfquN/pIKIqf5/cxY/hK"
        "PlrolfpbeP+83Rd4N4zIYvWydTOb1PSYGHH81fvFaX1CyXA/jqBx/WxBCqzDW/6aXbCL7zB6fXafQ1jelDEh5Hb1um/d5pZD"
        "veDxVl2wss2LhP3zu0KLi0HaKajfFY++8f27CuevzkQUk2pz4H6IazohrNFL4H1+aGy7tepizf7l/Pbv+Lx56afIbV9w/upl"
        "ufgGj3p4Xu6O8wmTNx1OwzwDwp55z86foC6E2VWG0vXh24/hOSwe3567CT/XA+s4a9Y8FXNQgPvLSN3HDq3c6gDWcZgX7gsS"
        "1YbtZQPi5nvF9wlYx/Gs1//UQQvPIfAYGFEI/pyBHk96d+3SsDO8ONzOt8KRVzhoCLx//Jlae3upYZ719uRXRUd97v8MX9kr"
        "N/G0r9tBMFcDywfpe6KpuSifg/elP2C5rzUXkX4S469yiz+0bdqbQrBPA8Zfra89dzVnYAS8L+4I713zq3CfZlpkx6aCpaoE"
        "eBKzq2MNYUxaV2GeNaQnotdtWx5qB6OaN6bTtq3F8aJX6gsdKG3S0XX0rpZHnmZy4HD75VVnOWg/wzppQQn3QLZEa3jflp2O"
        "zprMsP7+WcbLA5nMocD+g3+6Hz074qs42DlilInNz944ZpSlxIPD7SX8oQXVu6oJ5rJjuL1pUTt71VJ4HwRqUhizxiQ87+sN"
        "nRGbMQ+Mdxv3vNEf3xJf8Hs/juH2sw6N6/drlKLvUfrnRo7z4Xi7WppjdyVZ4BX4uR07JFUF2mD9uOqDHvr0FUUEdQjMrvZf"
        "2uR20Qzuv/y6oKf1mIw5uI6CpkjtKUsuuE5MgGYPe9QJgn1uieIgOX+KxcG1DArb+dZfg/XAV+hSc1VVwfNb867iXNK0JWr3"
        "F/76GsLhdrtpx1I9o2fz9BGFs+04XvSxh4ton1YTQX8UFgc/pLaHqcvBuN2lwJRp9O019PxW/PWVjIuD4jk+YWNDb+G+YwrD"
        "Rdkm8FxJ+4j1jcLjj9Drm7//AmZX3iUSIvQx8P4LicLu7I8LYHvOc1p3Or/+Abwv3nsTsZ6JHIJ5uf8fuF12d2GZ8HGCfghs"
        "v1RK+cArURYZaL4vvlmMTk6GB8cz7GF22LPMFp5HIRKx4s07XR/0eFsn0uv8BdYh5HbVW7qg51ByCfq+6CQcCXWnXYeQ81fi"
        "tdMNZw4PENQ5Mf7KdqjTrbYSzo8ULjFvKfGC95X5tnaRA68FXG+UUhaK+0KqnfceSS7IxNlVTjldn2S8A/i5IlkOBpJ6cN3P"
        "YslL0b3dsN9gdXmyyIXpyX/GtyuOJLpPysaAfPuGziiOhjda4PlxxS9fclY1A+TbJ6jYleb0h0G+WFOi9vRm1ySCeVXY3A8j"
        "p5bjN9V0CPQHmF0xVr/dzOQM112kt2ubBK88TTB/HMsHIw4HMFWdhfmr9Ojt1cqfMV2GFPMFEks/Aw5fMSCLPCmZYTy+Wyib"
        "7VYFbFfrlfeH7JONB9eNjl9XCLZXRf347/dL/XO7sp7ded0oWZVgv0/MX9k0yT1/Kf5TB0U+Dx6bU3Q+44zSutQEgn1pMbtK"
        "ep/15NhqOA99Vy22IZbt5Dy+ncKlCxcHJdbJJ2WcfQbrItX5jW4GzuvH5pp+9xKnb29/QCt7803JPP9Ssvslzq6eqt5d2x8E"
        "98+YsdexUtTA85A/K525pHUGnpebuZ71Dkkf3ufCa3d2r8BXOH58Xvl+StKg7D/Tyei9sCmUiNkD6GS4EHu7dvmOjnI0n2k6"
        "aJbrf5uDLA6yI8LGQsP76oJBnUxNxJUhXzH4fcu9urrtuCjMO7IoTe3zqIH7Jsp5/BNPKqQQ6Fp40PeoNS/PNXhH76/217Mr"
        "px2nZ6CVZ58+oZI4T58Yfb8ZN/dj21zOi0e98FwIQ7fjvP7i8Dyo6DiWaVP2F+DxAultP16jhOuDt7ZkPZ4bTUP9Ve+N5Xs/"
        "9oyA/YNuVs3LIite4firswwX075JmsLzzFmdR1TMpDF9+7276yOvciHk/so56FjrLHPNr++5OrV5M86udBoVF7pQwjhbRHJr"
        "x+arN8hwCHn/ID9i2NVW8y1pCvWf9/JF2/gKOXD4ypGV3X/N+1HwczXjkm63CweixzNfkF5qIMmJ40XPFTAGOdz+eT//gZ8M"
        "TTwbxQv374eoflH/cByeRytl+ImbpQPmVT5MBh3SeacG2lWr/nWpofjbwJyi3/ZN/GZOEQ/C1OU7+AzdV5po3yUGROAjxVbV"
        "lXA/TkHITkoNH00CHIHZFWukxbLAjfD7e+0Ep+r93loCnQIWBz/q6CcMDtTC8UjP+lMSVSm47hWn6XIOd2uCuUeYXeVdlJbM"
        "SYN112YViZ/ulgdgdc55+7hj+GqZoWT+s1m4jrMoTqLKVgbOK8LpT63M4oB1grFXNB70UGuQ/h+URmuR"
    )),
    "partial": (-0.672884, (
        "eNrtfXc8lu37v4QQUVGUrJA9Uhkpl4iWUZqKEEXKLiNlFVllk8hOdmZWblulIbJKQpnZFJXq93yeT64r99X1HPX5PX9+79f9"
        "ennF2TXO8ziP8T7ex3FSUPzncwT5+weF+P/9/L+f//eT8CfHj5+div/9OfbjJ/eP3899Nv3n32VGCq9+/J3ix99pka+dwuVc"
        "bF2kH/+fREHwYSmvU+jZnvvj71uQlL8/L39cjxl9nofBFtwrTqaSfrovwjTe/WMcy49xbMjEmpd7hxWKFKH7GgwZbrTccRV8"
        "voWn7498XHcXvJ7o5MXbQio56N+dbjWWrOia/PH/eH88nyiSeJuvf93eud9TUFByC39enDr04998P8YJIzcmU7+cte378XsB"
        "svWY+7cgYnAv7d3SoDbw+bpO2l3hSzcCxyHW4g01fIXguG0+tzUire6D4zaULVnuvPOh4v8iV1eDWnFydVV3A33KiTfguj1r"
        "UdTlZ5qTK/L5w+QqbIi3hJHy/o9xUj9+P4GTq7HVry/NHHgB3rdjM0tvLX8cOK7hW4+9dk8dOH+WR7g8M1huKkJyRe3lds6w"
        "dAyUK5er47cXRb4D5ep8/ctX2jnN4PMxM6Qw5IcZguNeaCFCfCN54LhHIjTty67B8pcwaemubVf9r8nVFUdZ4dMN7fC66T0+"
        "eiE6G9RX1QtzF7apFYH6anRyWfpZc2/wfXt3TJfrHPQHn8/X/f4hWqM08HrSJzout0pkgfoqWVKKptV0GJSrHtIKvWVy3aBc"
        "bS1cQ8Mp8wJ8PgvxKH/zAn1wXPSW9f0b1XLAcbl+3rKap/LBcVLen4QbUioAueL7lVx1DjJ1kMkVC/LKnl1fxv7lz3KgT8fb"
        "pDgnd3Ny897v+QJ2jrfg+i5qaZn+WpENjuNhCPN7JhRPIKdsyNw6n7nsOMYlnaI4t97z33fu/bmR3g+UKp+3PwDnz1k/VTvN"
        "LR4cJxYhU/vhejT4HjKewfXnc9MJ5FQAldPsuMrmsuWD6PynON597WTAgcrdnJyKHjxis0GyE3y++84DpsaPLoLjphOmm5Xc"
        "YP9Ar/bI/S7nsv9FrihKVVtw+kqEVfB+iHorOH8JKZyq3yLu/vi7NKEdNBA5rL4/eE5fsSBVGxay2NYuQcj11ZNL4wGW1h3g"
        "fWcf73197YUXOC/vhn2iHxpn/7w/ymIZ35Lpb17E0qmYd+RuNHi9sZmKL1+EPcHnKw/wiLKgvk2g1zB9xal57O2JrX3gfdeO"
        "NNctMwtDrxfw1ubCtulpxTm5m5NTg6J7j9evHoX9ya90EdtYc8FxgnbPXr7L/5/kClFZ8Rqnr5pCJQe3qzf/uJ8c2fUwfeVT"
        "H3bpFKkTnGdLk5mW7kFYX4l526VdkU8g01eDOH31vYV/SFU0FNRX7Lk3uSmCCmB95Txx7unDCHCc+xJeFhapGPA9PO7wHfmu"
        "ng/qq7H0umnOxnfo/NtTVfeW7ebE6Sv3kuEVDM6wf//GPI3Bx8kdtqtWk4/6ZGD/oCE/WycpvwjdhydMity/HiwG/CvyfYTJ"
        "1bH0D9piWnP+gTShXO11ieVtZKwAn49v96Lw/f1J4Hroh910LBu5RbAv2VD9d9xcjksgbQC8b+3tgxvyNsD6/r7g++lsiRLF"
        "n/WaHKmZzL/iQ/xKLwuYLWsC34MkkVD69HQGgT3H5Kpb8VXio6C8eX5npMXcvGNy9e3MrttsD2H/yn9Jh61Pnjfsd35rYpVO"
        "h+0+ZZvEp1nBNNKf6StyeaFA1+37Z+99Ti8aCPYbLWq39AXHL7xe1U0Q5zGjcir1tjP1cN478H0LD57s38ybBY6rUjjKb6Ne"
        "C84LK/Ou2AtTMT/LC4UdZSfODvrYPo3MVMkD73uDPXuySjMcHMfFcPEJBRIE2EFRxMTGtGpwppPAv8fkSuchQ5SvZCX4vl77"
        "705/VHEHn+/s4J7eNbQpMJ5THqZwwTEb0FdsOH01X14wfeUztl7qwSLMn7/nwSpOI8OBkOsrkfop0pqt9eDzlXkiBSY9sF8y"
        "WFqn45sZB16vO32BDaNo3s/yEpMU0Yyzg0xnejmn65+D941sd235npFCsD+wePAsI+8ZUvddAj2ExYMZvbP61JVzcipJGA92"
        "0UwKfZY9Dz7fQW9FHfPrbvB7CF1cE+OfBNtB08bkj/yp4PWOv5Ew1F9VC/hXgr+tr4Td663XVzwj/Xq/YXI1Efvs6dthGOca"
        "FbHuInnPrQc30ibNHHJtqA2HM4j1HT1YzgPbS6sTO1/7dIWD8xfO+t2miXVu/sj9sDl9JYCk5cRqXUrL+NkeuSx/8wZnB/2r"
        "wj3un4XtajvFC0Wd4svgezBbn7gw0HcLvN7KFj0+k+wYgvXA/Pa666Yx5wdegdfrCxK7kTzrAY67OLBmZ1ZjBjpfy+yq1lip"
        "lfzP+sr4BOkUrWsrgV/8k1wdyF82PAXH8eE7r6bWrIgBx11nJlF6sPuC62HrmCzXtjJb8dc4CKavJI4PXmrb8RS8nmxEndIV"
        "zzugvlIdVuJQ5csC9dVitTeqzwxgfZVuPrvNhc0PfL4BW33uldtgfTWuGuhQV5UAzvOMZvCdL813wOvtT8k/w8Bd9cd2cL5f"
        "jMmVx677E/T6zaAdXOTqbm3H/QR8D54aekUPZ3helLS76e9YwvLnt8GeofZpDkFcgeE/XHSOBqPn6wj2OeZfeTC+c06dfgU+"
        "3+ND5q2nfNIJ9C4fqv94rhTIL2OKAq9XG/3e9VVmKPi+l+8INnwfTyL9GnfE9FXkloeOpsXJ4H39e4f0PJVCwHEPmhbkrn3l"
        "R+An/qnfzoJIHzhBu4LzIcH+xeTK3+e7ek8vjDNIBvIYi9OkgeMoK02ibhSXEehJDGfoqjTo+PosgACXwvRVkbaDlwAC5xvF"
        "08Q7TkdKguOantIPiFPfAccpDhb7R/RHk+bLbz3Oby8WWe3L/+UFQfyL+e3s3rZfEc3X4H3vfcmNtSqKBcf5pKy8dKstCxx3"
        "wrRIKsjm6h/Gg/9djz2K9Thc1F+Xq6u6vgbeb/wRS3szk4B4kBc5UR9t6W2TQ2A/WFA5KHyVVKOw4x5p7v+byNbqLtLjRshx"
        "hk35vbrmQrfA5ys49dV81bUb4LiAxjqjvm2u4Dw/oOrXs6GB/b8xu2H6c5kVBPKCyZWqVHjxIqtGxV/bS0yu7ofo1ph0PAKf"
        "7zHnEFtS9jVwXDHrKsH322E/0b18wxpeh7uAvvp9v/2UvOI+kc5qEBdVoXk7M2AI4+NfrjGeXHQDyyMe+PtTjfPbpWo9pSm9"
        "YHzorLhAZac2rMdlC8KX71PIAf329Ky6/akBPgT6D/PbXT2Z71ma3gPXwyGFf8BzYAMsp0pj1CMrEsFx6kfzKKMVIlH9x25f"
        "tFFRtAFnByt9h17w8DeA1zMM2bX+TDmMX7nZWyKWdd6kf0euWJCmYI9dllOVoFw1mzsteCcO56d9DmcHvroK41K8B2kbn6VE"
        "E/i7mB3UW2agbEHp9WOcOCHeftR+Vzu3zj3wvqIk8fD8exHguNxbvuGXBkwVf70/MP/KvnKtbtuGRnDdGDsTo1Y1JcN6yEJH"
        "Vq3EG5WrzoHm2bs72nByRWc4tL3rJIz76NwVzlcfhP3Ytw56n981hs635y4NIN7+63iQA6HaqqSQcbwatWfHeJ8vMNnCjfPb"
        "y6JXuw2Gp4PPZyzY03b0RiBBfgbTV83tKwSoVWH8fpmyvLG9VhA47six50f40m+D8kJlOFjLa3l7Ht6O8Tx40TiA7vlh8z28"
        "jwj2GyZXre2HtVaONoP3XUU5+jRUKh0clxz0/UlsRiiBvsfkKqh8dkJgKRznmSxlyR3nMoPlmR9Z/+xiDJmfeBeIB2UQ76hW"
        "r6jWLJy+clSvSGWjqgdxBp7JjUrnrsN5pqvyde2KurAcXFirajC2Mx6cl8yKfXEh2xMVf+0nYvrqAlVxdtH2UvB61S+WyGfX"
        "x4E4g35laeCy57Gkf9ZXwsjuCru1Hcfm1pcCka6VWBnhyIGQ4wwXp/lKkysDYb1WfuHV1dWBcNxzlqF+F4cPnO8Zkt9+eRHM"
        "yzgmcr44WrNc8d+ygytKXm4zFCkjzZ9XvFx9VR+srDCAeQ+L1jncUv6QAY5zu/zpNr9wOGgHHY2oGbRSTEA7uB1RKjILg/Pd"
        "N8ZPRos2h4LjHrn52h0XOwPaQYY6qix10edwHsJY8k73jtsw7zD3gNDIgBtoB4OrdZ7p74P9e4YSjwkT1pvguJwQZY2M04EE"
        "+bwxMr0DyRUvckT3XviR2SxQrlQS5Ayb1tWD67En+tu7evU0VB8E8u386xuHs4NePkhr4xVYv0wdTWSsLEwisEeYXDFvtkq+"
        "JeEPzl/LBTMBt2rYvzK+8Lx1wX0vAj2O6Su/6VKKIqkoxV/HAZi+aulYW0gRUAw+34694iFDJ87CvKpveo6BrTDO8K0v7IuM"
        "MsyLzOCftZeNjkH9qGqNoSqNoReAviLCRQUQag8K2ccxpejvnS7Mdjjc5yLzr7gRtzNsj/LQvIYMYsSz+MiDbaG4vLPI8R5b"
        "tSo4r0sx8Y3i7c6b8/IpTlIdOD6Dica98f5ImD8UUi00KOPrBN63hUU7Sep8guKvcRAsHjQLbkISG6vB+/b4Hgg86wrzbgae"
        "nrCZzf0N3mvWU8ZnbokEODCmr5oOGa3ycq+G+UhpRpOt0zDfZ+NyaU896Qukf5YrPpx/tWGH+1/fXJwdZKLqfL4+sRjVT+nh"
        "EfHdEatxfjv17QtFPNyRMI5+N/mWCS9sZ16E+Q7SsFz/eZ8jmwyacHJl0FZx5NZFmLd+/37od1W9k+h+e+VaeF4/ww+Ht/f1"
        "1rBaGMN84Ko6dRpmJThOifTv5Bbwm+PhkftrGH4VFlRNmgqsJOBFYvjV0M6PUxunqmB/o7vCLycMlhe/BtYATdUL4Dink7Fv"
        "GL1I/xLezoEYkipLLG4WgDjDsLXMsg10jXDdTkea8tWIVBC/ivQ6Kb7UH8Zj+59fXGo9aAOOm1Zv87c8mPmz/otBTuP5onEH"
        "J5I/f4SvNx4mybJzgT2cT0ZGuh/viCDQf5hcsRQLPaJrqUTnv/0Z1YBUFp7Xd/7hmNUgD+w3uYirnKi2Og7j8rpLLhlowjiD"
        "W84hUSu5wH8tHkzUtPdlk64G48HO8WbGpUMBME9/TbUmz2/whg+6aLNQr48F1+20BHeJxqpbYDy46HL8bKhcLng95779ItNh"
        "kQRyj8WD24SQlt6u6wRxI+ZfyU7WSxvfSlSE4sHlUw8RylXw+tIUFtwpmILr2nppBjyoFa6C19t8YKf0PqkycJzyuyXDOzrD"
        "/yW/nQMZHW5hkCxLBv32o/KNaZ3KD8D3XfFueHd0dBLotzcbJOZrc+SA17PelUXDmw7jEdPf3w98Y7L6cR/ZH/eJweHtl+mN"
        "+dctDCXwEzH/yti/3FaOtgC8b6m8uK+/Ppw/2r7eQ2rjRkv0eY5T5yRwMCfj7GCslAL9R3ZYDo4/sE0cY4bx+/hAr6kZeXuY"
        "5zaxkS/1OxGvnkiu5AjlKm/h+GiFZCxB/hzji9L1FK2tL6hFcRrebzR3Br6wIeR+OzPb4f3eK2B7OdmYl+4YdxccF7dKeCRC"
        "EM7j7A9r171+7rLir/FYbnTdDsRz6T+jv0WgnzG58j61i/JjPJxXk/e6tuo4ra/ir/clpq+YLSmUehaVgO9hsVEpj4sqABzH"
        "ID3ZuPhzFPh8q77zMWd/T4DrYja7cBrNRCv+md9Oi5DWCrFTJ69CyOVKJzA2xcgoV/HX9hLTV6wNMxIytYng88kPNk/OToXM"
        "i/NOaXbi9JVmDM/LPj2YfyDvkSBB13YOvO8JpoVN3RsSAbniRVg+edelysNxXlrM25NvzoWA4/ZyrfO9mhJGYFcx/2oJveM3"
        "7f330Tz7MY9p7rLyNTj/SlnX5EODSiacZ4p86cXCCfNzHHuLRoI/6YDvkbU7RGtLWSyB3f9TfcWC5Jx7xNOk6YbqIZOUb9S6"
        "bqtw8SBD1kMd5HklnCfOl1puWwjnU67Lm37o4nME6geFEfPHh9UOiCWjz81yE9lTsYwbme9fCSJsDYzL5aULCfYHZgcNvbxl"
        "l2+yILD7mL7ydLjZ7rUCft+y0PiY7jSYB29yfpnfmQAYn+SYvJcs6ngFHHfsZprrVfVg2N+NMV5pwR8GPh/reNlJkvm8ehIk"
        "cmEToK+I5Sq3PVLcJJGEypVCS1jjulN4uTpounD/JCNc956Tx9j8UBK2b8yZM8cldgSBdalx7RyfL1vM4Zi0yNqPInpnV7Ag"
        "5H679JUD9BuT4LrANOcWkSESjJd4zPJNHFG4DPOQxctKXY7EgvrK+KNmckDkXQL7i+kroyT9Y/5vSmB/PFNaq3AWzgvFfGNq"
        "3PDeEXzfklWr7kf0epH+zL+SJMTbA2bCfJ68iQR4fX/FW1XJD2pl5/SzPNn1MP/qZHW96vXnMJ9hyGzK1SfuNCrP4flaNWLf"
        "ViHk+BVLc9a2jEPPYP9Ka9Dy3VWYP9mgHPFIdZUPOE6N7nQvU1ShIpQf3HdNiFK04OG8fY71DcD8q48HnOWpkBZQDvadld1a"
        "pgHb3wsqRZuXb8yG87ULV9HQWcPxZeDXb0w9Ejf/EG+XQYr643zEi+px+urTja5XH9WyyOYLHw+eFuuLN38J8+tqHW6fajzm"
        "DL5v0M6WrETHINKvcUxMrrYs5o3gNIPrniRaB08xacUS4NSYHYxg5rS1yMtHcUz5O+5/fR/h7KDBTpqLJxNh3qvGyQ7JD2pw"
        "vEq/bdI52AuuI43J2H6ZYnkwOv9iOYbKK03oEHK83UFIfGX5LByvZrRH7VQOhOPLxpi+6BvuV0j/bAeZf9MO0iILREuOuDgX"
        "g8/nqSaqvC4ath+p6wdfaYTpk+FrKGqK6qPgxpSEyTswP0IrRP+K1u0EAvyAA5WDg7uOfDX2jSXbV/j6wah6bb1ra2E7bT9r"
        "uHVYyguu7z50csZRNIYgXsDsYH1QmN61T8Xo84h84di33LcFZwfd7qQozOaWg/Ny1k7L9iM/XKfUwCW7VVVaDObbLuxX2tx5"
        "h/TrOI+If0XsX+nxiGxHPuQS5BcwfTXKcP6ucT9c73Jm8E4pex1cr6bPZfD2aL8PAb8T01fy+xTeI9csYbullEHLEwn3wXgz"
        "TU+rHOVPwA/jRe1W2JgP6e4lFEemEN0ivp/U+xXHZ/j2eZAmxRTOJ3M5667N5XcDx32/02SrQ5lGoE8xfSWtbq+c9gmulzwe"
        "kSXx6DXsl/jrh+aZO7j/YTwoTyBXAsiBe0J39MUvEvidtKg+aLzxNLdlcwQBPxvjt+9y5d283C2LAF/D+O0LtoalX3kQjz5P"
        "lVl9g989Dpx/le90tcpe7zy4Htp9rMGkXLgOiO3wYl3XFjvwemyy10UFtWF8nIFvpOzBR3hcSQRC4im9huIMvTUCe3sseHE4"
        "wwv+5AXF3nB+K7hkjDdyEOZVeeZtCBtrg+vybS9S1bzkv0eQ1xgjk5u5zz/EZVOHX9g3exPYLUxfmbnvi2X3huuTX7JFWgt3"
        "xxDkYVnQ/Zb5LiktPzYQlUtTR2RnS/86hBxnOOu+PsSh3lPx1/sDwxlm6iT64+NcUT0uWZLoNxJEj5DbwbMuavL5gWEwX2p6"
        "YvOYQw6qP+fvD0xf2XjFn3A45AteT43fvfdayDE4/+u95MXZLhg/eLXvYD6XC4yf1q+2K3J0g/GNo301Andk8wjiFCJ9RY77"
        "YPFgIwVH7TsUt5UnsIPcCG/6UbEbm+fqz8nxISwejF/I8U6P8xT4vpfD3/C1XvUkwPkxfcXrxKJIYwvzZJ4eekB9vOogjBMq"
        "qBVpvLkBXq91abm9NYp3EtlBYeR7j1wZ45IyAj2OxYM3CpkWj+vD9vJslKbYJTfYnttNO4l8PQnv81S7/mHTIDhvwBxH9W0l"
        "ld+/Vjfh+zJLoscTzg/6b/EQPCMP5wf1kzRz0zTgvo3fN3SdWibnTsA/wPArq9Viq+J8XAniIwy/EslY9lp1ExyveilGbZ+Z"
        "getstlcyv+CSMEft1uMO1xumanwIub5qDH39udoMrgPPz9E575RtCD5fm9atm/tV4hR/7T9j/hV149a6ox7wfnM7n0g1IHoG"
        "jj8YtGJoV/gq/jt4OwdC+7pwid+IHZgf3JGwZCSvoQjMD0aT9JIHvWrB95igr3i0ahbm/Z/xW7F3ohXuI0Ihvp/pXL0zkMcR"
        "QJ6xqKYsKo4B84O1NuftfU3heHX74g2KisYwfurM9+w96YUd6df+OOZfUYvdY0yPgHm5W968juYxg+ParzKMekz5sN8Z8+D+"
        "dSu/nD+0g8wINe2NS7dJfAi5337IIu19jNBNwA7yIYkr4qU54oLRPnzPt3x0mWKnJ5MrDmTjbPijgAshqNxfeyv717cUlx/k"
        "7VPg7GSD83RxmpUBTS6w/ptaMK3TKXGDgKeA+Vf+lYm3mA2CwOux36d//mEbLM+WX4LfF/XBcQVrn/Ys3+fAeXlTk9h3OLla"
        "oPOi+9NBGK8rmAkIW9QD42F79vB7aRyA+Yn7BTX6MrW8Sf+W316pf0Rfm90D9NvdmL92FejA/VAsKLTD1ldHgn77J1pN0m1z"
        "PxSX2vk3oSaLzA4KICaFq0XoDrsR8AUw/Grzue0UN6gy0feQN9NSGLY6h5MrnZK3NjOUJFBeLqyb3pS9oALuq8aYMqn78QrM"
        "4+nO9dE29yXQp5hczVgmL61f/Bv1yTR5Udc54LrtD6Hyhw6xwnyGYpHg9h3tGN+A/vlL80ve5PjV7+cHjzruXXTzfSaIXy1Z"
        "F8BrHAL7V2fqVNfmrIDrz+tFBJmo13kQxG+YfxUwHuuoL7cLlZf1slzuk1L9OF7f8c3n9r658hacZ27bNKoXi2F+ibqQxYQt"
        "7UNwnPfq/WFslTqkf8ZFBZFN07Wbs9ng/mYFNuvKGaOdQfyqOtv4qJP+Q3CedRwszw1fgusWH+spq7bZWhPEKX+aHxRGpg6/"
        "PFm29zKQHxREyhPW7qJfEk1Qb4XhVyVLNm7tkYlD7WVH7TWqbX5LEXL8Snbb4nqj1zmoXFELMTVftlmJw6++RknEPLt5AuYj"
        "nTl07YEyzNMKSo2k0NSzBdf39NszB2ofBpB+bVcxv904wSFERwzub8b79KJ1dTXMM4/KGTg1pgLjFjF9LVMtg78R520qoj4T"
        "AF/ve+WY/RmfmH8pPyiAnE4asemguI3aI41NbUZB6jU4nIG95OTqXpSnz0sgVxzI1UuUvH7fywniVcy/os+4z9asCOPFnZ/3"
        "KYUIXoPry9ob87qbU+B+NzS3O5xRvGkDod/OV3g39KIe3IeFYYHeg6OKcH1oQW3y8zXBMF/lhZ2K3mIxDzA/qHvAz2DkLczT"
        "8j22aNmpVrifr9qQGudZaifSP/vtgr+pr3iRdMaeCv0ajH8a0bz40+2NX3DxYO+eB3eP31An8JuweNDUTP1E1CjcL61zXYD7"
        "oNhxuN9Dkbs0rVw2QZ0NZgdH+942JB6C+xWofuGWr9kOy0vLxdr+7y2uBDwFTF9RvS3Y8GjtU7gf6OOc3UwucN881gr/oPja"
        "FHSdbEv7Dwof4cHJFUejSvZmEsw/VVi9sOtTJZwXpzqDUPoZ2c/z26lna4C8MzdiIhF7//LHOFzeuct064dN+8vB+x5mpHtc"
        "WAvXTVQfe7L89JIwgriRBdUH8eZil72WBqFyumQw5q9vLw4XpebfsfHiJbiPA+fAy4u5x4xJv/Y7Mb89RHb71mWf4TovBjFv"
        "bsdybXBe1tKIT25gTCbzfzpxeee6c84UmfmnCOwq5rdLSbzvF7KCeVVpX84nOQnD/UojamWtRUsuwf0ib6yNnHgbSFCXRVSP"
        "81/54w57ifPb+7sbD+e9Qc8hQjpX5zHIvWVDyP3222eWp+rthusgYxSPXbKMgnEp/5ulFqNycF/Om9cW8XYGWxPEUVgeZ9Rj"
        "4cRlhltk9jwfFw/GmyaGi52A/aFjHPsV22T1yerZb+D0lWH/KcrwJ7CdmR75Fv6oA8bHp513M/VKnAP9dj9hvbEOGxgnvKts"
        "dzLrMswDYPlo1DJKZ036dV7tT/POvMiQN0lLocYb3Ufz1wPzr5K2DG8dz7msCOFXPgp1z9YdSpmHs1JElOHr6DlfsfjYwPGW"
        "dpEX73lBOE6eWK3krs8Lx3nuQgY9qw1gnNCF2yp9Q8b5n+2gi+NoF06uJt8/nh55VAZej+M2nffFXUHouoXXZtPd5+RGyPXV"
        "jmiOTdeyYZ5MBqdp5fX3cJ3cyygOhxzh3+DRSocNl/MG/DEuOj8Pgfnt56kXntWjD0Ht54nvcaNdfHwIOS56lIKL86L5XLzF"
        "RxgPsktrOTV4eqHx5X9xqW4cn4H63rZCF9E789Zt1aMWnB10oPYI1D0O8+Wr7LbnnTwdDK+vjD8peLMDOM+yo/HBi5vh/G+w"
        "txKFeQYspyttFbW+GGSAuGjUZJTGl0GYh9xyS3jy2EE4j6jPsOJp+hpYP6uGvhoq0sRwgf/aBSpAX20k0FcCSPVi8dX2SYYE"
        "uAUmV5p7qOSkdR0J+JiYvtJ+zcPr1a5FkK/A9NUx+RMxR1PgPAQ/e6b+2DTMJ+wce3BYyEgVqB/kRSQm5IvptWF7pPBaxUEq"
        "C64DClx28InMW9gfD1mi+1L64c15fZ2vC+J5fZ6fogZpxurA+4q8Wrt/wTGYdx3ucKfvgJwF7IdFI51XOwv/EBelRbR0WasS"
        "5dgRcju4N3rN49y8O0AdPRvCxhh/wDkjGDh3iQUhHdCvStkDxwHmwe6XKM3hOMV/kHlJnY8j6ddxNxYPnh85IRrWD/Ogtnmd"
        "Hhvrhs9XO2a/k+pQJXwO4IdcZpnMiRsgLnp+SL/lpRzcF1s0j8swR80e9K9ISlwfnaPheqEk4zWZXxJhfzfC5ZAKnavJv8Tr"
        "40D2bZZU+PDtLMDrY0MUauO4z8b7zYu7xfp6cXI1qahouPsBrA+MNkwM974xhusI5L7YOrnD/Xi6m82XU3C6YH52mevCRUuc"
        "cPqqSy4/+7tNITjP1Es97j/SSEfna35dB+ZffTBYn+FZCeeFzI72UFFfjyH92l/D9NV0YPZK6kYYh2tUG6W1UoB50k7B3Oca"
        "dWC+WTBb2/LnF1MU/xln4P5NnIEDUT9qS+tPWYLqg2+qEtrXcvDxoOTns4+VfeB8aKfng62VFtmovDmGBkxtkl2DkNtBpj6N"
        "F7uo4H5V9tFcEctZ4Xr7q7s/8xouhfsVlIzQ27FKBRHgEbyofulKfEWKMLum+Gt9j8nVqambNQML4b4ut3Rn1yZxSsH5rfOn"
        "n+xddwPFabSCDbczRI7j9JVwu+c9bgWYb+GfGC2WKgf3Xb0XUbVPaNucnlQgwBnI9ZUAob7SWXyqKu3iXF53I6EddF+3rS7h"
        "URCqJ+fzFDB9VcHcUHLpCOzHfq27fFy6Fj436E0VffvLcphH+55/QwnluRj0+ebnF7A6epkYqYvRRoXz4oX7In04vH3WN4jn"
        "TRB8zuid883V6doO6HyNe9bb9I2wIuR2cDKz5Arz6EuYV2DTFMlCDeMW/Z+aWD294LiixGVTA+0d+HznMyK6W/SssLzV/Pkj"
        "wq9YEF9zarkrVhQIOS4aZaop8T0fjreivp405OG5RcAbxuTqVNiZKptWuA+kqi3N0D43F3Dc6tEZS032IPC8iVqXnKHzBbGo"
        "X/IfNqtXFL4e5/2LJN4cLtjO9LHv8TZArhHkozB9pdZySsO2H8bvqR5vkFP2ht83lT00O8QrBOX7/Hf/4s/HiSh82rNmOyz3"
        "j2wd6HuuwDzkfpYFJXnB5xX/LB4k95swv71+2CDqleJxgj6fmB10Vtvncn49bLf0XxbLywmsA893lrzxYGTHLvj8t/WSkTfb"
        "R1wwHOSL3YmjwXw4v/1Ba9KqnFRYH/DtDfHlXQvXqYcleT555XSXIJ+C8ZDr1OOirb7O9SfcQIC3CyK9YYMW8S1wv3odxvfl"
        "WWfgOK+u++j2YGUYl9+xJP6h2lFz8HqG/EOlpG/56DwzOjyOo1jNQiZXv8+/cmIY7Iw5HUsQb2F2cBPj04VX2izQ+/btFX4Z"
        "0LMGp68GWrUuUaV1wfUu/optDe9hvCndzaRslhLjBc7nR2BytcSILZyNShu8b2Eou7EFjw2B/sPs4HHdqYZGPxh3vLlo/Jal"
        "3FzdmAJhHufTs9JiWvXjBPkezG/3UVNTOXwYrgsUZX1LxTtkAcczMedqG8/AfZT2TmgMbK8PBvI43DhcVH30zusPrStxdvDy"
        "vQThuAOw3RoWqtTsortNwFfG8Ksv7yo+q12PB/v1KWgsU6Frywfv+47O2s1UxAEcx+3zwnEdPdzvJv0Ed9DCc06oPraIbQ15"
        "H8aA89ufyz63bGrG+KbzeV+YHVQsNH49IwzryY7pc+y+rLA/ZNL37L1xVhl63y8qH2IC7EZwdnAgJvhpaw5sPxroHd/JFRiA"
        "4yQbUnIZnyYT4N5/rq9mpxk+9UabAOfwsiEjnkue8PHeRvMQ0/VrFaQz1uL01VGDEV/P3Y/B9b2o2zXw9DfOiRtqk3vv7DzH"
        "S5vjlZaT+VeiiM+LrXvojlsR8MMwfnud/f2X6s5l6HucvjdKvShlDUKur3aIaTzJ0IHxyYZXcub3XsD+mpZW4fWhRdfR+1bm"
        "qHKpSnHh8jh12gL8lxwyQTlYc2rtiEMIjMs/uc/78OXxI+A4z3cbpfmYr/xh3QQx/6owxvGq6HlTNK6tuCGZRaKlwOEMqeWy"
        "GvViMA908DlfG2vsTQL/HtNXB+KZV7MowHoyMSivhi3ZGV2P7aIrLZROC5PZQT5kPY0c+0aLKnQ/SEwf6qV/ugIh99u1zKgO"
        "FzXAfBqGsSJZrxoYP63uv5pwrNEPHKfyrOaJD5rn5Ea2PJtUeDbZjrOD5kE7SfqvYb63Xcg1o8H7TjDOoDlzOCDaFpxnGpLw"
        "m8drkwhwAWI7ON8Pw+SmYpd95GetC3DftxMdEhffxBPkezB9pUxRl91CBec1EivXuX4ckkef97y70MQRmQe4/GCnt3TT502w"
        "HEzd83CKooXxUzW/7gBp83l58Z/yKZi+qrXsCDh5CK47btsXUKbzMhGVF86/P7dwfntKU8obUWv4HIlCDpOlYZ7YebPRqodH"
        "TC834eyg6tDra8Yb4HrEpkqHMYa7cL/IHmvZW4bouQDyBHLFjMvjzPcjMLmS1yqifnoYPm9M7rbi0X5qeN0EA6eaL7loKP4a"
        "98b01cYtqmcifeE+s+n0b9K3rE0hOL8Hwxn8+laEOS2eq0Mj7vvRGLVi2R2z3zhXtbHo0pfPsSAPuTVrNG7BSbheqNXB9eTX"
        "DvhcrZyZrZLs9US4PCZXFGPO8k8Lf6OuyCEtMnmFK1yXv4Cm1uhdCMBnIMeviPiitMjjXYMMIetg/+/LIqHN7vYr0XW6zLyN"
        "ludyDE5fXV6/bs8dmio4Hz9T7zWpB++jA0uHaPchl9Dndk9WCDDZwIOQ+1dqx4TEd9jloPs8zOJTqMWnGpx/dWpaXDgp9MXP"
        "60ZBuQd/TtyKh6cuPDaH6z7Vkplnj4zBeihs2PSWmT3WJ9801OpLQSkrzr9yF88ai90Anx/a9zVjS3Ar3M9jS7BDM4UbfI5d"
        "nm1qDfe6M3/IZ1AgkCthxHVE+Ynkq7l6EgECv50P4Ule3Kq8C8OV5/fNw+JBnmSW6927/OfZmeFNzTh9FUgjnXZxN5yf/mzl"
        "dvS8CFzH7Kslz3Uw9Ajp1zg6pq9OSfVN1y47CONXbS8eb6vdA9vfsmY1g+54Apwfs4M8koGnrE1gf23aolXPfTnslzAunGhi"
        "PQH3Zz2dZxA3cx0+V5rV6+QdE1Luz3kI7jszlf9zPHjm6Hf2gCOXSb/2w7B40EG5q51T8Mq8/EfP0lacvopR2/jS+k4L3I+M"
        "hvNN8ko479d7RJHlwzNrAj4hpq+MD7zLdG3xI+A1Y3L1MaxMsUIGzmvQqT9OiBM7SWBXMTsYGC37fiM1fO6SScKwqLCMLmlu"
        "Puf7p5i+qnHXqnebhPv68ZQfvkC3FpbTlcKjD++Zw3g71yutFX35gkAeh/m38ziOWSeun6OH+SrVIUom6VVwXnzqhljuKn1b"
        "Aj4Nxm93VeEem66IIsi7/HSuZcNQ/suqBAJ/EsNFP4155G8rgXkF+7O/UJzJvwiOU06e4Hy4EMbDrq4za+1ldyTIu2C4aJDa"
        "XldrKSwfP59nicmV8Reqh4r88PnsFDL3NyofhPWabPtrzyAt2N+oHf/kzDFsBfhXfLh4kGRMa534lYdMrjiQZv2AekPqa+j7"
        "Tj2+s7EjmQenrzJS5DfrzESheq1gmeDLtwY8OPyqXY43ruw9jEvliXPQcdWchuv9zqjKtWXDvCrR1cElC7luon+fX1f0k75a"
        "4CTZfxOuK/+wQdl+PNYaPpdbTXDUThLr4/W15ejjQ0Y8CLlc5cZEUGmuzCbI92BytbmDWWXLuga4jlSEnnrnMCz3d634GdNJ"
        "8HmQkbkflzVWmaB/f3daSP6r50LAvyL3wzD/ylFbbyT87FGQ13dbqKDyxgET0q/xe0yutILOVQ/9Rr8+6QXlj3soYN56IGOi"
        "n67rWYK6aAy/UmBe/ta2x58AH8fk6lP9EspGu1cwPnTfl31dynVwnPkj3cFxhwoCfBzzr/g7qakkT8I8nom+lvf9HXC/dRJ/"
        "F13+VZgvsK/gkt4IO2wv3fmn3HSXZxH0NSCKB3kJ/HYW5PDUOsv3prFkdRM1uLzz1lbq65kdMC6wadZHfMVxuN/Xt0tvT9vl"
        "asHnlzl7e4QWOQF8Bj7EUmLVuMSSKAKeJSZXX3Ne8Eh6wOfYce/cZ5HFBtdPR+qLLBn1kyTNfx583vnYYirJZ8Nwf6TEiopn"
        "WjOnCepmMZzheHBqcVvpYzgPa2hKQX8C1vdTh9LsDxmZE/Q9Jzx/ELnpS2Gi9JncDgogKwcS3kh0eKBy+nKVs8x1rdc4ffUw"
        "KDY4U+k6gX+P6asdLk+ixZ7CvHXp5wlqhx7B44y3eebRMtqh+IH5N/qcVduHcHJFdZJUqZge+XNcQRH+CH+el4q7e/hSX/j8"
        "7vrIsOdfXWHel2Wb2LYVI7BfnHZf93hoJNy38ZDNZg6xYxiuIjx0QTA4F+OPzcnVtee507cb4P1xPdDC3HsfPM/vnj98v2ax"
        "I0H+nEiuiHBRDiQ4Vrx1+12nn9fjF/2v/rJ7Nt6hez7Acc9YSeZIfrQh6q8Fz9bKZlzlxOVxdGKuvDfihft07HtisqSgDK5T"
        "F+3VFLy6qpDAHv3UZ9unNvqajzFBX3EMv3Kn1rE+uAuu29FisVcQOQOfb0qV7L08hd4MxpuWlVtf3TsPF6Wwo8TrqxO9Gyg/"
        "VsH1ZevDo/Xsj8B1J4GyH6zkgmwU/8y/IufzY/pK1/kqqTLhMOq/yKe+lbl8igeXH/weuM6X5uI5uC+nTNl1u+PY9aJuXJW2"
        "k1qLkMeDzQlRTBUBOaj8zb7QP8q5Zi1CHg8eZitPCz76ALVvjRJfGyS+VuDiwdfqoZ2penC+tqvU+UJ+PMwbplnvv3RAG8aL"
        "47SOUTspw3mI9Dsx4g/PaxLU5WN++1IPiWsPXGB5EdVOGMzaYg330ydVHTNrhf3dy6saFysOZf5LeWdhxJ3ngUbB+AmCehKs"
        "n4z90ik5afV4oO+HALK+m7u8c8VNlH8w/75Y/WC46hCPfG8mAR8Tyw++sE2iRvTgupMYhSqV9FL4HMoawVm7nLpEAhwE01e+"
        "peOVFfLe8DlszgniD0gwT2uFkSf7eR5Y/33XLGj9JgXXBfLrbI82/Qqfu8S58Z5TM8kI5pVeNI7hpotX/LP84H9xTJ/Psbg8"
        "TjEfXQqlDHwO5fH+q7bKTnA/lEhPFgal8GNgfrD3SoRNKj+chzBhZTN3UUpCn/tmNbuk3Pp1OFxU/kK7wMLpPJSX0XiF60uO"
        "6STODqZOSsW/TiwgyPthcqXUEC36fqof7s8Qn9binwXzqjaXZX/2vF+B9iuYbXhzXF6UBYdftRmdfStYB/tNLgx0YY6pMK4s"
        "NnbfoK8axuv4NQ7sPCafBfAZfh9vL6vZttnkkRLqt3eLlP71bcD5V3ZTLPViW+H+dfZMap+bGeLmn4dh0Y3r11eaO+MoYXcB"
        "XfdsSoOENSIxOH0l+DSbwSAatgsXKEkGmtYFqP1lkx+Lpdi/FCH32+OTdmTaX4T7x+Y+fdfnzpRK1p+hDdcP+XPXHv+I0TKC"
        "fY7Fg8eL60tnC9rhfKMuU3fkI5gv/3LP/mm1Jpj31TJdeCR9B3ze9jEm7w66vLsEfFZiPsPdxekRqnlMOLw9bz/r6oOUcN9V"
        "ntqX1GfuhsL96xoPmB1fv5GAN4zJ1bGIuzlLKHPR/esYPMDLxoU/F8AihN9VxQq+77K2Zr0FhxOA852FEZuzO2y2OWM87iid"
        "veyTVwQQcn01Oex60iwa7pNgyKa13ud0BOqXzMdpMLkSUTWbjpmE4zLvqxrbvTxgPdQ+tv9GZxS8blG5omuD7OF+fWa9IZT6"
        "GqFAPEiOt4sT4Fe8SNC0pN6RHY7guUsUZktTzF7D52B1uFslql82IsPXynF28FDFqb1m5fA8P/0evG3fOn+yelNfnN++WIpG"
        "v3+RJzjPmv2hDSELboPjBoyHfMVJBnB+y3i1xzsRe3ReJ5pFarJHWRByubq/hpE79WkpXDexSepB8uJSMB48Yp+7zEQLrq+N"
        "MpKc7DkC+y+7I3REtj3503oc4v6ivL6PDKiu7yfA0TG5kjvIX/ZBHOaLPkkaCaj3gP1YTqd1bM+3Yfh9eOY7tkVp7Dh9NZzZ"
        "i8j5wri3qpn9y9Eif4I+d5gdvJ3wOilWGK43SGJ8OHDzTB6q1yToL+sYMOHrcSS/IuZ1g1vR/KD93x+8HWyzytW9txA+f+vS"
        "x/Fvzx/C9SSvxSh7WLrhOv89RUILrnWbwfOn5rHmllYWkB8U/JXf/lPdO2YHd70pVXVUgP32mcqadmGtbei6ZZ2vrFOmW4HD"
        "RY9b9tr3usF5U6qMlscLozLR61mbqpse4mPDyZWMsbtYWQ+cN23Qf2z59FwGGofy/v15ifPb72QGRTjubEB/H6It99e3Cee3"
        "b6LeRZoMg/EITb+0GbXN8DjLrV09KiNwPkVye35trBU2Lwp7rE/rVK3E4aJX2K4JzdrAPO7xk1OvattgfXX2+vM7Tv1H/jA/"
        "yILsay8X8oodxOkrVs6TuX6zB9D1mL/fMH21bYKVLjcSzqvZh2vUbT5mA8eNRjeYQtqKUPvIIrNb2ph9AsdnUBP5OrYxD+tz"
        "905I6daydwM4O6g6weRdHNMN8+Wlvz7uGYTrgKaymBI1lT0I6ukwfWUWnua1SnP5PN4Xxh/C9NXWjBIV7wtw/aBidOj4p7uw"
        "f5Cx3CyWsgbuG7+ScxXna3FpGF9LGLkzM5kO8K/I5Yq4P4N9SIzS0KVcNI4KeBJ2+c4ifH+GBQXieje7SODz9bKeW3rvXC7Y"
        "n2GZ9Z4d6ntgf60IkaYe2g3nJb8tabrNOeCu+Gv5w+yg6XEjg34JOK693l7Mw1UagdrpOzE5a/pnecnkSgBRLht4f+gsrA+u"
        "0jzqRYqD5/lNluEIDhddT1r+kEoe5vNXfdC45pZYCI5b/Cwg+u4iGN9l9bXvskB2A7io4G/i7bTI8bNHTVpWw/7puUmnxi20"
        "cmR9FptxuOiZInuFzTX3wX7IzptTu2hoI8D3DVDfXvrhWdjP68H9zvYFTl9F8um3qfHD6zGzp7DLmD2QgL+Gyc01k6zn8Qff"
        "gNeLyKzhyBLSBefvwULb6gJJ2A7e/XBM3CspBsXhqjYsZLGtXYKzg2p24s2LGuA+qXs2JbCaMOXB53mxBtuwSrkDfT9+H7/y"
        "ef2acoZJmSCewfSVw0X6p2Of4XNVjTwUEoXRPr1EeDsbIpVwKn7hV9gefbDMEb/JFIHGgwp/fx7j5OrxMolT4kxwH0gmukuq"
        "3XJYvzVrjlorjlo8v31ayDD54nJYrxkmMzAbrETrlJCwEd21C/3ZcPHgjfTMENIquB9P+6Em1eqEUtQPiVSKUDJpxvtXMrun"
        "KSW5YFxqtZN9ZHYNHG/FpMgwxqy6/a/hogo2hzv9lBTn8QCi45tw/lV/6+f+BzwwPjnstnFlbmQcQd0TJleCj66w6O2A+86k"
        "HBDecntRCkHdEyZX9xRdtRdchvtg0ArRRPkuiiPQu5hcbbs1/sGkA5arYDf+nUqkZPT5VK6PVihN9eP4ojUPmXpFH1Wh8nxs"
        "pil8BxO+DyT7MbdN+iYwfpq8bXyUPwrmHZ6hdtbY0wHXg+Wyx7cvjJybZ+H/b7laSbGztWLzHgIckxadFxXlZSvX1WYR4JhY"
        "PJj8VbtmSyzcjyJu6Trky5I44Jw4YUSEkePuW6scAhwTkyvuhRyPZShh/69/aayfgn8YeG54U91iP99Y2H8+eEAvf6lT1jy/"
        "SSCkEee3055a5b5jHJZ7+QfND9ZLwPFlUtU9O+pHcP3q9kNHGJmyYVzea4fXiMCTICAe/CXOEGO4YxCHi+qFTM6EtGgT1Pdg"
        "/ZDZ0uXX1bSdIui7gMnVq8s+NTH9cD9LhuRknZrXauj+/bssNbwbl8fRctwg5xgD48Wza0a3tusdgHGBradf7n8D8/VE23jy"
        "FtNkYucR5J/969uIq5t4s4Vq54YnrXA9e0fn/sZD8LkZ3dVpr2V2laDxx8ILtS/KOp7jcNGRUc4Ka0u4vwp1nMLTp+ZHYDkV"
        "q1NealcC5J3/QF9daVS0X76XIE+M2UF5hdoVPizw+nY1JRU7nE4k6J+I2cH6bdYLNfqyYb7ZjmdU7lShWLwqHPxwj/AKMn3F"
        "h2y1mY564h9B0B8JiwdPDJSFbb0O42sLGhPOqB2FecMh73fKLq3OBc4FEER2cGsGmrbBce3N9Vc9CjNt0feVPTXekkjDhfOv"
        "RKXfbDlU1A5e75npERq3PXB94xOVF5rlm0rR+87n6/25XNm6vp3uLgxE5ShMJmvzbVu8HRz/INkV9eo02Lc2pWC9l1IB7Idp"
        "Mq3qVm1MR/2Se2f/1gg4/IrNblNQe08ydp6mxrUweVoOnB186uKiOVwIn7djuGxkzIECtgtJr8OHL7tdIcCfMfzqoql8xaXg"
        "u+g8zD/nEZOrwG+T3xEn+NyMRWHTY4cN4fh8sZAYwvwb5/cEL3v1pdcL1gecSQFO15xlUV7fr8/z+n25cjTLFNgbLIeuL/eM"
        "K9eM63UcD7l8adOxKfMK1A/zTwxb7/OL/gyuUkubU7Jfw3XM7BOIx2L4fZ89i0rdLZtFZt/x/frWvtHykk70IshLYvqq17/n"
        "bIjAC/C+gilxfEptBQR10ZjcVN/bfkMmHz7/yMLcxSyDGq5zMHjlPp2knIX6f9lf/P76NuDs4M614Swf38P89pLD2un7ROE+"
        "bQq94+PadvH/Gs7wQu0AS5CFEogz2A+Zt46Hw3nOoYjIwqXXignqCDBeX8+R5VfZGfJIv473fzof5/MJr9yKKlgP5R+T030O"
        "89yYE94urFs47xyJGHaLNpzfLjG6pfBiAxwHPIqsfJf8JQ61HxMxklk6pitw+iqsScGBgRnGm6rDnqVmaeag+9rzVMpnTzU2"
        "nB30MlbZyKgN94k56yUukXoctr8SyrfCNzvHEJx//udyVb1Zpql01R50fdtcziCbuG/i9NU2Tu8HS2TuzsP5u9E+O5i+Cuxt"
        "1mhSh/HJyQ0s9evF4fqFp6rGnC1PPNH7rGxjN5gy4sLZwdKZp+WxcnCecxn/rkCD7jSCPiKYXJ0d+jCYsNcDXI/nJ+rZKjZm"
        "o7j8xC6/Zyyj3Di5Ml/OaTv6yATuU6nSSUeVnok+X/VTxaPH9+LP81q+0Wjf3vdw3VP667LOFiWYd2NtnHaT30QYqHfG53G+"
        "tBkaz6hexuVxhCxD2BdrRqD7jbnDi4sqnxunr9TNpHonVj+B+4WvHbMaKE9AcdEfqBsOv1r1tWdbrSuch/juG3mF5jBc5yq4"
        "51hKK3M6ep/5fbwwubnFKtz90Aw+N5d2S1tbgPateXqN6tALnH/lYHUjJdwpnIDHg8nV4+mLmmMrYVw5oqNi49L4bJjvs7hs"
        "dACB82CiXiZJJw3g/pinqmwvWJ/XR+XZnkFQUXeR0P/st8ccCNoihGyZ16dj60wRLh4UNrobanAd7mtw5RGjY9+10nn1AcNf"
        "8Hg7eyHrvtpEOK9hUXonaKx4Hl/PZWVyC67Oa3fgiYm+2Tk8m5wX9NM5JjraKlX73oH3NbMO6VJKgv3sb/wyDIOeieh9tl2g"
        "G+bPTcLhoqP8U2Yz4SHoOJa/P8E4XPTtyi0UI0rNMM/S+tDBgOQdcF354mRq+k64P0iUf373dlcvoL/o78tVH/M6XkUqcwIe"
        "FNZPpps7iI1ewhe9/gDvrrNXl5PzZDiQd9+M9C0pMVx5a8fbLR1vh3Fypaj4dHiy7hDcJz9k0kpPA66HEDOVZWanwvoSza8z"
        "xOQqQ7LkyYpOeN0OvgoqjbsJ83NiqmKWD54pRudvPk8L01dLh6KKH1HA52vIWlCVq2xxRvXfrb8bVwzj/Pb35gbmmr7wOV3O"
        "wzcZ11pZwn39+pXqeFQTgLrU35erc+Fu5z7T7iaog/yp3pmRkr1IDsafjwfc8u2STyfoe4TxkCnUj3f6PJnXB5diqKwLh7dP"
        "qHlE0l6ah2cjiwTw8aCsO62tdI4Fuh6HmINErj5swvGvTIf6bSLPZxL0ScD8qx4tuQHBMPgcLP5V6i9NlA+D47YGWUUUy8J2"
        "v2TU0UngNcyP0HR7z9TdBvNemTQy2xfcvAmfV7Q3fulWiVjFf8avfnmuJdLG3Y3jM4jHfLJ9PVUNPt/b9pzURC5b9L4qzjHU"
        "hmF0uDyO+8TwIZYt3XAfL/r9+2m14HMtg9V79XZ5FRDga5gdrKG08VijZEqAr2H6imOAVVbA+z54X0cvyxX2pXDdncy101+q"
        "7axQ/9S7LnHR9g9LEXI7eJa28ljkElMwP0hzIFjIq7URPpdi2dOVt4ph3vXsozc5z37Dj6WdXnog4QjjH/ZVo0VIa4XYqZPn"
        "cG+M15eXw3HLnkYLnZf558Bg+srzdF6T9xDcB/wJV/F6owuU4Dh5BSmW9CTsnJpNn0176GhXI/P3hQByY3XH7OOGIHQ9bP7+"
        "vMX5Vzs1TBrN25vm+XWktV04uVLnZ3GueAnnP2zYhjacm4b79RktHKtS0Yb7MV6ifzhMMk5E+S9pzNtGhHrHcXI1Mxy6MeKL"
        "O3hfltWHt7AfgfGD1De3SCH+B8DruYVlVGpMpM3rb4bVBRL3KZrflxjLD3avnHnSeqqS9M94OzMif1WN5qg83D/bryxMKWxf"
        "OepvaNzU83S0W4HL43i7y4TKX4DPkaVuPLchTawYjVNE6+9zRHTw4nAGtZXxbGnMcLzqR9tl9HE73MdmjbGI6301OI662Mtj"
        "ZG6QN289rjfexvntY+/u1pyNMUXfY7mmS/FadXyf7SkVenXLPbDc53A9YL9+Ha4XSlWj96aigs/l9uJ8ZfA2lBe1C/Prt/4x"
        "78x9dTO+HmfGx2W3iiOJbF/fxeFXy8cd33vZRKLy0lsjsLfHghdnB4VvHNB1OfgOXLdpr1Hb8ItwH7TFjYvqhm8Hos9n0XXo"
        "BO+WMhxPZveQ1LghTyk4f1m+XAVHhGGem6MKsnmPzX6Cvi4Y3s5w7ZxdKgfMzw6mpzQIpIDPkZguZwk/x15CYPcxv72lQMTw"
        "XJUlOH9fROlXeovB+cGAFoOMuAtSQH+G3+czdNEIIWqn9qL6eT4P/ic7yLas5fmkEXze7JbtoRWDcQS8dQxvD03V+nCO2pKg"
        "3z+Gt/vJXfTPWgP3cW2k5zmkzeAKrpu1FlWf4l7YfiySyGbaEMqLxgFEfIad9ou6dVOa4HqI/d4OJDG4z+f5Srq4otECkM8Q"
        "bxiXW/Ec5rMKnOsusV9pBfP+eb97LbhRTHA++5/Hg99P9T1gHVEk6EeB5Z3pbxmmtVoUoPO821WHtC+GnIcsjChqrJfMSg9B"
        "5WU+bw6Tqws7Xq2JZMhB9wdRf4bEsuXiZ7bBeTC1ByQjVVa4n/T3fKvd91viUP03n3eIxYMTHDU7BXZVg9eza3TcNaF0d15c"
        "O57xEIeLbn+coqhSCeMWJVxrfQcKYHycPrj/ioo63Ifvcu6JnpkMOL5k2JRjcjI1ifT/ABm47RU="
    )),
}
COSINE_MEAN = 0.37377  # the cosine feature's training mean: what a ranking without an encoder assumes


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
    Defaults (diversity, nest_penalty, partial_share, pool) were chosen by 2-fold cross-validation on csl/dev.
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
