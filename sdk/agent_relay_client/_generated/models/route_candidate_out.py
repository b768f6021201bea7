from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.route_candidate_out_mode import check_route_candidate_out_mode
from ..models.route_candidate_out_mode import RouteCandidateOutMode
from ..models.route_candidate_out_tier import check_route_candidate_out_tier
from ..models.route_candidate_out_tier import RouteCandidateOutTier
from typing import cast

if TYPE_CHECKING:
  from ..models.channel_binding_out import ChannelBindingOut





T = TypeVar("T", bound="RouteCandidateOut")



@_attrs_define
class RouteCandidateOut:
    

    binding: ChannelBindingOut
    chosen: bool
    mode: RouteCandidateOutMode
    priority: int
    reason: str
    tier: RouteCandidateOutTier
    to: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.channel_binding_out import ChannelBindingOut # noqa: PLC0415
        binding = self.binding.to_dict()

        chosen = self.chosen

        mode: str = self.mode

        priority = self.priority

        reason = self.reason

        tier: str = self.tier

        to = self.to


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "binding": binding,
            "chosen": chosen,
            "mode": mode,
            "priority": priority,
            "reason": reason,
            "tier": tier,
            "to": to,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_binding_out import ChannelBindingOut # noqa: PLC0415
        d = dict(src_dict)
        binding = ChannelBindingOut.from_dict(d.pop("binding"))




        chosen = d.pop("chosen")

        mode = check_route_candidate_out_mode(d.pop("mode"))




        priority = d.pop("priority")

        reason = d.pop("reason")

        tier = check_route_candidate_out_tier(d.pop("tier"))




        to = d.pop("to")

        route_candidate_out = cls(
            binding=binding,
            chosen=chosen,
            mode=mode,
            priority=priority,
            reason=reason,
            tier=tier,
            to=to,
        )


        route_candidate_out.additional_properties = d
        return route_candidate_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
