"""The risk app's part of the role matrix (documented in docs/risks.md)."""

from yingji.framework.roles import ADD, ALL, CHANGE, READ, VIEW, Role, grant

POINT, MEASURE, PROFILE, REPORT = (
    "risks.riskpoint",
    "risks.controlmeasure",
    "risks.riskprofile",
    "risks.riskreport",
)
REGION, REGION_MEASURE = "risks.regionrisk", "risks.regionriskmeasure"
ENTERPRISE_KINDS = (POINT, MEASURE, PROFILE, REPORT)
REGION_KINDS = (REGION, REGION_MEASURE)

MATRIX = {
    # the enterprise identifies and controls its own risks, keeps its site plan and submits reports
    Role.ENTERPRISE_USER: {POINT: ALL, MEASURE: ALL, PROFILE: {VIEW, CHANGE}, REPORT: {VIEW, ADD}},
    # regulators read the enterprises' risks in scope and keep the region risk lists
    Role.BUREAU_OFFICER: {**dict.fromkeys(ENTERPRISE_KINDS, READ), **dict.fromkeys(REGION_KINDS, ALL)},
    Role.DEPARTMENT_OFFICER: {**dict.fromkeys(ENTERPRISE_KINDS, READ), **dict.fromkeys(REGION_KINDS, ALL)},
    Role.ENFORCEMENT_OFFICER: dict.fromkeys(ENTERPRISE_KINDS + REGION_KINDS, READ),
    Role.LEADER: dict.fromkeys(ENTERPRISE_KINDS + REGION_KINDS, READ),
    Role.DUTY_OFFICER: dict.fromkeys(ENTERPRISE_KINDS + REGION_KINDS, READ),
    Role.GRID_WORKER: dict.fromkeys((POINT, MEASURE, PROFILE) + REGION_KINDS, READ),
}


def grant_all() -> None:
    for role, grants in MATRIX.items():
        for label, actions in grants.items():
            grant(role, label, actions)
