from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.channel_routes_out_tier_type_0 import ChannelRoutesOutTierType0
from ..models.channel_routes_out_tier_type_0 import check_channel_routes_out_tier_type_0
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.channel_binding_out import ChannelBindingOut
  from ..models.route_candidate_out import RouteCandidateOut
  from ..models.unreachable_binding_out import UnreachableBindingOut





T = TypeVar("T", bound="ChannelRoutesOut")



@_attrs_define
class ChannelRoutesOut:
    

    bindings: list[ChannelBindingOut]
    candidates: list[RouteCandidateOut]
    channel_id: str
    unreachable: list[UnreachableBindingOut]
    conversation_id: None | str | Unset = UNSET
    tier: ChannelRoutesOutTierType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.channel_binding_out import ChannelBindingOut # noqa: PLC0415
        from ..models.route_candidate_out import RouteCandidateOut # noqa: PLC0415
        from ..models.unreachable_binding_out import UnreachableBindingOut # noqa: PLC0415
        bindings = []
        for bindings_item_data in self.bindings:
            bindings_item = bindings_item_data.to_dict()
            bindings.append(bindings_item)



        candidates = []
        for candidates_item_data in self.candidates:
            candidates_item = candidates_item_data.to_dict()
            candidates.append(candidates_item)



        channel_id = self.channel_id

        unreachable = []
        for unreachable_item_data in self.unreachable:
            unreachable_item = unreachable_item_data.to_dict()
            unreachable.append(unreachable_item)



        conversation_id: None | str | Unset
        if isinstance(self.conversation_id, Unset):
            conversation_id = UNSET
        else:
            conversation_id = self.conversation_id

        tier: None | str | Unset
        if isinstance(self.tier, Unset):
            tier = UNSET
        elif isinstance(self.tier, str):
            tier = self.tier
        else:
            tier = self.tier


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "bindings": bindings,
            "candidates": candidates,
            "channelId": channel_id,
            "unreachable": unreachable,
        })
        if conversation_id is not UNSET:
            field_dict["conversationId"] = conversation_id
        if tier is not UNSET:
            field_dict["tier"] = tier

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.channel_binding_out import ChannelBindingOut # noqa: PLC0415
        from ..models.route_candidate_out import RouteCandidateOut # noqa: PLC0415
        from ..models.unreachable_binding_out import UnreachableBindingOut # noqa: PLC0415
        d = dict(src_dict)
        bindings = []
        _bindings = d.pop("bindings")
        for bindings_item_data in (_bindings):
            bindings_item = ChannelBindingOut.from_dict(bindings_item_data)



            bindings.append(bindings_item)


        candidates = []
        _candidates = d.pop("candidates")
        for candidates_item_data in (_candidates):
            candidates_item = RouteCandidateOut.from_dict(candidates_item_data)



            candidates.append(candidates_item)


        channel_id = d.pop("channelId")

        unreachable = []
        _unreachable = d.pop("unreachable")
        for unreachable_item_data in (_unreachable):
            unreachable_item = UnreachableBindingOut.from_dict(unreachable_item_data)



            unreachable.append(unreachable_item)


        def _parse_conversation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        conversation_id = _parse_conversation_id(d.pop("conversationId", UNSET))


        def _parse_tier(data: object) -> ChannelRoutesOutTierType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                tier_type_0 = check_channel_routes_out_tier_type_0(data)



                return tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChannelRoutesOutTierType0 | None | Unset, data)

        tier = _parse_tier(d.pop("tier", UNSET))


        channel_routes_out = cls(
            bindings=bindings,
            candidates=candidates,
            channel_id=channel_id,
            unreachable=unreachable,
            conversation_id=conversation_id,
            tier=tier,
        )


        channel_routes_out.additional_properties = d
        return channel_routes_out

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
