from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.unreachable_binding_out_tier import check_unreachable_binding_out_tier
from ..models.unreachable_binding_out_tier import UnreachableBindingOutTier
from typing import cast

if TYPE_CHECKING:
  from ..models.channel_binding_out import ChannelBindingOut





T = TypeVar("T", bound="UnreachableBindingOut")



@_attrs_define
class UnreachableBindingOut:
    

    binding: ChannelBindingOut
    reason: str
    tier: UnreachableBindingOutTier
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.channel_binding_out import ChannelBindingOut # noqa: PLC0415
        binding = self.binding.to_dict()

        reason = self.reason

        tier: str = self.tier


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "binding": binding,
            "reason": reason,
            "tier": tier,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_binding_out import ChannelBindingOut # noqa: PLC0415
        d = dict(src_dict)
        binding = ChannelBindingOut.from_dict(d.pop("binding"))




        reason = d.pop("reason")

        tier = check_unreachable_binding_out_tier(d.pop("tier"))




        unreachable_binding_out = cls(
            binding=binding,
            reason=reason,
            tier=tier,
        )


        unreachable_binding_out.additional_properties = d
        return unreachable_binding_out

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
