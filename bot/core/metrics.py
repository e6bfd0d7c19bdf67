"""Prometheus metrics, kept in a registry per application so tests never share counters.

Besides requests and commands: the standard process metrics (CPU, memory, open files), the
scheduler's jobs (sent, failed, parked and late per platform and kind, send latency, and at
each scrape how many are due and parked), and the platforms' API errors by status.
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
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
        jobs = ["platform", "kind"]
        self.jobs_sent = Counter(
            "samverkan_jobs_sent_total", "Scheduled messages sent", jobs, registry=self.registry
        )
        self.jobs_failed = Counter(
            "samverkan_jobs_failed_total",
            "Scheduled sends that failed (each attempt; retried, then parked)",
            jobs,
            registry=self.registry,
        )
        self.jobs_parked = Counter(
            "samverkan_jobs_parked_total",
            "Jobs parked after too many failures",
            jobs,
            registry=self.registry,
        )
        self.jobs_late = Counter(
            "samverkan_jobs_late_total",
            "Scheduled messages sent later than SAMVERKAN_JOBS_LATE_AFTER_SECONDS",
            jobs,
            registry=self.registry,
        )
        self.send_latency = Histogram(
            "samverkan_job_send_seconds",
            "Time one scheduled send took, by platform",
            ["platform"],
            registry=self.registry,
        )
        self.jobs_due = Gauge(
            "samverkan_jobs_due",
            "Jobs due now and not yet sent, by kind and target (at the scrape)",
            ["kind", "target"],
            registry=self.registry,
        )
        self.jobs_parked_now = Gauge(
            "samverkan_jobs_parked_now",
            "Jobs parked and waiting for an admin, by kind and target (at the scrape)",
            ["kind", "target"],
            registry=self.registry,
        )
        self.platform_errors = Counter(
            "samverkan_platform_api_errors_total",
            "Errors from a platform's API by status (HTTP status, or Slack's error code)",
            ["platform", "status"],
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
