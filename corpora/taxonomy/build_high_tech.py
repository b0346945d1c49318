"""Build the shipped taxonomy files of this folder from their public sources.

    python corpora/taxonomy/build_high_tech.py --source ../shared/data/taxonomy

writes ``high_tech_domains_2016.json`` (国家重点支持的高新技术领域, 8 / 52 / 254 nodes) and
``gbt4754_2011.json`` (GB/T 4754-2011 国民经济行业分类, 门类/大类/中类/小类). Every node is
``{code, name, level, parent, description}``. The sources list names only (the high-tech domains)
or names plus notes (GB/T 4754); the level-1 and level-2 high-tech descriptions below are written by
hand (typical technologies of the area: the zero-shot classifier reads them), a leaf's is its name
placed under its parents with the field's typical technologies. Run once when a source changes;
the service reads the JSON files only.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Hand-written one-line descriptions: the typical technologies of each area and field.
HIGH_TECH_DESCRIPTIONS: dict[str, str] = {
    "10": "电子信息技术：软件、集成电路与微电子、计算机及网络、通信、广播影视、电子元器件、信息安全、智能交通。",
    "101": "软件：操作系统、数据库、中间件、嵌入式软件、工业软件与CAD/CAE、图形图像、GIS、企业管理、物联网、云计算与移动互联网应用软件。",
    "102": "微电子技术：集成电路设计、芯片制造与封装测试工艺、集成光电子器件、MEMS传感器、半导体器件。",
    "103": "计算机产品及其网络应用技术：计算机与服务器、存储设备、外部设备、网络设备、嵌入式计算机、工业控制计算机、人工智能硬件。",
    "104": "通信技术：光纤通信、移动通信（4G/5G）、无线接入、卫星通信、宽带网络、交换与路由、通信终端。",
    "105": "广播影视技术：数字广播电视、视频编解码、高清与超高清显示制作、影视后期、节目传输与分发。",
    "106": "新型电子元器件：半导体发光（LED）、平板显示、片式与敏感元器件、光电器件、电力电子器件、印制电路板。",
    "107": "信息安全技术：密码技术、身份认证、网络攻防与入侵检测、安全芯片、数据安全与隐私保护、安全测评。",
    "108": "智能交通和轨道交通技术：交通信息采集与控制、车路协同、智能调度、列车运行控制、轨道交通信号与通信系统。",
    "20": "生物与新医药技术：生物技术药物、疫苗、中药与天然药物、化学药、新剂型、医疗器械、工业与农业生物技术。",
    "201": "医药生物技术：基因工程药物、抗体、新型疫苗（人用疫苗的研制与细胞培养生产）、细胞治疗、基因检测与诊断试剂、生物芯片、干细胞技术。",
    "202": "中药、天然药物：中药材种植与提取、中药饮片与配方颗粒、中药新药与复方、天然药物有效成分、中药质量控制、民族药。",
    "203": "化学药研发技术：创新化学药物、原料药合成、手性药物、药物筛选与评价、仿制药一致性评价。",
    "204": "药物新剂型与制剂创制技术：缓控释、靶向给药、透皮与吸入制剂、脂质体与纳米制剂、药用辅料。",
    "205": "医疗仪器、设备与医学专用软件：医学影像、监护与诊断设备、治疗与康复器械、植入器械、体外诊断仪器、医学软件。",
    "206": "轻工和化工生物技术：工业酶制剂、发酵工程、生物催化与转化、生物基材料与化学品、生物能源、食品生物技术。",
    "207": "农业生物技术：动植物新品种选育、转基因与分子育种、生物农药与肥料、兽用生物制品、饲料添加剂、农产品加工。",
    "30": "航空航天技术：飞行器设计制造、航空发动机、机载与地面设备、无人机、卫星与运载器、空间应用。",
    "301": "航空技术：飞机与直升机设计制造、航空发动机、机载设备与航电系统、无人机、航空材料与维修、空中交通管理。",
    "302": "航天技术：卫星与航天器、运载火箭、卫星导航与遥感应用、空间探测、航天测控与地面设备。",
    "40": "新材料技术：金属、无机非金属、高分子、生物医用材料，精细与专用化学品，文化艺术用新材料。",
    "401": "金属材料：高性能钢铁、铝镁钛合金、高温合金、稀有稀土金属、粉末冶金、金属功能材料、纳米与非晶材料、半导体新材料（单晶硅等）、电工与微电子新材料。",
    "402": "无机非金属材料：结构与功能陶瓷（含陶瓷涂层）、特种玻璃、人工晶体、碳材料与石墨烯、耐火材料（镁砂、刚玉）、新型建筑材料、光纤材料。",
    "403": "高分子材料：工程塑料、新型橡胶、高性能纤维与复合材料、功能高分子、膜材料、涂料与胶粘剂。",
    "404": "生物医用材料：组织工程材料、植入与介入材料、可降解材料、医用高分子与生物陶瓷、药物载体材料。",
    "405": "精细和专用化学品：新型催化剂、电子化学品、表面活性剂、功能助剂、农药与染料中间体、香精香料。",
    "406": "与文化艺术产业相关的新材料：文物保护材料、新型艺术与印刷材料、乐器与工艺美术材料、文化用品新材料。",
    "50": "高技术服务：研发设计、检验检测认证、信息技术服务、专业技术服务、知识产权与成果转化、电子商务物流、城市与文化服务。",
    "501": "研发与设计服务：工业设计、研究开发外包、工程设计、创意设计、仿真与试验服务。",
    "502": "检验检测认证与标准服务：产品检验检测、计量校准、认证认可、标准研制与技术评价服务。",
    "503": "信息技术服务：软件开发与测试服务、系统集成、数据处理与大数据服务、云服务、信息技术运维与咨询。",
    "504": "高技术专业化服务：地理信息与测绘、生物技术外包服务、气象与海洋服务、专业技术咨询。",
    "505": "知识产权与成果转化服务：专利分析与运营、技术交易与评估、科技成果转移转化、科技金融服务。",
    "506": "电子商务与现代物流技术：电子商务平台与支付、供应链管理、智能仓储、物流追踪与配送系统。",
    "507": "城市管理与社会服务：智慧城市、城市公共安全与应急、社区与养老服务、医疗健康信息服务、教育信息化。",
    "508": "文化创意产业支撑技术：数字内容制作、动漫游戏、虚拟现实与数字展示、文化遗产数字化、数字出版。",
    "60": "新能源与节能技术：太阳能、风能、生物质能、核能与氢能、储能与能量转换、工业与建筑节能。",
    "601": "可再生清洁能源：太阳能光伏与光热、风力发电、生物质能、地热与海洋能、分布式能源。",
    "602": "核能及氢能：核电装备与核安全、核技术应用、制氢储氢、燃料电池。",
    "603": "新型高效能量转换与储存技术：锂离子电池、动力电池、超级电容器、储能系统、高效能量转换器件。",
    "604": "高效节能技术：工业节能、余热余压利用、高效电机与变频、建筑节能、节能照明、能源管理系统。",
    "70": "资源与环境技术：水与大气污染控制、固废处置、物理污染防治、环境监测、生态保护、清洁生产、资源勘查开采。",
    "701": "水污染控制与水资源利用技术：污水与工业废水处理（含高盐废水零排放）、饮用水安全、中水回用、海水淡化、水资源节约利用。",
    "702": "大气污染控制技术：脱硫脱硝、除尘、挥发性有机物（VOCs）废气治理、机动车尾气净化、室内空气净化。",
    "703": "固体废弃物处置与综合利用技术：垃圾处理与焚烧、危险废物处置、工业固废与尾矿综合利用、污泥处理。",
    "704": "物理性污染防治技术：噪声与振动控制、电磁辐射防护、放射性污染防治。",
    "705": "环境监测及环境事故应急处理技术：在线监测仪器、环境质量监测网络、污染溯源、应急处置技术。",
    "706": "生态环境建设与保护技术：生态修复、水土保持、荒漠化防治、土壤修复、生物多样性保护。",
    "707": "清洁生产技术：重点行业清洁生产工艺、节水与减排、循环经济、有毒有害原料替代。",
    "708": "资源勘查、高效开采与综合利用技术：矿产勘查、油气开采、煤炭安全高效开采、共伴生矿综合利用、尾矿利用。",
    "80": "先进制造与自动化：过程控制、安全生产、仪器仪表、先进制造工艺与装备、新型机械、电力设备、汽车、船舶与海洋工程装备。",
    "801": "工业生产过程控制系统：现场总线与工业以太网、PLC与DCS、工业机器人控制、智能制造执行系统。",
    "802": "安全生产技术：矿山安全、危险化学品安全、工业安全监测预警、防爆与应急救援装备。",
    "803": "高性能、智能化仪器仪表：传感器、分析仪器、测量与检测仪器、科学仪器、智能仪表。",
    "804": "先进制造工艺与装备：数控机床、增材制造（3D打印）、激光加工、精密与超精密加工、工业机器人、焊接与热处理、集成电路制造装备、特种加工、装备再制造。",
    "805": "新型机械：高效泵阀与压缩机、液压气动、传动部件、工程机械、农业机械、纺织与包装机械。",
    "806": "电力系统与设备：智能电网、输变电设备（变压器、开关）、电力电子与电力自动化、发电设备、配电与用电技术。",
    "807": "汽车及轨道车辆相关技术：新能源汽车、汽车电子、发动机与变速器、轻量化、轨道车辆及关键部件。",
    "808": "高技术船舶与海洋工程装备设计制造技术：船舶设计建造、海洋平台、海洋工程装备、水下机器人、船用设备。",
    "809": "传统文化产业改造技术：印刷与出版装备、工艺美术技术升级、传统文化用品生产技术改造。",
}


_SECTION_NOTE = re.compile(r"^本(门)?类包括[0-9～—和、]+大类。?$")


def _clean(name: str) -> str:
    return re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）")


def build_high_tech(source: Path) -> list[dict]:
    """The 2016 high-tech domains with a description per node (hand-written for levels 1–2)."""
    raw = json.loads(source.read_text(encoding="utf-8"))
    names = {r["code"]: _clean(r["name"]) for r in raw}
    parents = {r["code"]: r["parent"] for r in raw}
    out = []
    for r in raw:
        code, level = r["code"], int(r["level"])
        if level <= 2:
            description = HIGH_TECH_DESCRIPTIONS[code]
        else:  # a leaf: its name placed in its area and field, with the field's typical technologies
            parent = parents[code]
            terms = HIGH_TECH_DESCRIPTIONS[parent].split("：", 1)[1].rstrip("。")
            description = f"{names[parents[parent]]}·{names[parent]}方向的{names[code]}（同方向：{terms}）。"
        out.append({"code": code, "name": names[code], "level": level, "parent": parents[code],
                    "description": description})
    return out


def build_gbt4754(source: Path) -> list[dict]:
    """GB/T 4754-2011: 门类 (A–T) / 大类 (2 digits) / 中类 (3) / 小类 (4), the first note line as description."""
    nodes: list[dict] = []
    section = None
    current: dict | None = None
    with open(source, encoding="utf-8") as fh:
        for row in list(csv.reader(fh))[1:]:
            row = (row + [""] * 5)[:5]
            c1, c2, mark, text, detail = (x.strip() for x in row)
            code = c1 or c2
            if code:
                level = 1 if code.isalpha() else {2: 2, 3: 3, 4: 4}[len(code)]
                if level == 1:
                    parent, section = None, code
                elif level == 2:
                    parent = section
                else:
                    parent = code[:-1]
                current = {"code": code, "name": _clean(text), "level": level, "parent": parent, "description": ""}
                nodes.append(current)
            elif current is not None and text and not mark and not text.startswith("—") and not current["description"]:
                current["description"] = text
    known = {n["code"] for n in nodes}
    children: dict[str, list[str]] = {}
    for n in nodes:  # a 小类 whose 中类 is not listed hangs under its 大类
        if n["parent"] is not None and n["parent"] not in known:
            n["parent"] = n["parent"][:2]
        children.setdefault(n["parent"], []).append(n["name"])
    for n in nodes:
        text = n["description"].split("\n")[0]
        if len(text) > 120:  # the first clause says what the class is; the rest lists exceptions
            text = re.split(r"(?<=[。；])", text)[0]
        if not text or _SECTION_NOTE.match(text):  # "本门类包括01～05大类。" says nothing: list the classes
            text = f"{n['name']}：" + "、".join(children.get(n["code"], [])) if children.get(n["code"]) else n["name"]
        n["description"] = text
    return nodes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=Path("../shared/data/taxonomy"))
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    for name, nodes in (("high_tech_domains_2016.json", build_high_tech(args.source / "high_tech_domains_2016.json")),
                        ("gbt4754_2011.json", build_gbt4754(args.source / "gbt4754_2011.csv"))):
        text = "[\n" + ",\n".join(json.dumps(n, ensure_ascii=False) for n in nodes) + "\n]\n"
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"{name}: {len(nodes)} nodes")


if __name__ == "__main__":
    main()
