"""A demonstration database of synthetic data (`ppda-tracker demo --cases N`)."""

from app.services.demo.build import ACCOUNTS, DEMO_PASSWORD, build_demo

__all__ = ["ACCOUNTS", "DEMO_PASSWORD", "build_demo"]
