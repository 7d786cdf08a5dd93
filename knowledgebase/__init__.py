"""Kunnskapsbase engine: models, loading, validation, index, page generation and exports.

The package owns all logic; the MkDocs hook files in ``hooks/`` only delegate to
:mod:`knowledgebase.mkdocs_hooks`. Flow: models -> loader -> index -> pages -> exports.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
