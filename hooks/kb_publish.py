"""MkDocs hook that runs last: swap the finished site into place (see knowledgebase.atomic)."""

from mkdocs.plugins import event_priority

from knowledgebase.atomic import publish


@event_priority(-100)  # after every other post-build step, the search index included
def on_post_build(config):
    publish()
