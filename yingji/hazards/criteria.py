"""Catalogue of the major-hazard determination standards (重大事故隐患判定标准).

A hazard graded 重大 must name the standard it meets (and the clause). Source: domain-facts §2, the
list of 山东省安委会《重大事故隐患判定标准汇编》(2024-01); nationally 64 such standards had been issued
by 2025-09 [P], so ``other`` lets an officer cite one not in this list (the clause text then names it).
"""

#: code → (sector, standard and document number)
STANDARDS: dict[str, tuple] = {
    "coal_mine": ("煤矿", "《煤矿重大事故隐患判定标准》应急管理部令第4号"),
    "open_pit_coal": ("露天煤矿", "《露天煤矿重大事故隐患判定标准》矿安〔2023〕125号"),
    "metal_mine": ("金属非金属矿山", "《金属非金属矿山重大事故隐患判定标准》矿安〔2022〕88号"),
    "chemicals": (
        "化工和危险化学品",
        "《化工和危险化学品生产经营单位重大生产安全事故隐患判定标准(试行)》安监总管三〔2017〕121号",
    ),
    "fireworks": (
        "烟花爆竹",
        "《烟花爆竹生产经营单位重大生产安全事故隐患判定标准(试行)》安监总管三〔2017〕121号",
    ),
    "industry_trade": ("工贸", "《工贸企业重大事故隐患判定标准》应急管理部令第10号（2023-05-15施行）"),
    "fire": ("消防", "《重大火灾隐患判定方法》GB 35181-2017"),
    "construction": ("房屋市政工程", "《房屋市政工程生产安全重大事故隐患判定标准》建质规〔2022〕2号"),
    "gas": ("城镇燃气经营", "《城镇燃气经营安全重大隐患判定标准》建城规〔2023〕4号"),
    "road_traffic": ("道路交通", "《道路交通安全重大事故隐患判定标准》公交管〔2023〕209号"),
    "road_transport": ("道路运输", "《道路运输企业和城市客运企业重大事故隐患判定标准》交办运〔2023〕52号"),
    "highway": ("公路运营", "《公路运营领域重大事故隐患判定标准》交办公路〔2023〕59号"),
    "explosives": (
        "民用爆炸物品",
        "《民用爆炸物品生产、销售企业重大事故隐患判定标准》工信厅安全函〔2023〕337号",
    ),
    "inland_ships": ("内河运输船舶", "《内河运输船舶重大事故隐患判定标准》交通运输部办公厅 2024-12-15"),
    "other": ("其他行业", "其他重大事故隐患判定标准（在判定依据中写明标准名称和条款）"),
}


def standard_choices() -> list[tuple[str, str]]:
    return [(code, f"{sector}：{doc}") for code, (sector, doc) in STANDARDS.items()]


def standard_label(code: str) -> str:
    entry = STANDARDS.get(code)
    return f"{entry[0]}：{entry[1]}" if entry else ""
