"""Write services of the rescue resources: scope check, rules, one transaction each."""

from django.db import transaction
from django.utils.translation import gettext as _

from yingji.framework.access import check_object
from yingji.framework.errors import field_error
from yingji.framework.services import save_object
from yingji.resources.choices import OwnerKind, ShelterStatus
from yingji.resources.models import Equipment, Expert, Shelter, Team


@transaction.atomic
def save_team(team: Team, *, actor) -> Team:
    return save_object(team, actor=actor)


@transaction.atomic
def save_expert(expert: Expert, *, actor) -> Expert:
    return save_object(expert, actor=actor)


@transaction.atomic
def save_equipment(equipment: Equipment, *, actor) -> Equipment:
    """Equipment of a team is kept at the team's base unless a location is given."""
    team = equipment.owner_team
    if team is not None:
        check_object(actor, "view", team)
        if equipment.owner_kind == OwnerKind.GOVERNMENT and equipment._state.adding:
            equipment.owner_kind = OwnerKind.TEAM
        if not equipment.has_location and team.has_location:
            equipment.longitude, equipment.latitude = team.longitude, team.latitude
        if not equipment.owner_department_id and team.owner_department_id:
            equipment.owner_department_id = team.owner_department_id
    return save_object(equipment, actor=actor)


def _status_for_occupancy(shelter: Shelter) -> None:
    """A full shelter shows as full, and an open one again when places free up."""
    if shelter.status == ShelterStatus.CLOSED:
        return
    if shelter.capacity and shelter.occupancy >= shelter.capacity:
        shelter.status = ShelterStatus.FULL
    elif shelter.status == ShelterStatus.FULL:
        shelter.status = ShelterStatus.OPEN


@transaction.atomic
def save_shelter(shelter: Shelter, *, actor) -> Shelter:
    _status_for_occupancy(shelter)
    return save_object(shelter, actor=actor)


@transaction.atomic
def record_occupancy(shelter: Shelter, occupancy: int, *, actor) -> Shelter:
    """Record how many people the shelter houses now; opens a closed shelter that takes people in."""
    shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
    check_object(actor, "change", shelter)
    if occupancy < 0:
        raise field_error("occupancy", _("安置人数不能为负数。"), "invalid_occupancy")
    if occupancy > shelter.capacity:
        raise field_error(
            "occupancy",
            _("安置人数（%(o)s）超过可容纳人数（%(c)s）：请安排其他避难场所。")
            % {"o": occupancy, "c": shelter.capacity},
            "over_capacity",
        )
    if occupancy and shelter.status == ShelterStatus.CLOSED:
        shelter.status = ShelterStatus.OPEN
    shelter.occupancy = occupancy
    _status_for_occupancy(shelter)
    return save_object(shelter, actor=actor)


@transaction.atomic
def close_shelter(shelter: Shelter, *, actor) -> Shelter:
    shelter = Shelter.objects.select_for_update().get(pk=shelter.pk)
    check_object(actor, "change", shelter)
    if shelter.occupancy:
        raise field_error(
            "occupancy",
            _("场所内仍有 %(o)s 人安置，不能关闭：请先转移安置人员。") % {"o": shelter.occupancy},
            "closed_with_occupants",
        )
    shelter.status = ShelterStatus.CLOSED
    return save_object(shelter, actor=actor)
