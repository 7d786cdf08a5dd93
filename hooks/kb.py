"""MkDocs hooks: thin forwarding to the knowledgebase package (all logic and state live there)."""

from knowledgebase.mkdocs_hooks import (  # noqa: F401
    on_build_error,
    on_config,
    on_env,
    on_files,
    on_nav,
    on_page_context,
    on_page_markdown,
    on_post_build,
    on_post_page,
    on_post_template,
    on_startup,
)
