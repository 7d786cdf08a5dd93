"""Allow ``python -m knowledgebase``."""

import sys

from .cli import main

sys.exit(main())
