"""The version of condense, in one place (read by the package, the manifest and the CLI)."""

__all__ = ["__version__"]
__version__ = "0.1.0"
