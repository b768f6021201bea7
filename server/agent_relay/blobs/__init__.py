"""Blobs: content-addressed uploads that channel attachments point at (`relay-blob` refs)."""
