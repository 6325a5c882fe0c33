"""Operations: Prometheus metrics and structured JSON logs with a request id (see docs/streaming.md)."""
