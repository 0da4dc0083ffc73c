"""The partner API (read only, JSON, /api/v1/): tokens, scopes, the OpenAPI document."""
