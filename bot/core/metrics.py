"""Prometheus metrics, kept in a registry per application so tests never share counters."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "samverkan_http_requests_total",
            "HTTP requests by route and outcome",
            ["route", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "samverkan_http_request_seconds",
            "HTTP request latency by route",
            ["route"],
            registry=self.registry,
        )
        self.commands = Counter(
            "samverkan_commands_total",
            "Commands run by command and outcome",
            ["command", "outcome"],
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
