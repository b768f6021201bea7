"""Channels: chat bridges registered as channel agents, their bindings, events, activities."""
